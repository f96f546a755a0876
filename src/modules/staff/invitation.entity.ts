import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Membership } from './membership.entity';

/** A one-time invitation to join an organization. Only the SHA-256 of the token is stored. */
@Entity({ tableName: 'invitation' })
export class Invitation {
  [OptionalProps]?: 'acceptedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Membership, { deleteRule: 'cascade' })
  @Index()
  membership: Membership;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash: string;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null = null;

  /** Staff account id of the inviter. */
  @Property({ type: 'uuid' })
  createdBy: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
