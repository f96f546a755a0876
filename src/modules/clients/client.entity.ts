import {
  Check,
  Embeddable,
  Embedded,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
} from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity';
import { ContactPreference } from './client.enums';

/** How to reach the client, stored as `contact_*` columns of the client. */
@Embeddable()
export class ClientContact {
  @Property({ type: 'text', nullable: true })
  phone: string | null = null;

  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  @Enum({ items: () => ContactPreference, nativeEnumName: 'contact_preference' })
  preference: ContactPreference = ContactPreference.ANY;

  /** False unless the client said so: a message can put someone at risk. */
  @Property({ type: 'boolean' })
  safeToLeaveMessage: boolean = false;
}

/** The preferred name of an erased client: fixed text, never derived from the client's data. */
export const ERASED_CLIENT_NAME = 'Erased client';

/**
 * A person an organization works with, held by that organization alone (docs/design.md, The
 * client record): the fields below and nothing else. Never matched or de-duplicated across
 * organizations; every query is scoped by `organization`.
 */
@Entity({ tableName: 'client' })
@Index({ properties: ['organization', 'preferredName', 'id'] })
@Index({ properties: ['organization', 'municipalIdNumber'] })
@Check({ name: 'client_birth_year_check', expression: 'birth_year is null or birth_year between 1900 and 2100' })
@Check({ name: 'client_preferred_name_check', expression: `btrim(preferred_name) <> ''` })
@Check({
  name: 'client_erased_check',
  expression: `erased_at is null or (preferred_name = '${ERASED_CLIENT_NAME}' and legal_name is null and birth_year is null and pronouns is null and cardinality(languages) = 0 and contact_phone is null and contact_email is null and contact_preference = 'DO_NOT_CONTACT' and not contact_safe_to_leave_message and municipal_id_number is null and needs is null)`,
})
export class Client {
  [OptionalProps]?:
    | 'organizationId'
    | 'legalName'
    | 'birthYear'
    | 'pronouns'
    | 'languages'
    | 'contact'
    | 'municipalIdNumber'
    | 'needs'
    | 'erasedAt'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization: Organization;

  @Property({ type: 'text' })
  preferredName: string;

  @Property({ type: 'text', nullable: true })
  legalName: string | null = null;

  @Property({ type: 'smallint', nullable: true })
  birthYear: number | null = null;

  @Property({ type: 'text', nullable: true })
  pronouns: string | null = null;

  /** BCP 47 language tags the client speaks, preferred first. */
  @Property({ type: 'text[]' })
  languages: string[] = [];

  @Embedded({ entity: () => ClientContact, prefix: 'contact_' })
  contact: ClientContact = new ClientContact();

  /** The city card's number: an alternative to identity documents. */
  @Property({ type: 'text', nullable: true })
  municipalIdNumber: string | null = null;

  /** The client's own words; never searched or indexed. */
  @Property({ type: 'text', nullable: true })
  needs: string | null = null;

  /** When the client's personal data was erased (on request or by the retention schedule); the record is final from then on. */
  @Property({ type: 'timestamptz', nullable: true })
  erasedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  get organizationId(): string {
    return this.organization.id;
  }
}
