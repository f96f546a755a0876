import { Check, Collection, Entity, OneToMany, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Membership } from './membership.entity';

/** A person. Holds memberships in one or more organizations; acts for one of them per request. */
@Entity({ tableName: 'staff_account' })
@Check({ name: 'staff_account_email_normalized_check', expression: `email = lower(btrim(email))` })
export class StaffAccount {
  [OptionalProps]?: 'passwordHash' | 'passwordChangedAt' | 'credentialVersion' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased and trimmed; unique across the network. */
  @Property({ type: 'text', unique: true })
  email: string;

  @Property({ type: 'text' })
  displayName: string;

  /** argon2id; null until the person accepts their invitation. Administrators never set it. */
  @Property({ type: 'text', nullable: true, hidden: true })
  passwordHash: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null = null;

  /** Carried by every access token; a password change increments it, ending every token issued before. */
  @Property({ type: 'integer', default: 0 })
  credentialVersion: number = 0;

  @OneToMany(() => Membership, (m) => m.account)
  memberships = new Collection<Membership>(this);

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
