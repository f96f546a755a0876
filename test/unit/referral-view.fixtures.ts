/**
 * What the referral view specs share: the table of docs/design.md written by hand (not derived from
 * CLIENT_DATA_FIELDS, so that a change to the register shows up in the specs), and plain
 * entity-like objects to view.
 */
import { Role } from '@harbour/authz';
import type { Client } from '../../src/modules/clients/client.entity';
import { ContactPreference } from '../../src/modules/clients/client.enums';
import type { Consent } from '../../src/modules/consent/consent.entity';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import type { ServiceSource } from '../../src/modules/directory';
import { ServiceArea } from '../../src/common/service-area';
import { OrganizationKind } from '../../src/modules/organizations/organization-kind.enum';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import type { ReferredClientModel } from '../../src/modules/referrals/models/referral.model';
import type { Referral, ReferralNote, ReferralTransition } from '../../src/modules/referrals/referral.entity';
import {
  ReferralAction,
  ReferralActorKind,
  ReferralPriority,
  ReferralReasonCode,
  ReferralSide,
  ReferralStatus,
} from '../../src/modules/referrals/referral.enums';

export const HOUR = 3_600_000;
export const NOW = new Date('2026-06-01T12:00:00.000Z');
export const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

export const { NEEDS, CONTACT, DEMOGRAPHICS, MUNICIPAL_ID, NOTES } = ConsentDataCategory;
export const CATEGORIES: readonly ConsentDataCategory[] = [NEEDS, CONTACT, DEMOGRAPHICS, MUNICIPAL_ID, NOTES];
/** Every set of granted categories: the 32 subsets of the five. */
export const GRANTS: readonly ConsentDataCategory[][] = Array.from({ length: 1 << CATEGORIES.length }, (_, mask) =>
  CATEGORIES.filter((_c, bit) => mask & (1 << bit)),
);
export const STATUSES = Object.values(ReferralStatus);

type ConsentState = 'ACTIVE' | 'REVOKED' | 'EXPIRED';
export const CONSENT_STATES: readonly ConsentState[] = ['ACTIVE', 'REVOKED', 'EXPIRED'];

// ---- docs/design.md, by hand -------------------------------------------------------------------

/** "While a referral is SENT, the receiver sees only the always row and NEEDS; after it accepts, every consented category; once terminal, none." */
export const RECEIVER_STAGE: Readonly<Record<ReferralStatus, 'DECIDE' | 'CONSENTED' | 'NOTHING'>> = {
  [ReferralStatus.SENT]: 'DECIDE',
  [ReferralStatus.ACCEPTED]: 'CONSENTED',
  [ReferralStatus.IN_PROGRESS]: 'CONSENTED',
  [ReferralStatus.ON_HOLD]: 'CONSENTED',
  [ReferralStatus.COMPLETED]: 'NOTHING',
  [ReferralStatus.UNMET]: 'NOTHING',
  [ReferralStatus.DECLINED]: 'NOTHING',
  [ReferralStatus.CANCELLED]: 'NOTHING',
};

type ClientField = keyof ReferredClientModel;
const ALWAYS_FIELDS: readonly ClientField[] = ['preferredName', 'languages'];
/** The table "What the receiving organization sees of the client". */
const CATEGORY_FIELDS: Readonly<Record<ConsentDataCategory, readonly ClientField[]>> = {
  [NEEDS]: ['needs'],
  [CONTACT]: ['contact'],
  [DEMOGRAPHICS]: ['legalName', 'birthYear', 'pronouns'],
  [MUNICIPAL_ID]: ['municipalIdNumber'],
  [NOTES]: [],
};
export const ALL_CLIENT_FIELDS: readonly ClientField[] = [
  'id',
  'preferredName',
  'languages',
  'needs',
  'contact',
  'legalName',
  'birthYear',
  'pronouns',
  'municipalIdNumber',
];

interface ExpectedReceiverView {
  fields: ClientField[];
  categories: ConsentDataCategory[];
  reason: boolean;
  senderWords: boolean;
}

export function expectedForReceiver(
  status: ReferralStatus,
  state: ConsentState,
  granted: readonly ConsentDataCategory[],
): ExpectedReceiverView {
  const stage = state === 'ACTIVE' ? RECEIVER_STAGE[status] : 'NOTHING';
  if (stage === 'NOTHING') return { fields: [], categories: [], reason: false, senderWords: false };
  const shared = stage === 'DECIDE' ? granted.filter((category) => category === NEEDS) : [...granted];
  return {
    fields: [...ALWAYS_FIELDS, ...shared.flatMap((category) => CATEGORY_FIELDS[category])].sort(),
    categories: [...shared].sort(),
    reason: shared.includes(NEEDS),
    senderWords: shared.includes(NOTES),
  };
}

// ---- plain entity-like objects ------------------------------------------------------------------

