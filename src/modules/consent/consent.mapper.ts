import { toOrganizationModel } from '../organizations';
import type { Organization } from '../organizations/organization.entity';
import type { Consent } from './consent.entity';
import { consentStatus } from './consent.enums';
import { ConsentModel } from './models/consent.model';

/** Every organization a consent names (holder first), for loading them in one query. */
export function organizationIdsOf(consents: readonly Consent[]): string[] {
  return [...new Set(consents.flatMap((consent) => [consent.organization.id, ...consent.recipientOrganizationIds]))];
}

/** The holder's view of a consent, its status computed at `now`. `organizations` holds every organization it names. */
export function toConsentModel(
  consent: Consent,
  organizations: ReadonlyMap<string, Organization>,
  now: Date,
): ConsentModel {
  const organization = (id: string) => {
    const found = organizations.get(id);
    if (!found) throw new Error(`Organization ${id} of consent ${consent.id} was not loaded`);
    return toOrganizationModel(found);
  };
  return {
    id: consent.id,
    clientId: consent.client.id,
    organization: organization(consent.organization.id),
    recipientOrganizations: consent.recipientOrganizationIds.map(organization),
    refusal: consent.recipientOrganizationIds.length === 0,
    purpose: consent.purpose,
    dataCategories: [...consent.dataCategories],
    method: consent.method,
    language: consent.language,
    noticeVersion: consent.noticeVersion,
    recordedBy: consent.recordedBy,
    givenAt: consent.givenAt,
    expiresAt: consent.expiresAt,
    status: consentStatus(consent, now),
    revokedAt: consent.revokedAt,
    revokedBy: consent.revokedBy,
    revocationReason: consent.revocationReason,
    revocationNote: consent.revocationNote,
    createdAt: consent.createdAt,
  };
}
