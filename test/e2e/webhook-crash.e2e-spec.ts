/**
 * Webhook delivery as deployed (docs/architecture.md, Webhooks): Harbour runs as its own operating
 * system process (test/support/server-process.ts) with the relay and the delivery worker on, and
 * partners' receivers are real HTTP servers on loopback that verify every message with
 * `standardwebhooks`. A burst of 1,000 referral changes is made through GraphQL; then
 *   - the server is killed with SIGKILL while deliveries are in flight and started again: every
 *     event reaches every endpoint subscribed to it at least once, and a duplicate is the same
 *     message (same webhook-id, same body);
 *   - two server processes share one database: every event is delivered, none twice.
 * What is expected is computed from the database (every outbox event × every endpoint of a party
 * subscribed to its type), never counted by hand. The counts are written to the test's output.
 */
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { Fixtures } from '../support/fixtures';
import { startServerProcess, stopServerProcesses, type ServerProcess } from '../support/server-process';
import { startTestApp, type TestApp } from '../support/test-app';
import { startPartner, verify, type Partner } from '../support/webhook-partner';
import type { Handler } from '../support/webhook-receiver';

const CHANGES = 1000;
/** Referral chains worked at once: the burst's concurrency. */
const CONCURRENCY = 24;

const CREATE_ENDPOINT = `mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { webhookEndpoint { id } secret } }`;
const SEND = `mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }`;
const ACCEPT = `mutation ($id: ID!) { acceptReferral(id: $id) { referral { id } } }`;
const NOTE = `mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }`;
const START = `mutation ($id: ID!) { startReferral(id: $id) { referral { id } } }`;
/** The changes made to each referral, in order (one outbox event each, at least). */
const STEPS_PER_REFERRAL = 4;

async function gqlAt<T>(url: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: unknown[] };
  if (!body.data || body.errors)
    throw new Error(`GraphQL request failed (${response.status}): ${JSON.stringify(body.errors)}`);
  return body.data;
}

function report(line: string): void {
  process.stdout.write(`[webhook-crash] ${line}\n`);
}

/** A partner whose receiver answers 200 after `delayMs` (the request is recorded when it has arrived). */
function slowly(delayMs: number): Handler {
  return (_request, response) => {
    setTimeout(() => {
      response.writeHead(200);
      response.end();
    }, delayMs);
  };
}

interface Endpoint {
  id: string;
  secret: string;
  partner: Partner;
}

/**
 * The network of one test: a shelter (caseworker, endpoint for everything) referring clients to a
 * clinic (intake; one endpoint for everything, one for ACCEPTED and NOTE_ADDED only), and a third
 * organization with an endpoint for everything that is party to nothing.
 */
interface Network {
  caseworker: string;
  intake: string;
  referrals: { clientId: string; consentId: string; serviceId: string }[];
  endpoints: Endpoint[];
  third: Endpoint;
}

/** One message as a receiver saw it, verified. */
interface Seen {
  endpointId: string;
  webhookId: string;
  body: string;
}

