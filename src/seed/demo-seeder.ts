import { AuditCategory, AuditOutcome, AuditTrail, systemContext } from '@harbour/audit';
import { Role } from '@harbour/authz';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PasswordHasher } from '../auth/password-hasher';
import { Clock } from '../common/clock';
import type { ServiceArea } from '../common/service-area';
import { Client } from '../modules/clients/client.entity';
import { ClientRetention } from '../modules/erasure';
import { Consent } from '../modules/consent/consent.entity';
import { ServiceStatus } from '../modules/directory';
import { Location } from '../modules/directory/location.entity';
import { ServiceOffering } from '../modules/directory/service-offering.entity';
import { Organization } from '../modules/organizations/organization.entity';
import {
  ReferralAction,
  ReferralActorKind,
  ReferralSide,
  ReferralStatus,
  decideTransition,
} from '../modules/referrals';
import { Referral, ReferralNote, ReferralTransition } from '../modules/referrals/referral.entity';
import { Membership } from '../modules/staff/membership.entity';
import { StaffAccount } from '../modules/staff/staff-account.entity';
import { TrainingAcknowledgement } from '../modules/training/training-acknowledgement.entity';
import { TrainingModule } from '../modules/training/training-module.entity';
import {
  DEMO_ACCOUNTS,
  DEMO_LOCATIONS,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_SERVICES,
  WEEKDAYS,
  type OrgKey,
} from './demo-network';
import { seedReportHistory, type ReplayedReferral } from './demo-report-history';
import {
  DEMO_CLIENTS,
  DEMO_CONSENT_RECORDERS,
  DEMO_CONSENTS,
  DEMO_NOTICE_VERSION,
  DEMO_REFERRAL_ACTORS,
  DEMO_REFERRALS,
} from './demo-histories';
import { DEMO_TRAINING_MODULES, DEMO_UNTRAINED_ACCOUNT } from './demo-training';

const DAY_MS = 86_400_000;

export { DEMO_PASSWORD };

