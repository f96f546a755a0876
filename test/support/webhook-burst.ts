/**
 * A burst of referral changes made through Harbour server processes (server-process.ts), and the
 * accounts of what partners received: for the tests that kill a server during delivery or run two
 * on one database. The network, its endpoints and its partners (real HTTP receivers on loopback,
 * verifying every message with `standardwebhooks`) are set up through the test's in-process app
 * and GraphQL; what must be delivered is computed from the database — every outbox event × every
 * endpoint of a party subscribed to its type — never counted by hand.
 */
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { Fixtures } from './fixtures';
import type { ServerProcess } from './server-process';
import type { TestApp } from './test-app';
import { startPartner, verify, type Partner } from './webhook-partner';
import type { Handler } from './webhook-receiver';

const CREATE_ENDPOINT = `mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { webhookEndpoint { id } secret } }`;
const SEND = `mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }`;
const ACCEPT = `mutation ($id: ID!) { acceptReferral(id: $id) { referral { id } } }`;
const NOTE = `mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }`;
const START = `mutation ($id: ID!) { startReferral(id: $id) { referral { id } } }`;
/** The changes made to each referral, in order: sent, accepted, a note, started (an outbox event each). */
export const STEPS_PER_REFERRAL = 4;
/** Referrals worked at once: the burst's concurrency. */
const CONCURRENCY = 24;

