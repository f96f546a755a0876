import { systemContext } from '@harbour/audit/audit-context';
import { AuditTrail } from '@harbour/audit/audit-trail.service';
import { AuditCategory, AuditOutcome } from '@harbour/audit/audit.types';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PasswordHasher } from '../auth/password-hasher';
import { Clock } from '../common/clock';
import { Client } from '../modules/clients/client.entity';
import { Consent } from '../modules/consent/consent.entity';
import { Location } from '../modules/directory/location.entity';
import { ServiceOffering } from '../modules/directory/service-offering.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { Membership } from '../modules/staff/membership.entity';
import { StaffAccount } from '../modules/staff/staff-account.entity';
import {
  DEMO_ACCOUNTS,
  DEMO_CLIENTS,
  DEMO_CONSENT_RECORDER,
  DEMO_CONSENTS,
  DEMO_LOCATIONS,
  DEMO_NOTICE_VERSION,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_SERVICES,
  WEEKDAYS,
} from './demo-network';

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
  ) {}

  /** True when it seeded; false when the database already had organizations. */
  async seedIfEmpty(): Promise<boolean> {
    if ((await this.em.fork().count(Organization, {})) > 0) return false;
    let operatorId: string | null = null;
    return this.audit.transaction(
      () => systemContext(operatorId),
      async (em, audit) => {
      if ((await em.count(Organization, {})) > 0) {
        // Another process seeded in the meantime.
        audit.record({ action: 'demo.seed', category: AuditCategory.EXECUTE, outcome: AuditOutcome.ERROR, details: { reason: 'not empty' } });
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
      for (const { org: owner, locations: at, opensAt, closesAt, days, ...data } of DEMO_SERVICES) {
        const service = em.create(ServiceOffering, {
          ...data,
          organization: org(owner),
          assuredAt,
          schedules: [{ days: days ?? WEEKDAYS, opensAt, closesAt }],
        });
        service.locations.set(at.map((key) => locations.get(key) as Location));
      }
      const passwordHash = await this.hasher.hash(DEMO_PASSWORD);
      const accounts = new Map<string, StaffAccount>();
      for (const { email, displayName, org: owner, roles, leadServiceArea } of DEMO_ACCOUNTS) {
        const account = em.create(StaffAccount, { email, displayName, passwordHash, passwordChangedAt: new Date() });
        em.create(Membership, { account, organization: org(owner), roles, leadServiceArea: leadServiceArea ?? null });
        accounts.set(email, account);
      }
      const clients = new Map<string, Client>();
      for (const { key, org: owner, ...data } of DEMO_CLIENTS) clients.set(key, em.create(Client, { ...data, organization: org(owner) }));
      const givenAt = this.clock.now();
      for (const { client: key, recipients, days, ...terms } of DEMO_CONSENTS) {
        const client = clients.get(key) as Client;
        em.create(Consent, {
          ...terms,
          client,
          organization: client.organization,
          recipientOrganizationIds: recipients.map((recipient) => org(recipient).id),
          noticeVersion: DEMO_NOTICE_VERSION,
          recordedBy: (accounts.get(DEMO_CONSENT_RECORDER) as StaffAccount).id,
          givenAt,
          expiresAt: new Date(givenAt.getTime() + days * DAY_MS),
        });
      }
      operatorId = org('operator').id;
      audit.record({
        action: 'demo.seed',
        category: AuditCategory.CREATE,
        details: { organizations: organizations.size, accounts: DEMO_ACCOUNTS.length, clients: DEMO_CLIENTS.length, consents: DEMO_CONSENTS.length },
      });
      await em.flush();
      return true;
    });
  }

  async hasDemoAccounts(): Promise<boolean> {
    const emails = DEMO_ACCOUNTS.map((a) => a.email);
    return (await this.em.fork().count(StaffAccount, { email: { $in: emails } })) > 0;
  }

  demoAccountLines(): string[] {
    return DEMO_ACCOUNTS.map((a) => `${a.email.padEnd(34)} ${a.roles.join(', ')}${a.leadServiceArea ? ` (${a.leadServiceArea})` : ''} — ${DEMO_ORGANIZATIONS[a.org].name}`);
  }
}
