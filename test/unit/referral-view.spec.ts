/**
 * The consent-scoped view of a referral (docs/design.md, Consent model), as pure functions: for every
 * state × consent state × set of granted categories, what each side sees of the client, the reason,
 * the notes and the history's words. The expected table below is written by hand from docs/design.md,
 * not derived from CLIENT_DATA_FIELDS, so that a change to the register shows up here.
 */
import { Role } from '@harbour/authz';
import type { Client } from '../../src/modules/clients/client.entity';
import { ContactPreference } from '../../src/modules/clients/client.enums';
import type { Consent } from '../../src/modules/consent/consent.entity';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import type { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { ServiceArea } from '../../src/modules/directory/directory.enums';
import { OrganizationKind } from '../../src/modules/organizations/organization-kind.enum';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import type { ReferredClientModel } from '../../src/modules/referrals/models/referral.model';
import {
  receiverShare,
  shownTo,
  toNoteModel,
  viewReferral,
  toTransitionModel,
  wordsShownTo,
  type ReceiverShare,
} from '../../src/modules/referrals/referral-view';
import type { Referral, ReferralNote, ReferralTransition } from '../../src/modules/referrals/referral.entity';
import {
  ReferralAction,
  ReferralActorKind,
  ReferralPriority,
  ReferralReasonCode,
  ReferralSide,
  ReferralStatus,
} from '../../src/modules/referrals/referral.enums';

const HOUR = 3_600_000;
const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

const { NEEDS, CONTACT, DEMOGRAPHICS, MUNICIPAL_ID, NOTES } = ConsentDataCategory;
const CATEGORIES: readonly ConsentDataCategory[] = [NEEDS, CONTACT, DEMOGRAPHICS, MUNICIPAL_ID, NOTES];
/** Every set of granted categories: the 32 subsets of the five. */
const GRANTS: readonly ConsentDataCategory[][] = Array.from({ length: 1 << CATEGORIES.length }, (_, mask) =>
  CATEGORIES.filter((_c, bit) => mask & (1 << bit)),
);
const STATUSES = Object.values(ReferralStatus);

type ConsentState = 'ACTIVE' | 'REVOKED' | 'EXPIRED';
const CONSENT_STATES: readonly ConsentState[] = ['ACTIVE', 'REVOKED', 'EXPIRED'];

// ---- docs/design.md, by hand -------------------------------------------------------------------

/** "While a referral is SENT, the receiver sees only the always row and NEEDS; after it accepts, every consented category; once terminal, none." */
const RECEIVER_STAGE: Readonly<Record<ReferralStatus, 'DECIDE' | 'CONSENTED' | 'NOTHING'>> = {
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
const ALL_CLIENT_FIELDS: readonly ClientField[] = [
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

function expectedForReceiver(
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

const SHELTER = organization('11111111-1111-4111-8111-111111111111', 'Shelter');
const CLINIC = organization('22222222-2222-4222-8222-222222222222', 'Clinic');
const SENDER_VIEWER = { organizationId: SHELTER.id };
const RECEIVER_VIEWER = { organizationId: CLINIC.id };

const CLIENT = {
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
} as unknown as Client;

const SERVICE = {
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
  locations: { getItems: () => [] },
} as unknown as ServiceOffering;

function consent(state: ConsentState, dataCategories: readonly ConsentDataCategory[]): Consent {
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

function referral(status: ReferralStatus, underConsent: Consent): Referral {
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

function note(side: ReferralSide.SENDER | ReferralSide.RECEIVER): ReferralNote {
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

function step(side: ReferralSide, text: string | null): ReferralTransition {
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

const visibleFields = (client: ReferredClientModel): ClientField[] =>
  ALL_CLIENT_FIELDS.filter((field) => client[field] !== null).sort();

// ---- the receiving side -------------------------------------------------------------------------

describe('the receiving organization’s view (viewReferral)', () => {
  describe.each(STATUSES)('a referral %s', (status) => {
    it.each(CONSENT_STATES)(
      'with its consent %s, for every set of granted categories: the client fields, reason and shared categories docs/design.md allows',
      (state) => {
        const actual = GRANTS.map((granted) => {
          const { model, view } = viewReferral(RECEIVER_VIEWER, referral(status, consent(state, granted)), NOW);
          return {
            granted,
            fields: visibleFields(view.client),
            categories: model.sharedCategories,
            reason: view.reason !== null,
            consentActive: model.consentActive,
            showsClient: view.showsClient,
          };
        });
        const expected = GRANTS.map((granted) => {
          const view = expectedForReceiver(status, state, granted);
          return {
            granted,
            fields: view.fields,
            categories: view.categories,
            reason: view.reason,
            consentActive: state === 'ACTIVE',
            showsClient: view.fields.length > 0,
          };
        });
        expect(actual).toEqual(expected);
      },
    );

    it.each(CONSENT_STATES)(
      'with its consent %s: the status, side and record of the referral always remain',
      (state) => {
        const { model, view } = viewReferral(RECEIVER_VIEWER, referral(status, consent(state, [...CATEGORIES])), NOW);
        expect(model).toMatchObject({
          id: '66666666-6666-4666-8666-666666666666',
          side: ReferralSide.RECEIVER,
          status,
          priority: ReferralPriority.ROUTINE,
        });
        expect(model.service.id).toBe(SERVICE.id);
        expect(model.sendingOrganization.id).toBe(SHELTER.id);
        expect(model.receivingOrganization.id).toBe(CLINIC.id);
        expect(view.clientId).toBe(CLIENT.id);
      },
    );
  });

  it('shows exactly the always row and NEEDS while SENT, whatever else is consented', () => {
    const { model, view } = viewReferral(
      RECEIVER_VIEWER,
      referral(ReferralStatus.SENT, consent('ACTIVE', [...CATEGORIES])),
      NOW,
    );
    expect(view.client).toEqual({
      id: null,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: 'A check-up',
      contact: null,
      legalName: null,
      birthYear: null,
      pronouns: null,
      municipalIdNumber: null,
    });
    expect(view.reason).toBe('Needs a doctor who speaks Somali');
    expect(model.sharedCategories).toEqual([NEEDS]);
  });

  it('shows only the preferred name and languages while SENT under a consent without NEEDS (no reason either)', () => {
    const { model, view } = viewReferral(
      RECEIVER_VIEWER,
      referral(ReferralStatus.SENT, consent('ACTIVE', [CONTACT, DEMOGRAPHICS])),
      NOW,
    );
    expect(view.client).toEqual({
      id: null,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: null,
      contact: null,
      legalName: null,
      birthYear: null,
      pronouns: null,
      municipalIdNumber: null,
    });
    expect(view.reason).toBeNull();
    expect(model.sharedCategories).toEqual([]);
    expect(view.showsClient).toBe(true);
  });

  it('shows every consented category once accepted, but never the holder’s client id', () => {
    const { model, view } = viewReferral(
      RECEIVER_VIEWER,
      referral(ReferralStatus.ACCEPTED, consent('ACTIVE', [...CATEGORIES])),
      NOW,
    );
    expect(view.client).toEqual({
      id: null,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: 'A check-up',
      contact: {
        phone: '+1 555 0100',
        email: 'amina@example.test',
        preference: ContactPreference.PHONE_ONLY,
        safeToLeaveMessage: true,
      },
      legalName: 'Amina Legal',
      birthYear: 1990,
      pronouns: 'she/her',
      municipalIdNumber: 'HC-1234',
    });
    expect(model.sharedCategories).toEqual([CONTACT, DEMOGRAPHICS, MUNICIPAL_ID, NEEDS, NOTES]);
  });

  it.each([
    ['terminal', ReferralStatus.COMPLETED, 'ACTIVE'],
    ['revoked', ReferralStatus.ACCEPTED, 'REVOKED'],
    ['expired', ReferralStatus.ACCEPTED, 'EXPIRED'],
  ] as const)('shows nothing at all once %s', (_case, status, state) => {
    const { model, view } = viewReferral(RECEIVER_VIEWER, referral(status, consent(state, [...CATEGORIES])), NOW);
    expect(Object.values(view.client).every((value) => value === null)).toBe(true);
    expect(view.reason).toBeNull();
    expect(model.sharedCategories).toEqual([]);
    expect(view.showsClient).toBe(false);
  });

  it('treats a consent as expired from the very instant of its expiry (exclusive end), and active one millisecond before', () => {
    const underConsent = { ...consent('ACTIVE', [NEEDS]), expiresAt: NOW } as Consent;
    const atExpiry = viewReferral(RECEIVER_VIEWER, referral(ReferralStatus.ACCEPTED, underConsent), NOW);
    expect(atExpiry.model.consentActive).toBe(false);
    expect(atExpiry.view.client.preferredName).toBeNull();
    const before = viewReferral(RECEIVER_VIEWER, referral(ReferralStatus.ACCEPTED, underConsent), at(-1));
    expect(before.model.consentActive).toBe(true);
    expect(before.view.client.preferredName).toBe('Amina');
  });

  it('decides against the clock it is given, not against the stored status (the expiry sweep may not have run)', () => {
    const stillSent = referral(ReferralStatus.SENT, consent('ACTIVE', [NEEDS]));
    expect(viewReferral(RECEIVER_VIEWER, stillSent, NOW).view.client.needs).toBe('A check-up');
    expect(viewReferral(RECEIVER_VIEWER, stillSent, at(25 * HOUR)).view.client.needs).toBeNull();
  });
});

// ---- the sending side ---------------------------------------------------------------------------

describe('the sending organization’s view (viewReferral)', () => {
  describe.each(STATUSES)('a referral %s', (status) => {
    it.each(CONSENT_STATES)(
      'with its consent %s, for every set of granted categories: its own client whole, with the reason',
      (state) => {
        const actual = GRANTS.map((granted) => {
          const { model, view } = viewReferral(SENDER_VIEWER, referral(status, consent(state, granted)), NOW);
          return {
            granted,
            side: model.side,
            fields: visibleFields(view.client),
            reason: view.reason,
            showsClient: view.showsClient,
            consentActive: model.consentActive,
          };
        });
        const expected = GRANTS.map((granted) => ({
          granted,
          side: ReferralSide.SENDER,
          fields: [...ALL_CLIENT_FIELDS].sort(),
          reason: 'Needs a doctor who speaks Somali',
          showsClient: true,
          consentActive: state === 'ACTIVE',
        }));
        expect(actual).toEqual(expected);
      },
    );
  });

  it('shows the holder its client’s id and every field as held', () => {
    const { view } = viewReferral(SENDER_VIEWER, referral(ReferralStatus.CANCELLED, consent('REVOKED', [])), NOW);
    expect(view.client).toEqual({
      id: CLIENT.id,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: 'A check-up',
      contact: {
        phone: '+1 555 0100',
        email: 'amina@example.test',
        preference: ContactPreference.PHONE_ONLY,
        safeToLeaveMessage: true,
      },
      legalName: 'Amina Legal',
      birthYear: 1990,
      pronouns: 'she/her',
      municipalIdNumber: 'HC-1234',
    });
  });

  it('tells the sender what the receiver sees now (sharedCategories is the receiver’s share)', () => {
    expect(
      viewReferral(SENDER_VIEWER, referral(ReferralStatus.SENT, consent('ACTIVE', [CONTACT, NEEDS])), NOW).model
        .sharedCategories,
    ).toEqual([NEEDS]);
    expect(
      viewReferral(SENDER_VIEWER, referral(ReferralStatus.IN_PROGRESS, consent('ACTIVE', [NOTES, CONTACT, NEEDS])), NOW)
        .model.sharedCategories,
    ).toEqual([CONTACT, NEEDS, NOTES]);
    expect(
      viewReferral(
        SENDER_VIEWER,
        referral(ReferralStatus.IN_PROGRESS, consent('REVOKED', [NOTES, CONTACT, NEEDS])),
        NOW,
      ).model.sharedCategories,
    ).toEqual([]);
  });

  it('does not share the client’s language list with the model (a copy, not the entity’s array)', () => {
    const { view } = viewReferral(SENDER_VIEWER, referral(ReferralStatus.ACCEPTED, consent('ACTIVE', [])), NOW);
    expect(view.client.languages).toEqual(CLIENT.languages);
    expect(view.client.languages).not.toBe(CLIENT.languages);
  });
});

// ---- notes and the words of the history --------------------------------------------------------

describe('notes and transition texts (toNoteModel, toTransitionModel)', () => {
  describe.each(STATUSES)('a referral %s', (status) => {
    it.each(CONSENT_STATES)(
      'with its consent %s: the receiver’s words reach the sender always; the sender’s reach the receiver only under NOTES, accepted and open',
      (state) => {
        const actual = GRANTS.map((granted) => {
          const receiving = viewReferral(RECEIVER_VIEWER, referral(status, consent(state, granted)), NOW).view;
          const sending = viewReferral(SENDER_VIEWER, referral(status, consent(state, granted)), NOW).view;
          return {
            granted,
            receiverReadsSenderNote: toNoteModel(RECEIVER_VIEWER, receiving, note(ReferralSide.SENDER)).body !== null,
            receiverReadsOwnNote: toNoteModel(RECEIVER_VIEWER, receiving, note(ReferralSide.RECEIVER)).body !== null,
            senderReadsReceiverNote: toNoteModel(SENDER_VIEWER, sending, note(ReferralSide.RECEIVER)).body !== null,
            senderReadsOwnNote: toNoteModel(SENDER_VIEWER, sending, note(ReferralSide.SENDER)).body !== null,
            receiverReadsSenderText:
              toTransitionModel(RECEIVER_VIEWER, receiving, step(ReferralSide.SENDER, 'Client asked')).text !== null,
            senderReadsReceiverText:
              toTransitionModel(SENDER_VIEWER, sending, step(ReferralSide.RECEIVER, 'Two weeks')).text !== null,
          };
        });
        const expected = GRANTS.map((granted) => ({
          granted,
          receiverReadsSenderNote: expectedForReceiver(status, state, granted).senderWords,
          receiverReadsOwnNote: true,
          senderReadsReceiverNote: true,
          senderReadsOwnNote: true,
          receiverReadsSenderText: expectedForReceiver(status, state, granted).senderWords,
          senderReadsReceiverText: true,
        }));
        expect(actual).toEqual(expected);
      },
    );
  });

  it('names the author of a note only to the author’s own organization', () => {
    const view = viewReferral(RECEIVER_VIEWER, referral(ReferralStatus.ACCEPTED, consent('ACTIVE', [NOTES])), NOW).view;
    expect(toNoteModel(RECEIVER_VIEWER, view, note(ReferralSide.SENDER))).toMatchObject({
      body: 'Prefers mornings',
      authorId: null,
      authorRole: Role.CASEWORKER,
    });
    expect(toNoteModel(RECEIVER_VIEWER, view, note(ReferralSide.RECEIVER)).authorId).toBe(
      'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
    );
  });

  it('names the actor of a step only to its own organization, and keeps every step’s record whatever is hidden', () => {
    const view = viewReferral(
      RECEIVER_VIEWER,
      referral(ReferralStatus.CANCELLED, consent('REVOKED', [...CATEGORIES])),
      NOW,
    ).view;
    expect(toTransitionModel(RECEIVER_VIEWER, view, step(ReferralSide.SENDER, 'Client asked'))).toMatchObject({
      action: ReferralAction.HOLD,
      fromStatus: ReferralStatus.ACCEPTED,
      toStatus: ReferralStatus.ON_HOLD,
      side: ReferralSide.SENDER,
      actorRole: Role.CASEWORKER,
      actorId: null,
      reasonCode: ReferralReasonCode.WAITLISTED,
      text: null,
    });
    expect(toTransitionModel(RECEIVER_VIEWER, view, step(ReferralSide.RECEIVER, 'Two weeks'))).toMatchObject({
      actorId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
      text: 'Two weeks',
    });
  });

  it('keeps a step without words null for everyone', () => {
    const view = viewReferral(SENDER_VIEWER, referral(ReferralStatus.ACCEPTED, consent('ACTIVE', [NOTES])), NOW).view;
    expect(toTransitionModel(SENDER_VIEWER, view, step(ReferralSide.SYSTEM, null)).text).toBeNull();
  });
});

// ---- the building blocks -----------------------------------------------------------------------

describe(receiverShare.name, () => {
  it.each(STATUSES)('%s: follows the stage in docs/design.md for an active consent with every category', (status) => {
    const share = receiverShare(status, consent('ACTIVE', [...CATEGORIES]), NOW);
    const stage = RECEIVER_STAGE[status];
    expect({ always: share.always, categories: [...share.categories].sort() }).toEqual({
      always: stage !== 'NOTHING',
      categories: stage === 'NOTHING' ? [] : stage === 'DECIDE' ? [NEEDS] : [...CATEGORIES].sort(),
    });
  });

  it.each(['REVOKED', 'EXPIRED'] as const)('shares nothing under a %s consent, in any state', (state) => {
    for (const status of STATUSES) {
      const share = receiverShare(status, consent(state, [...CATEGORIES]), NOW);
      expect({ status, always: share.always, categories: share.categories.size }).toEqual({
        status,
        always: false,
        categories: 0,
      });
    }
  });

  it('shares the always row under an active consent without any category, while open', () => {
    const share = receiverShare(ReferralStatus.ACCEPTED, consent('ACTIVE', []), NOW);
    expect(share.always).toBe(true);
    expect(share.categories.size).toBe(0);
  });
});

describe(shownTo.name, () => {
  const NOTHING: ReceiverShare = { always: false, categories: new Set() };
  const ALWAYS_ONLY: ReceiverShare = { always: true, categories: new Set() };
  const WITH_NEEDS: ReceiverShare = { always: true, categories: new Set([NEEDS]) };

  it('shows the sender every field, holder-only ones included, even when the receiver sees nothing', () => {
    for (const sharing of ['ALWAYS', 'RECORD', 'HOLDER_ONLY', ...CATEGORIES] as const)
      expect(shownTo(ReferralSide.SENDER, sharing, NOTHING)).toBe(true);
  });

  it('shows the receiver the record always, and holder-only fields never', () => {
    expect(shownTo(ReferralSide.RECEIVER, 'RECORD', NOTHING)).toBe(true);
    expect(shownTo(ReferralSide.RECEIVER, 'HOLDER_ONLY', { always: true, categories: new Set(CATEGORIES) })).toBe(
      false,
    );
  });

  it('shows the receiver the always fields only with the always row, and a category only when shared', () => {
    expect(shownTo(ReferralSide.RECEIVER, 'ALWAYS', NOTHING)).toBe(false);
    expect(shownTo(ReferralSide.RECEIVER, 'ALWAYS', ALWAYS_ONLY)).toBe(true);
    expect(shownTo(ReferralSide.RECEIVER, NEEDS, ALWAYS_ONLY)).toBe(false);
    expect(shownTo(ReferralSide.RECEIVER, NEEDS, WITH_NEEDS)).toBe(true);
    expect(shownTo(ReferralSide.RECEIVER, CONTACT, WITH_NEEDS)).toBe(false);
  });

  it('never grants a category without the always row', () => {
    expect(shownTo(ReferralSide.RECEIVER, NEEDS, { always: false, categories: new Set([NEEDS]) })).toBe(false);
  });
});

describe(wordsShownTo.name, () => {
  const NOTHING: ReceiverShare = { always: false, categories: new Set() };
  const WITH_NOTES: ReceiverShare = { always: true, categories: new Set([NOTES]) };
  const WITHOUT_NOTES: ReceiverShare = {
    always: true,
    categories: new Set([NEEDS, CONTACT, DEMOGRAPHICS, MUNICIPAL_ID]),
  };

  it.each([
    ['the sender its own words', ReferralSide.SENDER, ReferralSide.SENDER, NOTHING, true],
    ['the sender the receiver’s words, whatever the share', ReferralSide.SENDER, ReferralSide.RECEIVER, NOTHING, true],
    ['the sender Harbour’s words', ReferralSide.SENDER, ReferralSide.SYSTEM, NOTHING, true],
    ['the receiver its own words, whatever the share', ReferralSide.RECEIVER, ReferralSide.RECEIVER, NOTHING, true],
    ['the receiver the sender’s words under NOTES', ReferralSide.RECEIVER, ReferralSide.SENDER, WITH_NOTES, true],
    [
      'the receiver the sender’s words without NOTES: no',
      ReferralSide.RECEIVER,
      ReferralSide.SENDER,
      WITHOUT_NOTES,
      false,
    ],
    [
      'the receiver the sender’s words when nothing is shared: no',
      ReferralSide.RECEIVER,
      ReferralSide.SENDER,
      NOTHING,
      false,
    ],
  ] as const)('shows %s', (_case, viewer, writer, share, expected) => {
    expect(wordsShownTo(viewer, writer, share)).toBe(expected);
  });
});
