import { registerEnumType } from '@nestjs/graphql';

/**
 * What a consent allows the named organizations to do with what they receive. Both purposes let a
 * referral be sent; they differ in what the client was told.
 */
export enum ConsentPurpose {
  SERVICE_REFERRAL = 'SERVICE_REFERRAL',
  CARE_COORDINATION = 'CARE_COORDINATION',
}

/** The categories of client data a consent may cover (docs/design.md, Consent model); none by default. */
export enum ConsentDataCategory {
  NEEDS = 'NEEDS',
  CONTACT = 'CONTACT',
  DEMOGRAPHICS = 'DEMOGRAPHICS',
  MUNICIPAL_ID = 'MUNICIPAL_ID',
  NOTES = 'NOTES',
}

export enum ConsentMethod {
  VERBAL = 'VERBAL',
  WRITTEN = 'WRITTEN',
  ELECTRONIC = 'ELECTRONIC',
}

/** Computed against the clock on every read, never stored: an expired consent is never active. */
export enum ConsentStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

export enum ConsentRevocationReason {
  CLIENT_WITHDREW = 'CLIENT_WITHDREW',
  RECORDED_IN_ERROR = 'RECORDED_IN_ERROR',
  REPLACED = 'REPLACED',
  OTHER = 'OTHER',
}

registerEnumType(ConsentPurpose, {
  name: 'ConsentPurpose',
  description: 'What the client agreed their data may be used for by the organizations named in a consent.',
  valuesMap: {
    SERVICE_REFERRAL: {
      description: 'To refer the client to a service of the named organizations and to follow the referral up.',
    },
    CARE_COORDINATION: {
      description:
        'To coordinate ongoing care and support between the holding organization and the named organizations, referrals included.',
    },
  },
});

registerEnumType(ConsentDataCategory, {
  name: 'ConsentDataCategory',
  description:
    "A category of client data a consent may let the named organizations see. A consent covers none unless listed (deny by default); the client's preferred name and languages are always shared under an active consent.",
  valuesMap: {
    NEEDS: { description: "The client's needs in their own words, and a referral's reason." },
    CONTACT: {
      description: 'How to reach the client: phone, email, contact preference, whether a message may be left.',
    },
    DEMOGRAPHICS: { description: 'Legal name, birth year and pronouns.' },
    MUNICIPAL_ID: { description: "The client's municipal ID number." },
    NOTES: { description: "The sending organization's notes on a referral." },
  },
});

registerEnumType(ConsentMethod, {
  name: 'ConsentMethod',
  description: 'How the client gave (or refused) consent.',
  valuesMap: {
    VERBAL: { description: 'Said aloud to the staff member who recorded it.' },
    WRITTEN: { description: 'Signed on paper.' },
    ELECTRONIC: { description: 'Given through an electronic form or signature.' },
  },
});

registerEnumType(ConsentStatus, {
  name: 'ConsentStatus',
  description: 'Whether a consent is in force, computed on every read.',
  valuesMap: {
    ACTIVE: { description: 'Not revoked and not expired: data may be shared under it (nothing, for a refusal).' },
    EXPIRED: {
      description:
        'Its expiry has passed. Nothing is shared under it any more, whether or not a scheduled job has caught up.',
    },
    REVOKED: { description: 'Revoked: nothing is shared under it from the next request on.' },
  },
});

registerEnumType(ConsentRevocationReason, {
  name: 'ConsentRevocationReason',
  description: 'Why a consent was revoked.',
  valuesMap: {
    CLIENT_WITHDREW: { description: 'The client withdrew their consent.' },
    RECORDED_IN_ERROR: { description: 'The consent was recorded by mistake.' },
    REPLACED: { description: 'A new consent replaces it.' },
    OTHER: { description: 'Another reason, explained in the note.' },
  },
});

/** What `consentStatus` needs of a consent (an entity, or a row of a page). */
export interface ConsentLifetime {
  readonly revokedAt: Date | null;
  readonly expiresAt: Date;
}

/** Revoked wins; otherwise active until `expiresAt` (exclusive), expired from then on. The one definition of a consent's status. */
export function consentStatus(consent: ConsentLifetime, now: Date): ConsentStatus {
  if (consent.revokedAt !== null) return ConsentStatus.REVOKED;
  return consent.expiresAt.getTime() > now.getTime() ? ConsentStatus.ACTIVE : ConsentStatus.EXPIRED;
}

export function isConsentActive(consent: ConsentLifetime, now: Date): boolean {
  return consentStatus(consent, now) === ConsentStatus.ACTIVE;
}