function organization(id: string, name: string): Organization {
  return {
    id,
    name,
    alternateName: null,
    description: `${name}, a test organization.`,
    kind: OrganizationKind.COMMUNITY_ORGANIZATION,
    email: null,
    website: null,
    phone: null,
    serviceAreas: [],
    isNetworkOperator: false,
    active: true,
    createdAt: NOW,
    updatedAt: NOW,
  } as unknown as Organization;
}

export const SHELTER = organization('11111111-1111-4111-8111-111111111111', 'Shelter');
export const CLINIC = organization('22222222-2222-4222-8222-222222222222', 'Clinic');
export const SENDER_VIEWER = { organizationId: SHELTER.id };
export const RECEIVER_VIEWER = { organizationId: CLINIC.id };

export const CLIENT = {
  id: '33333333-3333-4333-8333-333333333333',
  organization: SHELTER,
  preferredName: 'Amina',
  legalName: 'Amina Legal',
  birthYear: 1990,
  pronouns: 'she/her',
  languages: ['so', 'en'],
  contact: {
    phone: '+1 555 0100',
    email: 'amina@example.test',
    preference: ContactPreference.PHONE_ONLY,
    safeToLeaveMessage: true,
  },
  municipalIdNumber: 'HC-1234',
  needs: 'A check-up',
  erasedAt: null,
} as unknown as Client;

export const SERVICE = {
  id: '44444444-4444-4444-8444-444444444444',
  organization: CLINIC,
  name: 'Primary care',
  alternateName: null,
  description: 'A clinic.',
  url: null,
  email: null,
  serviceArea: ServiceArea.HEALTH,
  languages: ['en'],
  eligibilityDescription: null,
  minimumAge: null,
  maximumAge: null,
  status: 'ACTIVE',
  acceptsReferrals: true,
  capacity: 'AVAILABLE',
  assuredAt: null,
  applicationProcess: null,
  feesDescription: null,
  schedules: [],
  locations: [],
} as unknown as ServiceSource;

export function consent(state: ConsentState, dataCategories: readonly ConsentDataCategory[]): Consent {
  return {
    id: '55555555-5555-4555-8555-555555555555',
    client: CLIENT,
    organization: SHELTER,
    recipientOrganizationIds: [CLINIC.id],
    dataCategories: [...dataCategories],
    givenAt: at(-48 * HOUR),
    expiresAt: state === 'EXPIRED' ? at(-1) : at(24 * HOUR),
    revokedAt: state === 'REVOKED' ? at(-HOUR) : null,
  } as unknown as Consent;
}

export function referral(status: ReferralStatus, underConsent: Consent): Referral {
  return {
    id: '66666666-6666-4666-8666-666666666666',
    client: CLIENT,
    consent: underConsent,
    service: SERVICE,
    sendingOrganization: SHELTER,
    receivingOrganization: CLINIC,
    basedOn: null,
    status,
    priority: ReferralPriority.ROUTINE,
    reason: 'Needs a doctor who speaks Somali',
    outcome: null,
    sentAt: at(-HOUR),
    receivedAt: null,
    updatedAt: at(-HOUR),
  } as unknown as Referral;
}

export function note(side: ReferralSide.SENDER | ReferralSide.RECEIVER): ReferralNote {
  const sender = side === ReferralSide.SENDER;
  return {
    id: sender ? '77777777-7777-4777-8777-777777777777' : '88888888-8888-4888-8888-888888888888',
    side,
    organization: sender ? SHELTER : CLINIC,
    authorKind: ReferralActorKind.STAFF,
    authorRole: sender ? Role.CASEWORKER : Role.INTAKE,
    authorId: sender ? 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' : 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
    body: sender ? 'Prefers mornings' : 'First visit booked',
    createdAt: at(-HOUR),
  } as unknown as ReferralNote;
}

export function step(side: ReferralSide, text: string | null): ReferralTransition {
  const organizationOf = side === ReferralSide.RECEIVER ? CLINIC : SHELTER;
  return {
    action: ReferralAction.HOLD,
    fromStatus: ReferralStatus.ACCEPTED,
    toStatus: ReferralStatus.ON_HOLD,
    side,
    organization: organizationOf,
    actorKind: side === ReferralSide.SYSTEM ? ReferralActorKind.SYSTEM : ReferralActorKind.STAFF,
    actorRole: side === ReferralSide.SENDER ? Role.CASEWORKER : side === ReferralSide.RECEIVER ? Role.INTAKE : null,
    actorId: side === ReferralSide.SYSTEM ? null : 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
    reasonCode: ReferralReasonCode.WAITLISTED,
    outcome: null,
    text,
    at: at(-HOUR),
  } as unknown as ReferralTransition;
}

export const visibleFields = (client: ReferredClientModel): ClientField[] =>
  ALL_CLIENT_FIELDS.filter((field) => client[field] !== null).sort();
