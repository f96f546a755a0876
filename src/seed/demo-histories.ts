import { ContactPreference } from '../modules/clients';
import { ConsentDataCategory, ConsentMethod, ConsentPurpose } from '../modules/consent';
import { ReferralAction, ReferralOutcome, ReferralPriority, ReferralReasonCode } from '../modules/referrals';
import type { OrgKey } from './demo-network';

/**
 * The demo network's people and their histories (docs/design.md, The demo network): the shelter's
 * and the police victim-services unit's clients, their consents and their referrals. The
 * organizations, services and accounts they refer between are in demo-network.ts.
 */

/**
 * Clients: fictional people, with a preferred name and languages — what a client may give on a
 * first visit — and, for Amina, her needs in her own words and a phone number, so that the README's
 * walk-through shows what her consent shares with the clinic (NEEDS and CONTACT) and what it
 * withholds once revoked. Nadia (the shelter's) is referred to victim services, Rosa (victim
 * services') to the clinic: the unit sends and receives like any member. Nothing about status, ever.
 */
export const DEMO_CLIENTS: {
  key: string;
  org: OrgKey;
  preferredName: string;
  languages: string[];
  needs?: string;
  contact?: { phone: string; preference: ContactPreference; safeToLeaveMessage: boolean };
  /** Registered this long ago (today when unset). */
  registeredDaysAgo?: number;
}[] = [
  {
    key: 'amina',
    org: 'shelter',
    preferredName: 'Amina',
    languages: ['ar', 'fr'],
    needs: 'Asthma; her inhaler ran out last week. Prefers a woman doctor and an Arabic interpreter.',
    contact: { phone: '+1 555 0199', preference: ContactPreference.PHONE_ONLY, safeToLeaveMessage: false },
  },
  { key: 'luis', org: 'shelter', preferredName: 'Luis', languages: ['es'] },
  { key: 'mei', org: 'shelter', preferredName: 'Mei', languages: ['zh', 'en'] },
  { key: 'olek', org: 'shelter', preferredName: 'Olek', languages: ['uk', 'en'] },
  { key: 'nadia', org: 'shelter', preferredName: 'Nadia', languages: ['fa', 'en'] },
  { key: 'rosa', org: 'police', preferredName: 'Rosa', languages: ['es', 'en'] },
  // Helped more than two years ago and not seen since: the retention schedule erases him at the
  // first start (CLIENT_RETENTION_DAYS, 730 by default), leaving the shells "Erased client".
  {
    key: 'tomas',
    org: 'shelter',
    preferredName: 'Tomás',
    languages: ['pt', 'es'],
    needs: 'Two months of wages unpaid by a construction subcontractor.',
    registeredDaysAgo: 820,
  },
];

/** Their consents, recorded by a caseworker of the client's organization; Olek refused. */
export const DEMO_CONSENTS: {
  client: string;
  recipients: OrgKey[];
  purpose: ConsentPurpose;
  dataCategories: ConsentDataCategory[];
  method: ConsentMethod;
  language: string;
  days: number;
  /** Given this long ago (30 days when unset, so that the referrals' histories fall within them). */
  givenDaysAgo?: number;
}[] = [
  {
    client: 'amina',
    recipients: ['clinic'],
    purpose: ConsentPurpose.SERVICE_REFERRAL,
    dataCategories: [ConsentDataCategory.NEEDS, ConsentDataCategory.CONTACT],
    method: ConsentMethod.VERBAL,
    language: 'ar',
    days: 180,
  },
  {
    client: 'luis',
    recipients: ['legal'],
    purpose: ConsentPurpose.SERVICE_REFERRAL,
    dataCategories: [ConsentDataCategory.NEEDS],
    method: ConsentMethod.WRITTEN,
    language: 'es',
    days: 90,
  },
  {
    client: 'mei',
    recipients: ['clinic', 'legal'],
    purpose: ConsentPurpose.CARE_COORDINATION,
    dataCategories: [ConsentDataCategory.NEEDS, ConsentDataCategory.CONTACT, ConsentDataCategory.DEMOGRAPHICS],
    method: ConsentMethod.ELECTRONIC,
    language: 'en',
    days: 365,
  },
  {
    client: 'olek',
    recipients: [],
    purpose: ConsentPurpose.SERVICE_REFERRAL,
    dataCategories: [],
    method: ConsentMethod.VERBAL,
    language: 'uk',
    days: 365,
  },
  {
    client: 'nadia',
    recipients: ['police'],
    purpose: ConsentPurpose.SERVICE_REFERRAL,
    dataCategories: [ConsentDataCategory.NEEDS],
    method: ConsentMethod.VERBAL,
    language: 'fa',
    days: 90,
  },
  {
    client: 'rosa',
    recipients: ['clinic'],
    purpose: ConsentPurpose.SERVICE_REFERRAL,
    dataCategories: [ConsentDataCategory.NEEDS],
    method: ConsentMethod.WRITTEN,
    language: 'es',
    days: 120,
  },
  {
    client: 'tomas',
    recipients: ['legal'],
    purpose: ConsentPurpose.SERVICE_REFERRAL,
    dataCategories: [ConsentDataCategory.NEEDS],
    method: ConsentMethod.VERBAL,
    language: 'pt',
    days: 90,
    givenDaysAgo: 815,
  },
];