/** Seeds the demo network into an empty database, in one transaction. */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly retention: ClientRetention,
  ) {}

  /** True when it seeded; false when the database already had organizations. */
  async seedIfEmpty(): Promise<boolean> {
    if ((await this.em.fork().count(Organization, {})) > 0) return false;
    let operatorId: string | null = null;
    const seeded = await this.audit.transaction(
      () => systemContext(operatorId),
      async (em, audit) => {
        if ((await em.count(Organization, {})) > 0) {
          // Another process seeded in the meantime.
          audit.record({
            action: 'demo.seed',
            category: AuditCategory.EXECUTE,
            outcome: AuditOutcome.ERROR,
            details: { reason: 'not empty' },
          });
          return false;
        }
        const organizations = new Map<string, Organization>();
        for (const [key, data] of Object.entries(DEMO_ORGANIZATIONS)) {
          organizations.set(key, em.create(Organization, { ...data, isNetworkOperator: key === 'operator' }));
        }
        const org = (key: string) => organizations.get(key) as Organization;
        const locations = new Map<string, Location>();
        for (const { org: owner, key, ...data } of DEMO_LOCATIONS) {
          locations.set(key, em.create(Location, { ...data, organization: org(owner) }));
        }
        const assuredAt = new Date();
        const services = new Map<string, ServiceOffering>();
        for (const { org: owner, locations: at, opensAt, closesAt, days, ...data } of DEMO_SERVICES) {
          const service = em.create(ServiceOffering, {
            ...data,
            organization: org(owner),
            assuredAt,
            schedules: [{ days: days ?? WEEKDAYS, opensAt, closesAt }],
          });
          service.locations.set(at.map((key) => locations.get(key) as Location));
          services.set(data.name, service);
        }
        const passwordHash = await this.hasher.hash(DEMO_PASSWORD);
        const accounts = new Map<string, StaffAccount>();
        for (const { email, displayName, org: owner, roles, leadServiceArea } of DEMO_ACCOUNTS) {
          const account = em.create(StaffAccount, { email, displayName, passwordHash, passwordChangedAt: new Date() });
          em.create(Membership, {
            account,
            organization: org(owner),
            displayName,
            roles,
            leadServiceArea: leadServiceArea ?? null,
          });
          accounts.set(email, account);
        }
        const clients = new Map<string, Client>();
        const now = this.clock.now();
        const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
        for (const { key, org: owner, registeredDaysAgo, ...data } of DEMO_CLIENTS) {
          const registeredAt = daysAgo(registeredDaysAgo ?? 0);
          clients.set(
            key,
            em.create(Client, { ...data, organization: org(owner), createdAt: registeredAt, updatedAt: registeredAt }),
          );
        }
        const consents: Consent[] = [];
        for (const { client: key, recipients, days, givenDaysAgo, ...terms } of DEMO_CONSENTS) {
          const givenAt = daysAgo(givenDaysAgo ?? 30);
          const client = clients.get(key) as Client;
          const holder = DEMO_CLIENTS.find((demo) => demo.key === key)?.org as OrgKey;
          const consent = em.create(Consent, {
            ...terms,
            client,
            organization: client.organization,
            recipientOrganizationIds: recipients.map((recipient) => org(recipient).id),
            noticeVersion: DEMO_NOTICE_VERSION,
            recordedBy: (accounts.get(DEMO_CONSENT_RECORDERS[holder] as string) as StaffAccount).id,
            givenAt,
            expiresAt: new Date(givenAt.getTime() + days * DAY_MS),
          });
          consents.push(consent);
        }
        const actorsFor = (client: Client, service: ServiceOffering) => {
          const sides = { sender: client.organization, receiver: service.organization };
          return (by: 'sender' | 'receiver'): DemoActor => {
            const orgKey = Object.keys(DEMO_ORGANIZATIONS).find(
              (key) => org(key) === sides[by],
            ) as keyof typeof DEMO_ORGANIZATIONS;
            return {
              side: by === 'sender' ? ReferralSide.SENDER : ReferralSide.RECEIVER,
              organization: sides[by],
              actorKind: ReferralActorKind.STAFF,
              actorRole: by === 'sender' ? Role.CASEWORKER : Role.INTAKE,
              actorId: (accounts.get(DEMO_REFERRAL_ACTORS[by][orgKey] as string) as StaffAccount).id,
            };
          };
        };
        for (const demo of DEMO_REFERRALS) {
          const client = clients.get(demo.client) as Client;
          const service = services.get(demo.service) as ServiceOffering;
          const consent = consents.find(
            (c) => c.client === client && c.recipientOrganizationIds.includes(service.organization.id),
          ) as Consent;
          // One step a day after sending, the last no later than now.
          const sentAt = new Date(now.getTime() - demo.daysAgo * DAY_MS);
          const at = (step: number) =>
            new Date(Math.min(sentAt.getTime() + step * DAY_MS, now.getTime() - (demo.steps.length - step) * 60_000));
          replayReferral(em, { ...demo, client, service, consent, sentAt, at }, actorsFor(client, service));
        }
        const history = seedReportHistory(em, {
          now,
          org,
          services,
          recordedBy: (owner) => (accounts.get(DEMO_CONSENT_RECORDERS[owner] as string) as StaffAccount).id,
        });
        for (const referral of history) replayReferral(em, referral, actorsFor(referral.client, referral.service));
        const areasOf = (owner: OrgKey) =>
          new Set(
            [...services.values()]
              .filter((s) => s.organization === org(owner) && s.status === ServiceStatus.ACTIVE)
              .map((s) => s.serviceArea),
          );
        this.seedTraining(em, accounts, areasOf);
        operatorId = org('operator').id;
        audit.record({
          action: 'demo.seed',
          category: AuditCategory.CREATE,
          details: {
            organizations: organizations.size,
            accounts: DEMO_ACCOUNTS.length,
            clients: DEMO_CLIENTS.length,
            consents: DEMO_CONSENTS.length,
            referrals: DEMO_REFERRALS.length + history.length,
            trainingModules: DEMO_TRAINING_MODULES.length,
          },
        });
        await em.flush();
        return true;
      },
    );
    // The retention schedule's first sweep, at once: the demo's old history is erased as any would be.
    if (seeded) await this.retention.eraseDue();
    return seeded;
  }

  /**
   * The training modules, acknowledged by every demo account that must acknowledge them — those for
   * ALL, and those of its organization's services' areas — except DEMO_UNTRAINED_ACCOUNT, who has
   * acknowledged only the modules for ALL and so is refused client data.
   */
  private seedTraining(
    em: EntityManager,
    accounts: Map<string, StaffAccount>,
    areasOf: (owner: OrgKey) => Set<ServiceArea>,
  ): void {
    const modules = DEMO_TRAINING_MODULES.map(({ publishedBy, ...data }) =>
      em.create(TrainingModule, { ...data, publishedBy: accounts.get(publishedBy) as StaffAccount }),
    );
    for (const { email, org: owner } of DEMO_ACCOUNTS) {
      const areas = areasOf(owner);
      for (const module of modules) {
        const required = module.serviceArea === null || areas.has(module.serviceArea);
        const skipped = email === DEMO_UNTRAINED_ACCOUNT && module.serviceArea !== null;
        if (required && !skipped)
          em.create(TrainingAcknowledgement, {
            account: accounts.get(email) as StaffAccount,
            module,
            version: module.version,
          });
      }
    }
  }

  async hasDemoAccounts(): Promise<boolean> {
    const emails = DEMO_ACCOUNTS.map((a) => a.email);
    return (await this.em.fork().count(StaffAccount, { email: { $in: emails } })) > 0;
  }

  demoAccountLines(): string[] {
    return DEMO_ACCOUNTS.map(
      (a) =>
        `${a.email.padEnd(34)} ${a.roles.join(', ')}${a.leadServiceArea ? ` (${a.leadServiceArea})` : ''} — ${DEMO_ORGANIZATIONS[a.org].name}${a.email === DEMO_UNTRAINED_ACCOUNT ? ' — training not yet acknowledged: refused client data (TRAINING_REQUIRED)' : ''}`,
    );
  }
}

