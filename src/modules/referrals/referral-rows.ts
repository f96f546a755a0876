import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContactPreference } from '../clients';
import type { ConsentDataCategory } from '../consent';
import { serviceRows, type ServiceSource } from '../directory';
import { organizationRows, type OrganizationSource } from '../organizations';
import type { ClientSource, ReferralSource } from './referral-view';

/**
 * A referral's client, consent, service and organizations read as rows, for the hot paths (the
 * inbox and outbox pages, sending): no entity is hydrated, the rows go straight to the view.
 * Timestamps are selected through `to_json` (ISO 8601 strings: the driver hands timestamptz over
 * unparsed); arrays come parsed.
 */

/** The columns of a client aliased `c`, as ClientRow names them. */
export const CLIENT_COLUMNS = `c.id as client_id, c.preferred_name, c.languages, c.needs, c.legal_name, c.birth_year, c.pronouns,
  c.municipal_id_number, c.contact_phone, c.contact_email, c.contact_preference, c.contact_safe_to_leave_message,
  to_json(c.erased_at) as erased_at`;

/** The columns of a consent aliased `k` that the view reads, as ConsentRow names them. */
export const CONSENT_COLUMNS = `to_json(k.revoked_at) as consent_revoked_at, to_json(k.expires_at) as consent_expires_at,
  k.data_categories as consent_data_categories`;

/** CONSENT_COLUMNS and what sending checks besides: whose consent it is and whom it names. */
export const CONSENT_TERMS_COLUMNS = `${CONSENT_COLUMNS}, k.client_id as consent_client_id,
  k.recipient_organization_ids as consent_recipients`;

export interface ClientRow {
  client_id: string;
  preferred_name: string;
  languages: string[];
  needs: string | null;
  legal_name: string | null;
  birth_year: number | null;
  pronouns: string | null;
  municipal_id_number: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  contact_preference: ContactPreference;
  contact_safe_to_leave_message: boolean;
  erased_at: string | null;
}

export interface ConsentRow {
  consent_revoked_at: string | null;
  consent_expires_at: string;
  consent_data_categories: ConsentDataCategory[];
}

export interface ConsentTermsRow extends ConsentRow {
  consent_client_id: string;
  consent_recipients: string[];
}

export function dateOf(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

export function clientOf(row: ClientRow): ClientSource {
  return {
    id: row.client_id,
    preferredName: row.preferred_name,
    languages: row.languages,
    needs: row.needs,
    legalName: row.legal_name,
    birthYear: row.birth_year,
    pronouns: row.pronouns,
    municipalIdNumber: row.municipal_id_number,
    contact: {
      phone: row.contact_phone,
      email: row.contact_email,
      preference: row.contact_preference,
      safeToLeaveMessage: row.contact_safe_to_leave_message,
    },
    erasedAt: dateOf(row.erased_at),
  };
}

export function consentOf(row: ConsentRow): ReferralSource['consent'] {
  return {
    revokedAt: dateOf(row.consent_revoked_at),
    expiresAt: new Date(row.consent_expires_at),
    dataCategories: row.consent_data_categories,
  };
}

/** Services (with organization and locations) and organizations by id. */
export interface DirectoryRows {
  services: Map<string, ServiceSource>;
  organizations: Map<string, OrganizationSource>;
}

/**
 * The services of `serviceIds` with their organization and locations, and the organizations of
 * `organizationIds`: two statements, side by side, in `em`'s transaction if it has one.
 */
export async function directoryRows(
  em: EntityManager,
  serviceIds: readonly string[],
  organizationIds: readonly string[],
): Promise<DirectoryRows> {
  const [services, organizations] = await Promise.all([
    serviceRows(em, serviceIds),
    organizationRows(em, organizationIds, serviceIds),
  ]);
  return {
    services: new Map(
      [...services.values()].map((service) => [
        service.id,
        { ...service, organization: organizations.get(service.organizationId)! },
      ]),
    ),
    organizations,
  };
}
