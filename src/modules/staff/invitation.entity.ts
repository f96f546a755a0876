import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { ServiceArea } from '../../common/service-area';
import { Organization } from '../organizations/organization.entity';

/**
 * A one-time invitation to join an organization, with the roles it will grant. It touches no
 * account: the membership is created only when the invitee accepts — a new person by setting a
 * password, a person who already has an account while signed in as themselves. Only the SHA-256
 * of the token is stored.
 */
@Entity({ tableName: 'invitation' })
@Check({ name: 'invitation_email_normalized_check', expression: `email = lower(btrim(email))` })
@Check({
  name: 'invitation_lead_needs_service_area_check',
  expression: `(lead_service_area is not null) = ('SERVICE_AREA_LEAD' = any(roles))`,
})
@Index({ properties: ['organization', 'createdAt'] })
export class Invitation {
  [OptionalProps]?: 'leadServiceArea' | 'acceptedAt' | 'acceptedBy' | 'revokedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization: Organization;

  /** The invitee's email, lower-cased and trimmed: the account that may accept. */
  @Property({ type: 'text' })
  email: string;

  /** The name the inviting administrator typed; the membership keeps it. */
  @Property({ type: 'text' })
  displayName: string;

  @Enum({ items: () => Role, array: true })
  roles: Role[] = [];

  @Enum({ items: () => ServiceArea, nativeEnumName: 'service_area', nullable: true })
  leadServiceArea: ServiceArea | null = null;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash: string;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null = null;

  /** The account that accepted. */
  @Property({ type: 'uuid', nullable: true })
  acceptedBy: string | null = null;

  /** Set when a newer invitation of the same email to the same organization replaced this one. */
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /** Staff account id of the inviter. */
  @Property({ type: 'uuid' })
  createdBy: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