/** One GraphQL request to a server process; its data, or an error quoting the GraphQL errors. */
export async function gqlAt<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<T> {
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

/** A line in the test's output (the counts the note quotes). */
export function report(line: string): void {
  process.stdout.write(`[webhooks] ${line}\n`);
}

export interface BurstEndpoint {
  readonly id: string;
  readonly secret: string;
  readonly partner: Partner;
}

/** One message as a receiver saw it, verified with its endpoint's secret. */
interface Seen {
  endpointId: string;
  webhookId: string;
  body: string;
}

export interface DeliveryCounts {
  /** Requests the receivers got. */
  received: number;
  /** Distinct (endpoint, webhook-id) among them. */
  delivered: number;
  duplicates: number;
  missing: number;
}

/**
 * The network of one test: a shelter (a caseworker; an endpoint for everything) referring clients
 * to a clinic (an intake worker; an endpoint for everything and one for ACCEPTED and NOTE_ADDED
 * only), and a bystander organization, party to nothing, with an endpoint for everything.
 */
export class WebhookBurst {
  readonly endpoints: BurstEndpoint[] = [];
  private bystander!: BurstEndpoint;
  private caseworker = '';
  /** The clinic's INTAKE worker (its access token): the receiving side of every referral of the burst. */
  intake = '';
  private referrals: { clientId: string; consentId: string; serviceId: string }[] = [];
  private readonly partners: Partner[] = [];
  private readonly f: Fixtures;
  /** Requests the receivers have got and not answered yet. */
  private waiting = 0;
  /** While true, the receivers keep their answers back (`hold`). */
  private holding = false;
  private readonly held: (() => void)[] = [];

  constructor(private readonly t: TestApp) {
    this.f = new Fixtures(t);
  }

  /**
   * Sets the network up for `changes` changes (a multiple of STEPS_PER_REFERRAL), its endpoints
   * created through `server`, their receivers answering 200 `answerDelayMs` after a request has
   * arrived (it is recorded at once).
   */
  async prepare(server: ServerProcess, answerDelayMs: number, changes: number): Promise<void> {
    const handler: Handler = (_request, response) => {
      this.waiting++;
      setTimeout(() => {
        const answer = () => {
          this.waiting--;
          response.writeHead(200);
          response.end();
        };
        if (this.holding) this.held.push(answer);
        else answer();
      }, answerDelayMs);
    };
    const shelter = await this.f.organization({ name: `Shelter ${randomUUID().slice(0, 8)}` });
    const clinic = await this.f.organization({ name: `Clinic ${randomUUID().slice(0, 8)}` });
    const bystander = await this.f.organization({ name: `Legal clinic ${randomUUID().slice(0, 8)}` });
    this.endpoints.push(
      await this.endpoint(server, shelter, handler),
      await this.endpoint(server, clinic, handler),
      await this.endpoint(server, clinic, handler, ['REFERRAL_ACCEPTED', 'REFERRAL_NOTE_ADDED']),
    );
    this.bystander = await this.endpoint(server, bystander, handler);
    const service = await this.f.service(clinic);
    for (let i = 0; i < changes / STEPS_PER_REFERRAL; i++) {
      const client = await this.f.client(shelter);
      const consent = await this.f.consent(client, [clinic], {
        dataCategories: [ConsentDataCategory.NEEDS, ConsentDataCategory.NOTES],
      });
      this.referrals.push({ clientId: client.id, consentId: consent.id, serviceId: service.id });
    }
    this.caseworker = (await this.f.signedIn(shelter, [Role.CASEWORKER])).token;
    this.intake = (await this.f.signedIn(clinic, [Role.INTAKE])).token;
  }

  /**
   * The changes, CONCURRENCY referrals at a time, each step of a referral through the server that
   * `via` picks for it; resolves with the number of changes made once all are answered.
   */
  async run(via: (step: number) => ServerProcess): Promise<number> {
    let next = 0;
    let changes = 0;
    const chain = async () => {
      for (let i = next++; i < this.referrals.length; i = next++) {
        const input = { ...this.referrals[i], reason: 'Needs a family doctor' };
        const sent = await gqlAt<{ sendReferral: { referral: { id: string } } }>(
          via(0).url,
          SEND,
          { i: input },
          this.caseworker,
        );
        const id = sent.sendReferral.referral.id;
        await gqlAt(via(1).url, ACCEPT, { id }, this.intake);
        await gqlAt(via(2).url, NOTE, { i: { referralId: id, body: 'Booked for Tuesday' } }, this.intake);
        await gqlAt(via(3).url, START, { id }, this.intake);
        changes += STEPS_PER_REFERRAL;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, chain));
    return changes;
  }

  /** Every `endpointId/eventId` that must be delivered (with the event's type), from the database. */
  async expected(): Promise<Map<string, string>> {
    const rows = await this.t.orm.em.fork().execute<{ endpoint_id: string; event_id: string; type: string }[]>(
      `select w.id as endpoint_id, e.id as event_id, e.type
         from outbox_event e
         join webhook_endpoint w on w.organization_id = any(e.organization_ids)
          and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))`,
    );
    return new Map(rows.map((row) => [`${row.endpoint_id}/${row.event_id}`, row.type]));
  }

  /** From now on the receivers keep their answers back: a delivery that arrives stays unanswered. */
  hold(): void {
    this.holding = true;
  }

  /** The receivers answer again, what they kept back first. */
  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }

  /** Requests that have arrived and are not answered yet. */
  unanswered(): number {
    return this.waiting;
  }

  /** Requests the parties' receivers have got so far. */
  received(): number {
    return this.endpoints.reduce((sum, e) => sum + e.partner.requests().length, 0);
  }

  /** Waits until every expected delivery has reached its receiver and the database holds none still to make. */
  async settled(want: ReadonlyMap<string, string>, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const arrived = new Set(this.seen().map((s) => `${s.endpointId}/${s.webhookId}`));
      const missing = [...want.keys()].filter((key) => !arrived.has(key)).length;
      if (missing === 0 && (await this.unfinishedDeliveries()) === 0) return;
      if (performance.now() > deadline)
        throw new Error(`${missing} of ${want.size} deliveries still missing after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /**
   * The counts, reported, and what holds in every run: every message verifies; nothing expected is
   * missing; nothing reached an endpoint not subscribed to it, nor the bystander; a duplicate is the
   * same message again — one body per webhook-id, one webhook-id per body.
   */
  account(want: ReadonlyMap<string, string>, label: string): DeliveryCounts {
    const messages = this.seen();
    const byKey = new Map<string, Seen[]>();
    for (const message of messages) {
      const key = `${message.endpointId}/${message.webhookId}`;
      byKey.set(key, [...(byKey.get(key) ?? []), message]);
    }
    const missing = [...want.keys()].filter((key) => !byKey.has(key));
    const unexpected = [...byKey.keys()].filter((key) => !want.has(key));
    const counts = {
      received: messages.length,
      delivered: byKey.size,
      duplicates: messages.length - byKey.size,
      missing: missing.length,
    };
    const events = new Set([...want.keys()].map((key) => key.split('/')[1])).size;
    report(
      `${label}: events ${events}, expected deliveries ${want.size}, received ${counts.received}, delivered ${counts.delivered}, ` +
        `duplicates ${counts.duplicates}, missing ${counts.missing}, unexpected ${unexpected.length}`,
    );
    expect(missing).toEqual([]);
    expect(unexpected).toEqual([]);
    for (const copies of byKey.values()) expect(new Set(copies.map((copy) => copy.body)).size).toBe(1);
    for (const e of this.endpoints) {
      const idsByBody = new Map<string, Set<string>>();
      for (const message of messages.filter((m) => m.endpointId === e.id))
        idsByBody.set(message.body, (idsByBody.get(message.body) ?? new Set()).add(message.webhookId));
      for (const ids of idsByBody.values()) expect(ids.size).toBe(1);
    }
    expect(this.bystander.partner.requests()).toHaveLength(0);
    return counts;
  }

  /** The delivery table: its rows, its distinct (endpoint, event) pairs, and attempts made beyond the first of each. */
  async deliveryRows(): Promise<{ rows: number; pairs: number; attemptsBeyondFirst: number }> {
    const [row] = await this.t.orm.em.fork().execute<{ rows: number; pairs: number; beyond: number }[]>(
      `select count(*)::int as rows, count(distinct (endpoint_id, event_id))::int as pairs,
              coalesce(sum(greatest(attempts - 1, 0)), 0)::int as beyond
         from webhook_delivery`,
    );
    return { rows: row.rows, pairs: row.pairs, attemptsBeyondFirst: row.beyond };
  }

  async close(): Promise<void> {
    await Promise.all(this.partners.splice(0).map((partner) => partner.close()));
  }

  private async endpoint(
    server: ServerProcess,
    organization: Organization,
    handler: Handler,
    eventTypes: string[] = [],
  ): Promise<BurstEndpoint> {
    const admin = (await this.f.signedIn(organization, [Role.ORG_ADMIN])).token;
    const partner = await startPartner();
    this.partners.push(partner);
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

  private seen(): Seen[] {
    return this.endpoints.flatMap((e) =>
      e.partner.requests().map((request) => {
        const message = verify(e.secret, request);
        return { endpointId: e.id, webhookId: message.id, body: message.raw };
      }),
    );
  }

  private async unfinishedDeliveries(): Promise<number> {
    const [{ unfinished }] = await this.t.orm.em
      .fork()
      .execute<{ unfinished: number }[]>(
        `select count(*)::int as unfinished from webhook_delivery where status <> 'SUCCEEDED'`,
      );
    return unfinished;
  }
}
