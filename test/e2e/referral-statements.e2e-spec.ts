/**
 * N+1 guard (issue 4 §4): what one HTTP GraphQL request costs in SQL statements, counted at the
 * pg driver. MikroORM's logger would miss part of it: the audit trail appends its events on the
 * transaction's raw pg connection (`connection.query`, libs/audit/src/audit-trail.service.ts), and
 * BEGIN/COMMIT are knex's. Every one of them, and the actor lookup of authentication, goes through
 * `pg.Client.prototype.query`, so that is where the counter sits — wrapped only while the request
 * runs (nothing else runs meanwhile: the expiry sweep is off and the test awaits everything else).
 *
 * Each request is made once unmeasured first: the first use of a pool connection, or of an audit
 * chain, costs set-up statements (creating the chain head) that a running server has paid long ago.
 */
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { PgListener } from '../../src/database/notifications/pg-listener';
import { Client } from '../../src/modules/clients/client.entity';
import { Consent } from '../../src/modules/consent/consent.entity';
import {
  ConsentDataCategory,
  ConsentMethod,
  ConsentPurpose,
  ConsentRevocationReason,
} from '../../src/modules/consent/consent.enums';
import type { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Referral, ReferralNote, ReferralTransition } from '../../src/modules/referrals/referral.entity';
import {
  ReferralAction,
  ReferralActorKind,
  ReferralPriority,
  ReferralReasonCode,
  ReferralSide,
  ReferralStatus,
} from '../../src/modules/referrals/referral.enums';
import { ServiceArea } from '../../src/common/service-area';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { dataOf } from '../support/responses';

/** The inbox page of the issue: every node with its client view, service, both organizations, last step and note count. */
const INBOX = `query ($first: Int!) {
  referrals(box: INBOX, first: $first) {
    edges { node {
      id status priority sentAt
      client { preferredName languages needs }
      service { id name }
      sendingOrganization { id name }
      receivingOrganization { id name }
      lastTransition { action at organization { name } }
      noteCount
    } }
  }
}`;

const CLIENT_CONSENTS = `query ($first: Int!) {
  clients(first: $first) {
    edges { node { id consents(first: 5) { edges { node { id status recipientOrganizations { name } } } } } }
  }
}`;

const CLIENT_CONSENT_PAGES = `query ($first: Int!) {
  clients(first: $first) {
    edges { node { id consents(first: 5) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }
  }
}`;

/** What one request may cost at most, everything included (issue 4 §4). */
const MAX_STATEMENTS = 10;
const SEEDED = 60;

/** A statement, named by what it does: `select referral`, `count referral`, `audit append`, `begin`… */
function labelOf(sql: string): string {
  const text = sql.trim().toLowerCase();
  if (/^(begin|commit|rollback)\b/.test(text)) return text.split(/[\s;]/, 1)[0];
  if (text === 'select 1') return 'listener sync';
  if (text.includes('insert into audit_event')) return 'audit append';
  if (text.startsWith('insert into audit_chain_head')) return 'audit chain head';
  const table = (pattern: RegExp) => pattern.exec(text)?.[1] ?? '?';
  if (text.startsWith('select count(') || /^select [^;]*count\(\*\)/.test(text))
    return `count ${table(/\bfrom\s+"?(\w+)"?/)}`;
  if (text.startsWith('select') || text.startsWith('with')) return `select ${table(/\bfrom\s+"?(\w+)"?/)}`;
  if (text.startsWith('insert')) return `insert ${table(/^insert into\s+"?(\w+)"?/)}`;
  if (text.startsWith('update')) return `update ${table(/^update\s+"?(\w+)"?/)}`;
  return text.split(/\s+/, 1)[0];
}

