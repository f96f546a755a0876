import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from '../modules/clients/client.entity';
import { ConsentDataCategory, ConsentMethod, ConsentPurpose } from '../modules/consent';
import { Consent } from '../modules/consent/consent.entity';
import type { ServiceOffering } from '../modules/directory/service-offering.entity';
import type { Organization } from '../modules/organizations/organization.entity';
import { ReferralAction, ReferralOutcome, ReferralPriority, ReferralReasonCode } from '../modules/referrals';
import { DEMO_NOTICE_VERSION, type DemoStep } from './demo-histories';
import type { OrgKey } from './demo-network';

const DAY_MS = 86_400_000;

/**
 * The HEALTH area's earlier months, in bulk, so that the demo lead's `referralReport` has figures to
 * show (README, "Referral reports"): the shelter's completed referrals to the clinic reach
 * REPORT_MIN_CELL (10) every month and are published; its few declines and closures, and the police
 * unit's handful of referrals, stay under it in some month and are suppressed. Every one of them is
 * terminal, so nothing here waits in an inbox.
 */
export interface DemoHistoryBatch {
  from: OrgKey;
  service: string;
  /** 1 = last month, 2 = the month before, … */
  monthsAgo: number;
  completed: number;
  declined: number;
  unmet: number;
}

export const DEMO_REPORT_HISTORY: DemoHistoryBatch[] = [
  { from: 'shelter', service: 'Walk-in primary care', monthsAgo: 3, completed: 12, declined: 2, unmet: 0 },
  { from: 'shelter', service: 'Walk-in primary care', monthsAgo: 2, completed: 14, declined: 0, unmet: 1 },
  { from: 'shelter', service: 'Walk-in primary care', monthsAgo: 1, completed: 11, declined: 3, unmet: 0 },
  { from: 'shelter', service: 'Prenatal and newborn care', monthsAgo: 3, completed: 10, declined: 0, unmet: 0 },
  { from: 'shelter', service: 'Prenatal and newborn care', monthsAgo: 2, completed: 11, declined: 0, unmet: 0 },
  { from: 'shelter', service: 'Prenatal and newborn care', monthsAgo: 1, completed: 10, declined: 0, unmet: 0 },
  { from: 'police', service: 'Walk-in primary care', monthsAgo: 3, completed: 2, declined: 0, unmet: 1 },
  { from: 'police', service: 'Walk-in primary care', monthsAgo: 1, completed: 3, declined: 1, unmet: 0 },
];

/** The earlier clients of each sender (fictional first names), who take turns in its batches. */
export const DEMO_HISTORY_CLIENTS: Partial<Record<OrgKey, string[]>> = {
  shelter: ['Sami', 'Ines', 'Tomás', 'Yara', 'Dawit', 'Lena'],
  police: ['Joon', 'Leila'],
};

/** Their consents: to the clinic, NEEDS only, given before the first batch and long expired for some. */
const DEMO_HISTORY_CONSENT = {
  purpose: ConsentPurpose.SERVICE_REFERRAL,
  dataCategories: [ConsentDataCategory.NEEDS],
  method: ConsentMethod.VERBAL,
  language: 'en',
  days: 120,
};

/** The steps of each kind of history, replayed through the lifecycle table like every demo referral. */
const DEMO_HISTORY_STEPS: Record<'completed' | 'declined' | 'unmet', DemoStep[]> = {
  completed: [
    { action: ReferralAction.ACCEPT, by: 'receiver' },
    { action: ReferralAction.START, by: 'receiver' },
    { action: ReferralAction.COMPLETE, by: 'receiver', outcome: ReferralOutcome.SERVICE_PROVIDED },
  ],
  declined: [{ action: ReferralAction.DECLINE, by: 'receiver', reasonCode: ReferralReasonCode.NO_CAPACITY }],
  unmet: [
    { action: ReferralAction.ACCEPT, by: 'receiver' },
    { action: ReferralAction.CLOSE_UNMET, by: 'receiver', reasonCode: ReferralReasonCode.CLIENT_UNREACHABLE },
  ],
};

/** A demo referral ready to be replayed: who, where, under which consent, when each step happened. */
export interface ReplayedReferral {
  client: Client;
  service: ServiceOffering;
  consent: Consent;
  priority: ReferralPriority;
  reason: string;
  sentAt: Date;
  steps: DemoStep[];
  /** When step `n` (1 = the first after sending) happened. */
  at: (step: number) => Date;
  notes?: { by: 'sender' | 'receiver'; body: string }[];
}

/**
 * The earlier clients and their consents, and the referrals of DEMO_REPORT_HISTORY, spread over
 * their months (UTC) — a few days each to be accepted and a week or two to be completed, never
 * later than now.
 */
export function seedReportHistory(
  em: EntityManager,
  world: {
    now: Date;
    org: (key: OrgKey) => Organization;
    services: ReadonlyMap<string, ServiceOffering>;
    recordedBy: (owner: OrgKey) => string;
  },
): ReplayedReferral[] {
  const { now } = world;
  const monthStart = (monthsAgo: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
  const oldest = Math.max(...DEMO_REPORT_HISTORY.map((batch) => batch.monthsAgo));
  const givenAt = new Date(monthStart(oldest).getTime() - DAY_MS);
  const clientsOf = new Map<OrgKey, { client: Client; consent: Consent }[]>();
  for (const [owner, names] of Object.entries(DEMO_HISTORY_CLIENTS) as [OrgKey, string[]][]) {
    const { days, ...terms } = DEMO_HISTORY_CONSENT;
    clientsOf.set(
      owner,
      names.map((preferredName) => {
        const client = em.create(Client, { preferredName, languages: ['en'], organization: world.org(owner) });
        const consent = em.create(Consent, {
          ...terms,
          client,
          organization: client.organization,
          recipientOrganizationIds: [world.org('clinic').id],
          noticeVersion: DEMO_NOTICE_VERSION,
          recordedBy: world.recordedBy(owner),
          givenAt,
          expiresAt: new Date(givenAt.getTime() + days * DAY_MS),
        });
        return { client, consent };
      }),
    );
  }
  const latest = now.getTime() - 60_000;
  return DEMO_REPORT_HISTORY.flatMap((batch) => {
    const service = world.services.get(batch.service) as ServiceOffering;
    const kinds = (['completed', 'declined', 'unmet'] as const).flatMap((kind) =>
      Array.from({ length: batch[kind] }, () => kind),
    );
    const clients = clientsOf.get(batch.from) ?? [];
    return kinds.map((kind, i): ReplayedReferral => {
      const sentAt = new Date(monthStart(batch.monthsAgo).getTime() + (1 + ((i * 7) % 26)) * DAY_MS + 9 * 3_600_000);
      const steps = DEMO_HISTORY_STEPS[kind];
      // Accepted (or declined) in 1–3 days, started the next day, completed 4–12 days after sending.
      const offsets = [1 + (i % 3), 2 + (i % 3), 4 + (i % 9)];
      return {
        ...clients[i % clients.length],
        service,
        priority: ReferralPriority.ROUTINE,
        reason: 'Asked for a check-up.',
        sentAt,
        steps,
        at: (step) =>
          new Date(Math.min(sentAt.getTime() + offsets[step - 1] * DAY_MS, latest - (steps.length - step) * 1000)),
      };
    });
  });
}