/** The account that records each organization's demo consents. */
export const DEMO_CONSENT_RECORDERS: Partial<Record<OrgKey, string>> = {
  shelter: 'caseworker@shelter.harbour.test',
  police: 'caseworker@police.harbour.test',
};

export const DEMO_NOTICE_VERSION = '2026-01';

/** One step after SEND, by the sending (shelter caseworker) or receiving (intake) side. */
export interface DemoStep {
  action: ReferralAction;
  by: 'sender' | 'receiver';
  reasonCode?: ReferralReasonCode;
  outcome?: ReferralOutcome;
  text?: string;
}

/**
 * The referrals, in several states, so that the inboxes and outboxes are alive at the
 * first start. Each history is replayed through the lifecycle table, so none can be illegal.
 */
export const DEMO_REFERRALS: {
  client: string;
  service: string;
  priority: ReferralPriority;
  reason: string;
  daysAgo: number;
  steps: DemoStep[];
  notes?: { by: 'sender' | 'receiver'; body: string }[];
}[] = [
  {
    client: 'amina',
    service: 'Walk-in primary care',
    priority: ReferralPriority.URGENT,
    reason: 'A cough for three weeks that is getting worse. Would like a woman doctor and an Arabic interpreter.',
    daysAgo: 6,
    steps: [
      { action: ReferralAction.ACCEPT, by: 'receiver' },
      { action: ReferralAction.START, by: 'receiver' },
    ],
    notes: [
      { by: 'sender', body: 'Best reached in the morning through the shelter front desk.' },
      { by: 'receiver', body: 'Seen on Tuesday; follow-up booked with an interpreter.' },
    ],
  },
  {
    client: 'mei',
    service: 'Counselling',
    priority: ReferralPriority.ROUTINE,
    reason: 'Trouble sleeping since moving into the shelter; asked to talk to someone.',
    daysAgo: 1,
    steps: [],
  },
  {
    client: 'mei',
    service: 'Housing and work legal advice',
    priority: ReferralPriority.ROUTINE,
    reason: 'Last employer has not paid two weeks of wages.',
    daysAgo: 4,
    steps: [{ action: ReferralAction.ACCEPT, by: 'receiver' }],
  },
  {
    client: 'luis',
    service: 'Housing and work legal advice',
    priority: ReferralPriority.URGENT,
    reason: 'Was evicted without notice and lost his belongings.',
    daysAgo: 20,
    steps: [
      { action: ReferralAction.ACCEPT, by: 'receiver' },
      { action: ReferralAction.START, by: 'receiver' },
      {
        action: ReferralAction.HOLD,
        by: 'receiver',
        reasonCode: ReferralReasonCode.AWAITING_CLIENT,
        text: 'Waiting for the landlord’s letter.',
      },
      { action: ReferralAction.RESUME, by: 'receiver' },
      {
        action: ReferralAction.COMPLETE,
        by: 'receiver',
        outcome: ReferralOutcome.SERVICE_PROVIDED,
        text: 'Tribunal application filed.',
      },
    ],
  },
  {
    client: 'amina',
    service: 'Prenatal and newborn care',
    priority: ReferralPriority.ROUTINE,
    reason: 'Asked about a check-up.',
    daysAgo: 10,
    steps: [
      {
        action: ReferralAction.DECLINE,
        by: 'receiver',
        reasonCode: ReferralReasonCode.NOT_ELIGIBLE,
        text: 'This service is for pregnancy and babies; walk-in care fits better.',
      },
    ],
  },
  {
    client: 'nadia',
    service: 'Victim support and court accompaniment',
    priority: ReferralPriority.URGENT,
    reason:
      'Was attacked on her way back to the shelter and is afraid to go out; would like support and to know her options.',
    daysAgo: 2,
    steps: [],
  },
  {
    client: 'rosa',
    service: 'Counselling',
    priority: ReferralPriority.ROUTINE,
    reason: 'Witnessed a violent robbery at work; nightmares since, asked to talk to someone in Spanish.',
    daysAgo: 3,
    steps: [{ action: ReferralAction.ACCEPT, by: 'receiver' }],
  },
  {
    client: 'tomas',
    service: 'Housing and work legal advice',
    priority: ReferralPriority.ROUTINE,
    reason: 'His subcontractor has not paid him for two months of work on a building site.',
    daysAgo: 810,
    steps: [
      { action: ReferralAction.ACCEPT, by: 'receiver' },
      { action: ReferralAction.START, by: 'receiver' },
      {
        action: ReferralAction.COMPLETE,
        by: 'receiver',
        outcome: ReferralOutcome.SERVICE_PROVIDED,
        text: 'Wage claim filed; the subcontractor paid in full.',
      },
    ],
    notes: [{ by: 'receiver', body: 'Came with his pay slips; claim drafted the same day.' }],
  },
];

/** The accounts that act for each side in the demo histories. */
export const DEMO_REFERRAL_ACTORS: Record<'sender' | 'receiver', Partial<Record<OrgKey, string>>> = {
  sender: { shelter: 'caseworker@shelter.harbour.test', police: 'caseworker@police.harbour.test' },
  receiver: {
    clinic: 'intake@clinic.harbour.test',
    legal: 'intake@legal.harbour.test',
    police: 'intake@police.harbour.test',
  },
};