/** Runs `request` with every statement sent through pg recorded, in order of sending. */
async function statementsOf<T>(request: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  type Query = (this: PgClient, ...args: unknown[]) => unknown;
  const prototype = PgClient.prototype as unknown as { query: Query };
  const original = prototype.query;
  const statements: string[] = [];
  prototype.query = function (this: PgClient, ...args: unknown[]) {
    const [config] = args;
    statements.push(typeof config === 'string' ? config : ((config as { text?: string } | undefined)?.text ?? '?'));
    return original.apply(this, args);
  };
  try {
    return { result: await request(), statements };
  } finally {
    prototype.query = original;
  }
}

/** 'within budget', or what went over it (a failing assertion prints it). */
function withinBudget({ statements, breakdown }: { statements: string[]; breakdown: Record<string, number> }): string {
  return statements.length <= MAX_STATEMENTS
    ? 'within budget'
    : `${statements.length} statements: ${JSON.stringify(breakdown)}\n${statements.join('\n')}`;
}

/** The labels of the statements, counted: `{ 'select referral': 1, begin: 1, … }`, sorted by label. */
function breakdown(statements: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const label of statements.map(labelOf).sort()) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

describe('SQL statements per request', () => {
  let t: TestApp;
  let f: Fixtures;
  let shelter: Organization;
  let clinic: Organization;
  let intake: { token: string };
  let caseworker: { token: string };
  let primaryCare: ServiceOffering;

  /**
   * The statements of one request, after the same request unmeasured: once to open the process's
   * LISTEN connection (the actor cache keeps nothing before it listens), once to keep the caller.
   */
  async function measure<T>(query: string, variables: Record<string, unknown>, token: string) {
    dataOf(await t.gql<T>(query, variables, token));
    await t.app.get(PgListener).listening();
    dataOf(await t.gql<T>(query, variables, token));
    const { result, statements } = await statementsOf(() => t.gql<T>(query, variables, token));
    return { data: dataOf(result), statements, breakdown: breakdown(statements) };
  }

  /**
   * SEEDED referrals from the shelter to the clinic, newest first in a rotation of states with
   * their steps (HOLD with the intake's words), and zero to three notes of both sides.
   */
  async function seedInbox(services: ServiceOffering[], legal: Organization): Promise<void> {
    const em = t.orm.em.fork();
    const now = Date.now();
    const org = (id: string) => em.getReference(Organization, id);
    for (let i = 0; i < SEEDED; i++) {
      const client = em.create(Client, {
        organization: org(shelter.id),
        preferredName: `Client ${i}`,
        languages: ['so', 'en'],
        needs: `Needs ${i}`,
      });
      const consent = em.create(Consent, {
        client,
        organization: org(shelter.id),
        recipientOrganizationIds: [clinic.id, legal.id],
        purpose: ConsentPurpose.SERVICE_REFERRAL,
        dataCategories: [ConsentDataCategory.NEEDS, ConsentDataCategory.NOTES],
        method: ConsentMethod.VERBAL,
        language: 'en',
        noticeVersion: 'test-1',
        recordedBy: randomUUID(),
        givenAt: new Date(now - 86_400_000),
        expiresAt: new Date(now + 30 * 86_400_000),
      });
      const sentAt = new Date(now - (i + 1) * 60_000);
      const steps: [ReferralAction, ReferralStatus, ReferralSide, string | null][] = [
        [ReferralAction.SEND, ReferralStatus.SENT, ReferralSide.SENDER, null],
      ];
      if (i % 4 >= 1) steps.push([ReferralAction.ACCEPT, ReferralStatus.ACCEPTED, ReferralSide.RECEIVER, null]);
      if (i % 4 >= 2) steps.push([ReferralAction.START, ReferralStatus.IN_PROGRESS, ReferralSide.RECEIVER, null]);
      if (i % 4 >= 3)
        steps.push([ReferralAction.HOLD, ReferralStatus.ON_HOLD, ReferralSide.RECEIVER, 'Waiting list, two weeks']);
      const referral = em.create(Referral, {
        client,
        sendingOrganization: org(shelter.id),
        receivingOrganization: org(clinic.id),
        service: services[i % services.length],
        consent,
        status: steps[steps.length - 1][1],
        priority: i % 3 === 0 ? ReferralPriority.URGENT : ReferralPriority.ROUTINE,
        reason: `Reason ${i}`,
        sentBy: randomUUID(),
        sentAt,
        updatedAt: sentAt,
      });
      steps.forEach(([action, toStatus, side, text], n) =>
        em.create(ReferralTransition, {
          referral,
          action,
          fromStatus: n === 0 ? null : steps[n - 1][1],
          toStatus,
          side,
          organization: org(side === ReferralSide.SENDER ? shelter.id : clinic.id),
          actorKind: ReferralActorKind.STAFF,
          actorRole: side === ReferralSide.SENDER ? Role.CASEWORKER : Role.INTAKE,
          actorId: randomUUID(),
          reasonCode: action === ReferralAction.HOLD ? ReferralReasonCode.WAITLISTED : null,
          text,
          at: new Date(sentAt.getTime() + n * 1000),
        }),
      );
      for (let n = 0; n < i % 4; n++) {
        const side = n % 2 === 0 ? ReferralSide.SENDER : ReferralSide.RECEIVER;
        em.create(ReferralNote, {
          referral,
          side,
          organization: org(side === ReferralSide.SENDER ? shelter.id : clinic.id),
          authorKind: ReferralActorKind.STAFF,
          authorRole: side === ReferralSide.SENDER ? Role.CASEWORKER : Role.INTAKE,
          authorId: randomUUID(),
          body: `Note ${n} on referral ${i}`,
          createdAt: new Date(sentAt.getTime() + 5000 + n * 1000),
        });
      }
      // Older consents of the same client, so that `consents(first: 5)` has pages to cut.
      for (let n = 1; n <= i % 7; n++) {
        em.create(Consent, {
          client,
          organization: org(shelter.id),
          recipientOrganizationIds: n % 2 === 0 ? [legal.id] : [],
          purpose: ConsentPurpose.SERVICE_REFERRAL,
          dataCategories: n % 2 === 0 ? [ConsentDataCategory.NEEDS] : [],
          method: ConsentMethod.WRITTEN,
          language: 'en',
          noticeVersion: 'test-1',
          recordedBy: randomUUID(),
          givenAt: new Date(now - (n + 1) * 86_400_000),
          expiresAt: new Date(now + (20 - n) * 86_400_000),
          ...(n === 3
            ? {
                revokedAt: new Date(now - 3600_000),
                revokedBy: randomUUID(),
                revocationReason: ConsentRevocationReason.CLIENT_WITHDREW,
              }
            : {}),
        });
      }
    }
    await em.flush();
  }

  beforeAll(async () => {
    t = await startTestApp({ REFERRAL_EXPIRY_SWEEP_SECONDS: '0' });
    f = new Fixtures(t);
    shelter = await f.organization({ name: 'Shelter' });
    clinic = await f.organization({ name: 'Clinic' });
    const legal = await f.organization({ name: 'Legal clinic' });
    const services = [
      await f.service(clinic, { name: 'Primary care' }),
      await f.service(clinic, { name: 'Dental care' }),
      await f.service(clinic, { name: 'Counselling' }),
    ];
    primaryCare = services[0];
    await seedInbox(services, legal);
    intake = await f.signedIn(clinic, [Role.INTAKE]);
    caseworker = await f.signedIn(shelter, [Role.CASEWORKER]);
    // Trained callers: the training gate is looked up within the membership statement, at no extra cost.
    await f.trainingModule();
    await f.trainingModule({ serviceArea: ServiceArea.HEALTH });
    await f.acknowledgeEverything();
  });
  afterAll(() => t.close());

  it(`an inbox page of 50 referrals with client, service, organizations, last step and note count costs what a page of 5 costs, at most ${MAX_STATEMENTS} statements`, async () => {
    type Page = {
      referrals: { edges: { node: { status: string; noteCount: number; lastTransition: { action: string } } }[] };
    };
    const five = await measure<Page>(INBOX, { first: 5 }, intake.token);
    const fifty = await measure<Page>(INBOX, { first: 50 }, intake.token);

    // The pages hold what they should: every state, steps, notes.
    expect(five.data.referrals.edges).toHaveLength(5);
    expect(fifty.data.referrals.edges).toHaveLength(50);
    expect(new Set(fifty.data.referrals.edges.map((e) => e.node.status))).toEqual(
      new Set(['SENT', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD']),
    );
    expect(fifty.data.referrals.edges.some((e) => e.node.noteCount > 0)).toBe(true);
    expect(fifty.data.referrals.edges.some((e) => e.node.lastTransition.action === 'HOLD')).toBe(true);

    // Failures print both breakdowns (the statements are in `statements`, in the order sent).
    expect({ statements: fifty.statements.length, breakdown: fifty.breakdown }).toEqual({
      statements: five.statements.length,
      breakdown: five.breakdown,
    });
    expect(withinBudget(five)).toBe('within budget');
    // The breakdown, as documentation (issue 4 §4 asks for it).
    expect(five.breakdown).toEqual({
      // Authentication: the caller as kept by the actor cache, once this process has heard every
      // change committed before the request (a round trip on its LISTEN connection, shared by the
      // requests that arrive meanwhile); a caller not kept costs 'select membership' instead.
      'listener sync': 1,
      'select referral': 1, // the page, with client and consent, as rows (no COUNT: totalCount is not selected)
      'select service': 1, // the services it names, with their organization and locations
      'select organization': 1, // the sending and receiving organizations
      'select referral_transition': 1, // lastTransition, batched, organization joined
      'count referral_note': 1, // noteCount, batched
      // The READ events of the page (its client views, and the steps whose words the intake may
      // see), appended by one statement that is its own transaction: committed before the data is returned.
      'audit append': 1,
    });
  });

  it('a page whose steps carry no words the intake may see costs what a page with such words costs', async () => {
    // The three newest referrals are SENT, ACCEPTED and IN_PROGRESS; the fourth is ON_HOLD with the intake's words.
    const three = await measure(INBOX, { first: 3 }, intake.token);
    const fifty = await measure(INBOX, { first: 50 }, intake.token);
    expect({ statements: fifty.statements.length, breakdown: fifty.breakdown }).toEqual({
      statements: three.statements.length,
      breakdown: three.breakdown,
    });
  });

  it('a page of 50 clients with five consents each costs what a page of 5 clients costs', async () => {
    type Page = {
      clients: {
        edges: {
          node: { consents: { edges: { node: { status: string; recipientOrganizations: { name: string }[] } }[] } };
        }[];
      };
    };
    const five = await measure<Page>(CLIENT_CONSENTS, { first: 5 }, caseworker.token);
    const fifty = await measure<Page>(CLIENT_CONSENTS, { first: 50 }, caseworker.token);

    expect(five.data.clients.edges).toHaveLength(5);
    expect(fifty.data.clients.edges).toHaveLength(50);
    const consentCounts = fifty.data.clients.edges.map((e) => e.node.consents.edges.length);
    expect(Math.max(...consentCounts)).toBe(5);
    expect(Math.min(...consentCounts)).toBe(1);

    expect({ statements: fifty.statements.length, breakdown: fifty.breakdown }).toEqual({
      statements: five.statements.length,
      breakdown: five.breakdown,
    });
    expect(withinBudget(five)).toBe('within budget');
    expect(five.breakdown).toEqual({
      'listener sync': 1, // authentication (the kept caller)
      'select client': 1, // the page
      'audit append': 1, // its client.read events: one statement, its own transaction, committed before the page is returned
      'select consent': 1, // every client's first five consents, ranked per client in one statement
      'select organization': 1, // the organizations they name
    });
  });

  it("sendReferral is one transaction of fixed statements (its reads as rows, three inserts, its audit event), and the answer's client costs its READ event", async () => {
    const client = await f.client(shelter, { preferredName: 'Ana' });
    const consent = await f.consent(client, [clinic]);
    const sent = await measure<{
      sendReferral: { referral: { id: string; status: string; client: { preferredName: string } } };
    }>(
      `mutation ($input: SendReferralInput!) {
        sendReferral(input: $input) { referral { id status client { preferredName } service { name locations { name } organization { name } } sendingOrganization { name } } }
      }`,
      {
        input: {
          clientId: client.id,
          serviceId: primaryCare.id,
          consentId: consent.id,
          reason: 'A check-up',
          priority: 'ROUTINE',
        },
      },
      caseworker.token,
    );
    expect(sent.data.sendReferral.referral).toMatchObject({ status: 'SENT', client: { preferredName: 'Ana' } });
    // Whatever the answer selects of the service, its organization or the client, nothing more is read.
    expect(sent.breakdown).toEqual({
      'listener sync': 1, // the caller, as kept by the actor cache
      begin: 1,
      'select client': 1, // the client, of the caller's organization, locked FOR SHARE against its erasure
      'select service': 1, // the service with its locations
      'select organization': 1, // the service's organization and the caller's
      'select consent': 1, // the consent, of the caller's organization, locked FOR SHARE against its revocation
      'insert referral': 1,
      'insert referral_transition': 1, // the SEND step
      'insert outbox_event': 1, // referral.sent, for both parties
      'audit append': 2, // referral.send, in the same transaction; after the commit, the READ event of the client shown
      commit: 1,
    });
  });

  it("pages each client's consents on its own when they are loaded together: first five, hasNextPage, totalCount, then after", async () => {
    type Consents = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { id: string } }[];
    };
    const five = await measure<{ clients: { edges: { node: { id: string; consents: Consents } }[] } }>(
      CLIENT_CONSENT_PAGES,
      { first: 5 },
      caseworker.token,
    );
    const fifty = await measure<{ clients: { edges: { node: { id: string; consents: Consents } }[] } }>(
      CLIENT_CONSENT_PAGES,
      { first: 50 },
      caseworker.token,
    );
    // totalCount adds one statement for the whole page, whatever its size.
    expect(fifty.breakdown).toEqual(five.breakdown);
    expect(five.breakdown['count consent']).toBe(1);

    const expected = await t.orm.em
      .fork()
      .getConnection()
      .execute<{ client_id: string; ids: string[] }[]>(
        'select client_id, array_agg(id::text order by given_at desc, id desc) as ids from consent where client_id in (select id from client where organization_id = ?) group by client_id',
        [shelter.id],
      );
    const idsOf = new Map(expected.map((row) => [row.client_id, row.ids]));
    for (const { node } of fifty.data.clients.edges) {
      const all = idsOf.get(node.id)!;
      expect(node.consents).toMatchObject({ totalCount: all.length, pageInfo: { hasNextPage: all.length > 5 } });
      expect(node.consents.edges.map((e) => e.node.id)).toEqual(all.slice(0, 5));
    }
    const longest = fifty.data.clients.edges.find((e) => e.node.consents.pageInfo.hasNextPage)!.node;
    const rest = dataOf(
      await t.gql<{ client: { consents: Consents } }>(
        'query ($id: ID!, $after: String) { client(id: $id) { consents(first: 5, after: $after) { pageInfo { hasNextPage } edges { node { id } } } } }',
        { id: longest.id, after: longest.consents.pageInfo.endCursor },
        caseworker.token,
      ),
    );
    expect(rest.client.consents.edges.map((e) => e.node.id)).toEqual(idsOf.get(longest.id)!.slice(5, 10));
  });
});
