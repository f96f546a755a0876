import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Client } from '../clients/client.entity';
import { Organization } from '../organizations/organization.entity';
import { ConsentDataCategory, ConsentMethod, ConsentPurpose, ConsentRevocationReason } from './consent.enums';

/**
 * A client's consent (or refusal) to share data with other organizations, after FHIR Consent as
 * profiled by the Gravity Project, reduced (docs/design.md, Consent model). Its terms never change
 * once recorded; revoking it is the only change, and it is final (enforced by a trigger, see the
 * migration). Whether it is active is computed against the clock on every read, never stored.
 */
@Entity({ tableName: 'consent' })
@Index({ properties: ['client', 'givenAt', 'id'] })
@Index({
  name: 'consent_recipient_organization_ids_index',
  expression:
    'create index "consent_recipient_organization_ids_index" on "consent" using gin ("recipient_organization_ids")',
})
@Check({
  name: 'consent_data_categories_check',
  expression: `data_categories <@ array['NEEDS','CONTACT','DEMOGRAPHICS','MUNICIPAL_ID','NOTES']::text[]`,
})
@Check({ name: 'consent_expiry_after_given_check', expression: 'expires_at > given_at' })
@Check({
  name: 'consent_refusal_shares_nothing_check',
  expression: 'cardinality(recipient_organization_ids) > 0 or cardinality(data_categories) = 0',
})
@Check({
  name: 'consent_holder_not_recipient_check',
  expression: 'not (organization_id = any(recipient_organization_ids))',
})
@Check({
  name: 'consent_revocation_complete_check',
  expression:
    '(revoked_at is null) = (revoked_by is null) and (revoked_at is null) = (revocation_reason is null) and (revoked_at is not null or revocation_note is null)',
})
export class Consent {
  [OptionalProps]?:
    | 'organizationId'
    | 'dataCategories'
    | 'revokedAt'
    | 'revokedBy'
    | 'revocationReason'
    | 'revocationNote'
    | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Client, { deleteRule: 'restrict' })
  client: Client;

  /** The organization that holds the client and recorded the consent. */
  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  @Index()
  organization: Organization;

  /** The organizations the client agreed to share with; none for a refusal. Never the holder. */
  @Property({ type: 'uuid[]', columnType: 'uuid[]' })
  recipientOrganizationIds: string[];

  @Enum({ items: () => ConsentPurpose, nativeEnumName: 'consent_purpose' })
  purpose: ConsentPurpose;

  /** Deny by default: only the categories listed are shared (beyond preferred name and languages). */
  @Enum({ items: () => ConsentDataCategory, array: true })
  dataCategories: ConsentDataCategory[] = [];

  @Enum({ items: () => ConsentMethod, nativeEnumName: 'consent_method' })
  method: ConsentMethod;

  /** BCP 47 tag of the language the consent was explained and given in. */
  @Property({ type: 'text' })
  language: string;

  /** Version of the privacy notice the client was given. */
  @Property({ type: 'text' })
  noticeVersion: string;

  /** Staff account or API client that recorded it. */
  @Property({ type: 'uuid' })
  recordedBy: string;

  @Property({ type: 'timestamptz' })
  givenAt: Date;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /** Staff account or API client that revoked it. */
  @Property({ type: 'uuid', nullable: true })
  revokedBy: string | null = null;

  @Enum({ items: () => ConsentRevocationReason, nativeEnumName: 'consent_revocation_reason', nullable: true })
  revocationReason: ConsentRevocationReason | null = null;

  @Property({ type: 'text', nullable: true })
  revocationNote: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  get organizationId(): string {
    return this.organization.id;
  }
}