describe('Webhook delivery by server processes', () => {
  let t: TestApp;
  let f: Fixtures;
  const partners: Partner[] = [];

  // The in-process app is the test's window on its database (fixtures, counts); its relay and
  // worker are off (the test defaults): only the server processes deliver.
  beforeEach(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
  });
  afterEach(async () => {
    await stopServerProcesses();
    await Promise.all(partners.splice(0).map((partner) => partner.close()));
    await t?.close();
  });

  async function endpoint(
    server: ServerProcess,
    organization: Organization,
    handler: Handler,
    eventTypes: string[] = [],
  ): Promise<Endpoint> {
    const admin = (await f.signedIn(organization, [Role.ORG_ADMIN])).token;
    const partner = await startPartner();
    partners.push(partner);
    partner.answerWith(handler);
    const created = (
      await gqlAt<{ createWebhookEndpoint: { webhookEndpoint: { id: string }; secret: string } }>(
        server.url,
        CREATE_ENDPOINT,
        { i: { url: partner.url(), eventTypes } },
        admin,
      )
    ).createWebhookEndpoint;
    return { id: created.webhookEndpoint.id, secret: created.secret, partner };
  }

  async function network(server: ServerProcess, handler: Handler): Promise<Network> {
    const shelter = await f.organization({ name: `Shelter ${randomUUID().slice(0, 8)}` });
    const clinic = await f.organization({ name: `Clinic ${randomUUID().slice(0, 8)}` });
    const bystander = await f.organization({ name: `Legal clinic ${randomUUID().slice(0, 8)}` });
    const endpoints = [
      await endpoint(server, shelter, handler),
      await endpoint(server, clinic, handler),
      await endpoint(server, clinic, handler, ['REFERRAL_ACCEPTED', 'REFERRAL_NOTE_ADDED']),
    ];
    const third = await endpoint(server, bystander, handler);
    const service = await f.service(clinic);
    const referrals = [];
    for (let i = 0; i < CHANGES / STEPS_PER_REFERRAL; i++) {
      const client = await f.client(shelter);
      const consent = await f.consent(client, [clinic], {
        dataCategories: [ConsentDataCategory.NEEDS, ConsentDataCategory.NOTES],
      });
      referrals.push({ clientId: client.id, consentId: consent.id, serviceId: service.id });
    }
    return {
      caseworker: (await f.signedIn(shelter, [Role.CASEWORKER])).token,
      intake: (await f.signedIn(clinic, [Role.INTAKE])).token,
      referrals,
      endpoints,
      third,
    };
  }

  /**
   * CHANGES referral changes, CONCURRENCY referrals at a time: each sent, accepted, given a note and
   * started, each step through the server `via` picks for it. Returns the changes made.
   */
  async function burst(n: Network, via: (step: number) => ServerProcess): Promise<number> {
    let next = 0;
    let changes = 0;
    const chain = async () => {
      for (let i = next++; i < n.referrals.length; i = next++) {
        const input = { ...n.referrals[i], reason: 'Needs a family doctor' };
        const { id } = (
          await gqlAt<{ sendReferral: { referral: { id: string } } }>(via(0).url, SEND, { i: input }, n.caseworker)
        ).sendReferral.referral;
        await gqlAt(via(1).url, ACCEPT, { id }, n.intake);
        await gqlAt(via(2).url, NOTE, { i: { referralId: id, body: 'Booked for Tuesday' } }, n.intake);
        await gqlAt(via(3).url, START, { id }, n.intake);
        changes += STEPS_PER_REFERRAL;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, chain));
    return changes;
  }

  /** Every (endpoint, event) that must be delivered, from the database: the outbox's events × the parties' endpoints subscribed to them. */
  async function expected(): Promise<Map<string, string>> {
    const rows = await t.orm.em.fork().execute<{ endpoint_id: string; event_id: string; type: string }[]>(
      `select w.id as endpoint_id, e.id as event_id, e.type
         from outbox_event e
         join webhook_endpoint w on w.organization_id = any(e.organization_ids)
          and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))`,
    );
    return new Map(rows.map((row) => [`${row.endpoint_id}/${row.event_id}`, row.type]));
  }

  /** What the receivers have seen so far, each message verified with its endpoint's secret as a partner would. */
  function seen(endpoints: Endpoint[]): Seen[] {
    return endpoints.flatMap((e) =>
      e.partner.requests().map((request) => {
        const message = verify(e.secret, request);
        return { endpointId: e.id, webhookId: message.id, body: message.raw };
      }),
    );
  }

  async function pendingDeliveries(): Promise<number> {
    const [{ pending }] = await t.orm.em
      .fork()
      .execute<{ pending: number }[]>(
        `select count(*)::int as pending from webhook_delivery where status <> 'SUCCEEDED'`,
      );
    return pending;
  }

  /** Waits until every expected (endpoint, event) has reached its receiver and the database holds no delivery still to make. */
  async function settled(n: Network, want: Map<string, string>, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const arrived = new Set(seen(n.endpoints).map((s) => `${s.endpointId}/${s.webhookId}`));
      const missing = [...want.keys()].filter((key) => !arrived.has(key)).length;
      if (missing === 0 && (await pendingDeliveries()) === 0) return;
      if (performance.now() > deadline)
        throw new Error(`${missing} of ${want.size} deliveries still missing after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The counts, and the checks every run makes: nothing missing, nothing unexpected, duplicates identical. */
  function account(n: Network, want: Map<string, string>, label: string) {
    const messages = seen(n.endpoints);
    const byKey = new Map<string, Seen[]>();
    for (const message of messages) {
      const key = `${message.endpointId}/${message.webhookId}`;
      byKey.set(key, [...(byKey.get(key) ?? []), message]);
    }
    const missing = [...want.keys()].filter((key) => !byKey.has(key));
    const unexpected = [...byKey.keys()].filter((key) => !want.has(key));
    const duplicates = messages.length - byKey.size;
    report(
      `${label}: events ${new Set([...want.keys()].map((key) => key.split('/')[1])).size}, expected deliveries ${want.size}, ` +
        `received ${messages.length}, delivered ${byKey.size}, duplicates ${duplicates}, missing ${missing.length}, unexpected ${unexpected.length}`,
    );
    expect(missing).toEqual([]);
    expect(unexpected).toEqual([]);
    // A duplicate is the same message again: one body per webhook-id, one webhook-id per body.
    for (const copies of byKey.values()) expect(new Set(copies.map((copy) => copy.body)).size).toBe(1);
    for (const e of n.endpoints) {
      const idsByBody = new Map<string, Set<string>>();
      for (const message of messages.filter((m) => m.endpointId === e.id))
        idsByBody.set(message.body, (idsByBody.get(message.body) ?? new Set()).add(message.webhookId));
      for (const ids of idsByBody.values()) expect(ids.size).toBe(1);
    }
    expect(n.third.partner.requests()).toHaveLength(0);
    return { received: messages.length, delivered: byKey.size, duplicates, missing: missing.length };
  }

  async function deliveryRows(): Promise<{ rows: number; pairs: number; attemptsBeyondOne: number }> {
    const [row] = await t.orm.em.fork().execute<{ rows: number; pairs: number; attempts_beyond_one: number }[]>(
      `select count(*)::int as rows, count(distinct (endpoint_id, event_id))::int as pairs,
              coalesce(sum(greatest(attempts - 1, 0)), 0)::int as attempts_beyond_one
         from webhook_delivery`,
    );
    return { rows: row.rows, pairs: row.pairs, attemptsBeyondOne: row.attempts_beyond_one };
  }

  it('delivers every event to every subscribed endpoint after the server is killed with SIGKILL during delivery, duplicates being the same message', async () => {
    const env = { OUTBOX_RELAY_INTERVAL_MS: '200', WEBHOOK_WORKER_INTERVAL_MS: '1000' };
    let server = await startServerProcess(t.database, env);
    // Partners that take a quarter of a second to answer: deliveries are still being made when the burst ends.
    const n = await network(server, slowly(250));

    const startedAt = performance.now();
    const changes = await burst(n, () => server);
    const burstSeconds = (performance.now() - startedAt) / 1000;
    const want = await expected();
    const beforeKill = seen(n.endpoints).length;
    await server.kill('SIGKILL');
    report(
      `burst: ${changes} changes in ${burstSeconds.toFixed(1)} s; killed with SIGKILL after ${beforeKill} of ${want.size} deliveries had arrived`,
    );
    // The kill came during delivery: some had arrived, not all.
    expect(beforeKill).toBeGreaterThan(0);
    expect(beforeKill).toBeLessThan(want.size);
    expect(want.size).toBeGreaterThanOrEqual(changes * 2);

    server = await startServerProcess(t.database, env);
    // Deliveries leased by the killed process wait for their lease (60 s) to end before they go again.
    await settled(n, want, 150_000);
    const counts = account(n, want, 'kill -9');
    expect(counts.delivered).toBe(want.size);
    const rows = await deliveryRows();
    expect({ rows: rows.rows, pairs: rows.pairs }).toEqual({ rows: want.size, pairs: want.size });
    await server.stop();
  }, 300_000);

  it('delivers every event exactly once when two server processes relay and deliver from one database', async () => {
    const env = { OUTBOX_RELAY_INTERVAL_MS: '50', WEBHOOK_WORKER_INTERVAL_MS: '200' };
    const servers = await Promise.all([startServerProcess(t.database, env), startServerProcess(t.database, env)]);
    const n = await network(servers[0], slowly(5));

    // Each referral's steps go through both processes in turn: both commit events, both relay, both deliver.
    const changes = await burst(n, (step) => servers[step % 2]);
    const want = await expected();
    await settled(n, want, 120_000);
    const counts = account(n, want, `two processes (${changes} changes)`);
    expect(counts).toMatchObject({ received: want.size, delivered: want.size, duplicates: 0 });
    // One delivery per (endpoint, event), attempted once: neither relay fanned an event out twice, neither worker sent one twice.
    expect(await deliveryRows()).toEqual({ rows: want.size, pairs: want.size, attemptsBeyondOne: 0 });
    await Promise.all(servers.map((server) => server.stop()));
  }, 300_000);
});