type DemoActor = Pick<ReferralTransition, 'side' | 'organization' | 'actorKind' | 'actorRole'> & { actorId: string };

/** A demo referral, sent and then moved through its steps by the lifecycle table (so none can be illegal). */
function replayReferral(em: EntityManager, demo: ReplayedReferral, actor: (by: 'sender' | 'receiver') => DemoActor) {
  const referral = em.create(Referral, {
    client: demo.client,
    sendingOrganization: demo.client.organization,
    receivingOrganization: demo.service.organization,
    service: demo.service,
    consent: demo.consent,
    priority: demo.priority,
    reason: demo.reason,
    sentBy: actor('sender').actorId,
    sentAt: demo.sentAt,
    updatedAt: demo.sentAt,
  });
  em.create(ReferralTransition, {
    referral,
    action: ReferralAction.SEND,
    toStatus: ReferralStatus.SENT,
    ...actor('sender'),
    at: demo.sentAt,
  });
  demo.steps.forEach((step, i) => {
    const by = actor(step.by);
    const decision = decideTransition(referral.status, step.action, by.side);
    if (!decision.allowed) throw new Error(`Demo referral history is illegal: ${decision.message}`);
    em.create(ReferralTransition, {
      referral,
      action: step.action,
      fromStatus: referral.status,
      toStatus: decision.transition.to,
      ...by,
      reasonCode: step.reasonCode ?? null,
      outcome: step.outcome ?? null,
      text: step.text ?? null,
      at: demo.at(i + 1),
    });
    referral.status = decision.transition.to;
    referral.outcome = step.outcome ?? referral.outcome;
    referral.updatedAt = demo.at(i + 1);
  });
  if (demo.steps.length > 0) referral.receivedAt = demo.at(1);
  for (const note of demo.notes ?? []) {
    const by = actor(note.by);
    em.create(ReferralNote, {
      referral,
      side: by.side,
      organization: by.organization,
      authorKind: by.actorKind,
      authorRole: by.actorRole,
      authorId: by.actorId,
      body: note.body,
      createdAt: referral.updatedAt,
    });
  }
}
