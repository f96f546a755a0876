/**
 * Webhook delivery end to end (docs/design.md, Partner events; docs/architecture.md, Webhooks):
 * referral and consent changes made through GraphQL reach the parties' partner receivers — real
 * HTTP servers on loopback, each verifying every message with `standardwebhooks` as a partner
 * would — through the outbox, the relay, the fan-out and the worker; and the rules of delivery:
 * routing, the id-only body, signatures during a rotation, retries under the controlled Clock,
 * Retry-After, redirects, 410, the five-day disable, redelivery, replay, purge and concurrency.
 */
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { relayAll } from '../support/relay';
import { RETRY_DELAYS_SECONDS } from '@harbour/webhooks';
import { Clock } from '../../src/common/clock';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { WebhookDeliveryWorker } from '../../src/modules/webhooks';
import { Fixtures } from '../support/fixtures';
import { dataOf } from '../support/responses';
import { startTestApp, type TestApp } from '../support/test-app';
import { startPartner, verify, type Partner } from '../support/webhook-partner';
import { answer } from '../support/webhook-receiver';

const CREATE = `mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { webhookEndpoint { id } secret } }`;
const UPDATE = `mutation ($id: ID!, $i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { webhookEndpoint { id enabled disabledReason failingSince } } }`;
const ENDPOINTS = `{ webhookEndpoints { edges { node { id enabled disabledReason disabledAt failingSince lastSuccessAt } } } }`;
const ROTATE = `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret webhookEndpoint { previousSecretExpiresAt } } }`;
const DELIVERIES = `query ($id: ID!, $status: WebhookDeliveryStatus) { webhookDeliveries(endpointId: $id, status: $status, first: 100) {
  edges { node { id eventId eventType body status attemptCount nextAttemptAt createdAt lastAttemptAt attempts { at httpStatus durationMs errorClass } } } } }`;
const REDELIVER = `mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { webhookDelivery { id status attemptCount } } }`;
const REPLAY = `mutation ($i: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $i) { replayed } }`;
const SEND = `mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }`;
const ACCEPT = `mutation ($id: ID!) { acceptReferral(id: $id) { referral { id } } }`;
const NOTE = `mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }`;
const REVOKE = `mutation ($id: ID!) { revokeConsent(id: $id, reason: { code: CLIENT_WITHDREW, note: "Revoked after a talk about Maple Street" }) { consent { id } } }`;

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  body: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  attempts: { at: string; httpStatus: number | null; durationMs: number; errorClass: string | null }[];
}

/** An organization of the test network with its administrator, and optionally a partner receiver and endpoint. */
interface Party {
  organization: Organization;
  admin: string;
  partner: Partner;
  endpoint: { id: string; secret: string };
}

describe('Webhook delivery', () => {
  let t: TestApp;
  let f: Fixtures;
  let worker: WebhookDeliveryWorker;
  let clock: Clock;
  const partners: Partner[] = [];

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' });
    f = new Fixtures(t);
    worker = t.app.get(WebhookDeliveryWorker);
    clock = t.app.get(Clock);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    // Every test starts with no endpoint, so that nothing of one test is attempted in another.
    await t.orm.em.fork().getConnection().execute('delete from webhook_endpoint');
    await Promise.all(partners.splice(0).map((partner) => partner.close()));
  });
  afterAll(() => t?.close());

  /** Harbour's clock from now on (wall time again after the test). */
  function setClock(at: Date): void {
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(at));
  }

  async function endpointFor(admin: string, partner: Partner, eventTypes: string[] = []) {
    const created = dataOf(
      await t.gql<{ createWebhookEndpoint: { webhookEndpoint: { id: string }; secret: string } }>(
        CREATE,
        { i: { url: partner.url(), eventTypes } },
        admin,
      ),
    ).createWebhookEndpoint;
    return { id: created.webhookEndpoint.id, secret: created.secret };
  }

  async function party(name: string, eventTypes: string[] = []): Promise<Party> {
    const organization = await f.organization({ name: `${name} ${randomUUID().slice(0, 8)}` });
    const admin = (await f.signedIn(organization, [Role.ORG_ADMIN])).token;
    const partner = await startPartner();
    partners.push(partner);
    return { organization, admin, partner, endpoint: await endpointFor(admin, partner, eventTypes) };
  }

  /** Hands every committed outbox event to the fan-out, then delivers what is due. */
  async function relayAndDeliver(): Promise<number> {
    await relayAll(t);
    return worker.deliverDue();
  }

  async function deliveries(p: Party, status?: string): Promise<Delivery[]> {
    return dataOf(
      await t.gql<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(
        DELIVERIES,
        { id: p.endpoint.id, status },
        p.admin,
      ),
    ).webhookDeliveries.edges.map((edge) => edge.node);
  }

  async function endpointState(p: Party) {
    const nodes = dataOf(
      await t.gql<{ webhookEndpoints: { edges: { node: Record<string, unknown> }[] } }>(ENDPOINTS, {}, p.admin),
    ).webhookEndpoints.edges.map((edge) => edge.node);
    return nodes.find((node) => node.id === p.endpoint.id)!;
  }

  /** A sender with a caseworker and a client, a receiver with an intake and a service, and a consent naming it. */
  async function referralSetting() {
    const sender = await party('Shelter');
    const receiver = await party('Clinic');
    const caseworker = (await f.signedIn(sender.organization, [Role.CASEWORKER])).token;
    const intake = (await f.signedIn(receiver.organization, [Role.INTAKE])).token;
    const client = await f.client(sender.organization, { preferredName: 'Amina Quetzal', needs: 'Asthma inhaler' });
    const consent = await f.consent(client, [receiver.organization], {
      dataCategories: [ConsentDataCategory.NEEDS, ConsentDataCategory.NOTES],
    });
    const service = await f.service(receiver.organization);
    const send = async (reason = 'Needs an inhaler refill near Maple Street') =>
      dataOf(
        await t.gql<{ sendReferral: { referral: { id: string } } }>(
          SEND,
          { i: { clientId: client.id, serviceId: service.id, consentId: consent.id, reason } },
          caseworker,
        ),
      ).sendReferral.referral.id;
    return { sender, receiver, caseworker, intake, client, consent, service, send };
  }

  describe('routing', () => {
    it("delivers a referral's events to both parties' endpoints, and to no third organization", async () => {
      const { sender, receiver, intake, send } = await referralSetting();
      const third = await party('Legal clinic');
      const referralId = await send();
      dataOf(await t.gql(ACCEPT, { id: referralId }, intake));
      await relayAndDeliver();

      for (const p of [sender, receiver]) {
        const messages = p.partner.messages(p.endpoint.secret);
        // Standard Webhooks promises no order: a partner orders by the referral's version.
        expect(messages.map((m) => m.type).sort()).toEqual(['referral.accepted', 'referral.sent']);
        expect(messages.every((m) => m.data.referralId === referralId)).toBe(true);
      }
      expect(third.partner.requests()).toHaveLength(0);
      expect(await deliveries(third)).toEqual([]);
      // One event, one webhook-id for every party: the outbox event's id.
      const sentTo = (p: Party) => p.partner.messages(p.endpoint.secret).find((m) => m.type === 'referral.sent')!;
      const [sentToSender, sentToReceiver] = [sentTo(sender), sentTo(receiver)];
      expect(sentToSender.id).toBe(sentToReceiver.id);
      const [row] = await t.orm.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>(`select id from outbox_event where aggregate_id = ? and type = 'referral.sent'`, [
          referralId,
        ]);
      expect(sentToSender.id).toBe(row.id);
    });

    it('delivers consent.revoked to the holder and to the organizations that received a referral under it, and the body names no one else', async () => {
      const { sender, receiver, client, caseworker } = await referralSetting();
      const namedOnly = await party('Named in the consent, never referred to');
      const consent = await f.consent(client, [receiver.organization, namedOnly.organization]);
      const service = await f.service(receiver.organization);
      dataOf(
        await t.gql(
          SEND,
          { i: { clientId: client.id, serviceId: service.id, consentId: consent.id, reason: 'Again' } },
          caseworker,
        ),
      );
      dataOf(await t.gql(REVOKE, { id: consent.id }, caseworker));
      await relayAndDeliver();

      const revokedTo = (p: Party) => p.partner.messages(p.endpoint.secret).filter((m) => m.type === 'consent.revoked');
      for (const p of [sender, receiver]) {
        const [message] = revokedTo(p);
        expect(message.data).toEqual({ consentId: consent.id, actingOrganizationId: sender.organization.id });
      }
      expect(namedOnly.partner.requests()).toHaveLength(0);
    });

    it('delivers only the chosen event types, and nothing to a disabled endpoint', async () => {
      const { sender, intake, send } = await referralSetting();
      const acceptedOnly = await startPartner();
      partners.push(acceptedOnly);
      const filtered = await endpointFor(sender.admin, acceptedOnly, ['REFERRAL_ACCEPTED']);
      const disabledPartner = await startPartner();
      partners.push(disabledPartner);
      const disabled = await endpointFor(sender.admin, disabledPartner);
      dataOf(await t.gql(UPDATE, { id: disabled.id, i: { enabled: false } }, sender.admin));

      dataOf(await t.gql(ACCEPT, { id: await send() }, intake));
      await relayAndDeliver();

      expect(acceptedOnly.messages(filtered.secret).map((m) => m.type)).toEqual(['referral.accepted']);
      expect(disabledPartner.requests()).toHaveLength(0);
      const [{ n }] = await t.orm.em
        .fork()
        .getConnection()
        .execute<{ n: string }[]>('select count(*) as n from webhook_delivery where endpoint_id = ?', [disabled.id]);
      expect(Number(n)).toBe(0);
    });
  });

  describe('the body', () => {
    it('holds the type, the time and id-only data: no client data, no free text', async () => {
      const { sender, receiver, caseworker, intake, client, send } = await referralSetting();
      const referralId = await send('Needs an inhaler refill near Maple Street');
      dataOf(await t.gql(ACCEPT, { id: referralId }, intake));
      dataOf(await t.gql(NOTE, { i: { referralId, body: 'Called Amina about Maple Street' } }, caseworker));
      await relayAndDeliver();

      for (const p of [sender, receiver]) {
        const messages = p.partner.messages(p.endpoint.secret).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
        expect(messages.map((m) => m.type)).toEqual(['referral.sent', 'referral.accepted', 'referral.note_added']);
        for (const message of messages) {
          expect(Object.keys(JSON.parse(message.raw) as object).sort()).toEqual(['data', 'timestamp', 'type']);
          expect(new Date(message.timestamp).toISOString()).toBe(message.timestamp);
          for (const value of Object.values(message.data))
            expect(typeof value === 'string' || typeof value === 'number' || value === null).toBe(true);
          for (const secret of ['Amina', 'Quetzal', 'inhaler', 'Maple', 'Asthma', client.id])
            expect(message.raw).not.toContain(secret);
        }
        expect(messages[1].data).toMatchObject({
          referralId,
          status: 'ACCEPTED',
          previousStatus: 'SENT',
          sendingOrganizationId: sender.organization.id,
          receivingOrganizationId: receiver.organization.id,
          actingOrganizationId: receiver.organization.id,
        });
        expect(typeof messages[2].data.noteId).toBe('string');
      }
      const headers = sender.partner.requests()[0].headers;
      expect(headers['content-type']).toBe('application/json');
      expect(headers['user-agent']).toBe('Harbour-Webhooks/1.0');
    });
  });

  describe('signatures during a rotation', () => {
    it('signs with both secrets for 24 hours, each verifying alone, then with the new one only', async () => {
      const { sender, send } = await referralSetting();
      const rotatedAt = new Date();
      setClock(rotatedAt);
      const rotated = dataOf(
        await t.gql<{ rotateWebhookSecret: { secret: string; webhookEndpoint: { previousSecretExpiresAt: string } } }>(
          ROTATE,
          { id: sender.endpoint.id },
          sender.admin,
        ),
      ).rotateWebhookSecret;
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(sender.endpoint.secret);
      expect(new Date(rotated.webhookEndpoint.previousSecretExpiresAt).getTime()).toBe(
        rotatedAt.getTime() + 86_400_000,
      );

      await send();
      await relayAndDeliver();
      const [during] = sender.partner.requests();
      expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(verify(sender.endpoint.secret, during).type).toBe('referral.sent');
      expect(verify(rotated.secret, during).type).toBe('referral.sent');

      setClock(new Date(rotatedAt.getTime() + 86_400_000 + 60_000));
      await send();
      await relayAndDeliver();
      const after = sender.partner.requests()[1];
      expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(verify(rotated.secret, after).type).toBe('referral.sent');
      expect(() => verify(sender.endpoint.secret, after)).toThrow('No matching signature found');
    });
  });

  describe('retries', () => {
    it('follows the retry schedule under the Clock, ten attempts, then fails the delivery', async () => {
      const { sender, send } = await referralSetting();
      sender.partner.answerWith(answer(500));
      let now = new Date();
      setClock(now);
      await send();
      await relayAndDeliver();
      for (let attempt = 2; attempt <= RETRY_DELAYS_SECONDS.length; attempt++) {
        const [pending] = await deliveries(sender);
        expect(pending).toMatchObject({ status: 'PENDING', attemptCount: attempt - 1 });
        const wait = new Date(pending.nextAttemptAt!).getTime() - now.getTime();
        const scheduled = RETRY_DELAYS_SECONDS[attempt - 1] * 1000;
        expect(wait).toBeGreaterThanOrEqual(scheduled * 0.9 - 1);
        expect(wait).toBeLessThanOrEqual(scheduled * 1.1 + 1);
        // Not a moment before it is due.
        setClock(new Date(new Date(pending.nextAttemptAt!).getTime() - 1000));
        expect(await worker.deliverDue()).toBe(0);
        now = new Date(pending.nextAttemptAt!);
        setClock(now);
        expect(await worker.deliverDue()).toBe(1);
      }
      const [failed] = await deliveries(sender);
      expect(failed).toMatchObject({ status: 'FAILED', attemptCount: 10, nextAttemptAt: null });
      expect(failed.attempts).toHaveLength(10);
      expect(failed.attempts.every((a) => a.httpStatus === 500 && a.errorClass === 'HTTP_5XX')).toBe(true);
      // Every attempt carried the same webhook-id and the same bytes.
      const requests = sender.partner.requests();
      expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
      expect(requests).toHaveLength(10);
    });

    it("honours a 429's Retry-After beyond the schedule", async () => {
      const { sender, send } = await referralSetting();
      sender.partner.answerWith(answer(429, { 'retry-after': '3600' }));
      const now = new Date();
      setClock(now);
      await send();
      await relayAndDeliver();
      const [pending] = await deliveries(sender);
      expect(new Date(pending.nextAttemptAt!).getTime() - now.getTime()).toBe(3600_000);
      expect(pending.attempts[0]).toMatchObject({ httpStatus: 429, errorClass: 'HTTP_4XX' });
    });

    it('counts a redirect as a failure and never follows it', async () => {
      const { sender, send } = await referralSetting();
      const elsewhere = await startPartner();
      partners.push(elsewhere);
      sender.partner.answerWith(answer(302, { location: elsewhere.url() }));
      await send();
      await relayAndDeliver();
      const [pending] = await deliveries(sender);
      expect(pending).toMatchObject({ status: 'PENDING', attemptCount: 1 });
      expect(pending.attempts[0]).toMatchObject({ httpStatus: 302, errorClass: 'HTTP_3XX' });
      expect(elsewhere.receiver.connections).toBe(0);
    });
  });

  describe('what disables an endpoint', () => {
    async function disableEvents(p: Party) {
      return t.orm.em
        .fork()
        .getConnection()
        .execute<{ actor_kind: string; chain_id: string; details: Record<string, unknown> }[]>(
          `select actor_kind, chain_id, details from audit_event where action = 'webhookEndpoint.disable' and entity_id = ?`,
          [p.endpoint.id],
        );
    }

    it('a 410 fails the delivery and disables the endpoint at once (GONE), audited as Harbour in its chain', async () => {
      const { sender, receiver, send } = await referralSetting();
      sender.partner.answerWith(answer(410));
      await send();
      await relayAndDeliver();
      const [failed] = await deliveries(sender);
      expect(failed).toMatchObject({ status: 'FAILED', nextAttemptAt: null });
      expect(failed.attempts[0]).toMatchObject({ httpStatus: 410, errorClass: 'HTTP_410' });
      expect(await endpointState(sender)).toMatchObject({ enabled: false, disabledReason: 'GONE' });
      expect(await disableEvents(sender)).toEqual([
        { actor_kind: 'SYSTEM', chain_id: sender.organization.id, details: { reason: 'GONE' } },
      ]);
      // Nothing more is queued for it; the other party still hears.
      await send();
      await relayAndDeliver();
      expect(await deliveries(sender)).toHaveLength(1);
      expect(receiver.partner.requests()).toHaveLength(2);
    });

    it('five days without a success disable it (FAILING); enabling it again sends what waited', async () => {
      const { sender, send } = await referralSetting();
      sender.partner.answerWith(answer(503));
      const start = new Date();
      setClock(start);
      await send();
      await relayAndDeliver();
      expect((await endpointState(sender)).failingSince).toBe(start.toISOString());

      const later = new Date(start.getTime() + 5 * 86_400_000 + 60_000);
      setClock(later);
      await send();
      await relayAndDeliver();
      expect(await endpointState(sender)).toMatchObject({
        enabled: false,
        disabledReason: 'FAILING',
        disabledAt: later.toISOString(),
        failingSince: start.toISOString(),
      });
      expect(await disableEvents(sender)).toEqual([
        { actor_kind: 'SYSTEM', chain_id: sender.organization.id, details: { reason: 'FAILING' } },
      ]);
      // While disabled, nothing is attempted; its deliveries wait, PENDING.
      const attempted = sender.partner.requests().length;
      setClock(new Date(later.getTime() + 2 * 86_400_000));
      await relayAndDeliver();
      expect(sender.partner.requests()).toHaveLength(attempted);
      expect((await deliveries(sender)).map((d) => d.status)).toEqual(['PENDING', 'PENDING']);

      sender.partner.answerWith(answer(204));
      dataOf(await t.gql(UPDATE, { id: sender.endpoint.id, i: { enabled: true } }, sender.admin));
      await worker.deliverDue();
      expect((await deliveries(sender)).map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(await endpointState(sender)).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
      expect((await endpointState(sender)).lastSuccessAt).not.toBeNull();
    });
  });

  describe('recovery', () => {
    it('redelivers one delivery: the same webhook-id and body, a new round, newly signed', async () => {
      const { sender, send } = await referralSetting();
      await send();
      await relayAndDeliver();
      const [delivered] = await deliveries(sender);
      expect(delivered.status).toBe('SUCCEEDED');
      expect(
        dataOf(
          await t.gql<{ redeliverWebhook: { webhookDelivery: Delivery } }>(
            REDELIVER,
            { id: delivered.id },
            sender.admin,
          ),
        ).redeliverWebhook.webhookDelivery,
      ).toMatchObject({ id: delivered.id, status: 'PENDING', attemptCount: 0 });
      await worker.deliverDue();
      const [first, again] = sender.partner.messages(sender.endpoint.secret);
      expect(again.id).toBe(first.id);
      expect(again.raw).toBe(first.raw);
      const [after] = await deliveries(sender);
      expect(after).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1 });
      expect(after.attempts).toHaveLength(2);
      const [{ n }] = await t.orm.em
        .fork()
        .getConnection()
        .execute<{ n: string }[]>(
          `select count(*) as n from audit_event where action = 'webhookDelivery.redeliver' and entity_id = ?`,
          [delivered.id],
        );
      expect(Number(n)).toBe(1);
    });

    it("replays an endpoint's FAILED deliveries of a time range, and only those", async () => {
      const { sender, send } = await referralSetting();
      sender.partner.answerWith(answer(410));
      const start = new Date(Date.now() - 3600_000);
      setClock(start);
      await send();
      await relayAndDeliver();
      dataOf(await t.gql(UPDATE, { id: sender.endpoint.id, i: { enabled: true } }, sender.admin));
      setClock(new Date(start.getTime() + 600_000));
      await send();
      await relayAndDeliver();
      dataOf(await t.gql(UPDATE, { id: sender.endpoint.id, i: { enabled: true } }, sender.admin));
      expect((await deliveries(sender, 'FAILED')).length).toBe(2);

      sender.partner.answerWith(answer(200));
      setClock(new Date(start.getTime() + 1200_000));
      const replayed = dataOf(
        await t.gql<{ replayWebhookDeliveries: { replayed: number } }>(
          REPLAY,
          {
            i: {
              endpointId: sender.endpoint.id,
              from: new Date(start.getTime() + 300_000).toISOString(),
              to: new Date(start.getTime() + 900_000).toISOString(),
            },
          },
          sender.admin,
        ),
      ).replayWebhookDeliveries.replayed;
      expect(replayed).toBe(1);
      await worker.deliverDue();
      expect((await deliveries(sender)).map((d) => d.status)).toEqual(['SUCCEEDED', 'FAILED']);
      const ids = sender.partner.requests().map((r) => r.headers['webhook-id']);
      expect(ids[2]).toBe(ids[1]);
    });
  });

  it('purges deliveries and their attempts after the retention period', async () => {
    const { sender, send } = await referralSetting();
    const start = new Date();
    setClock(start);
    await send();
    await relayAndDeliver();
    setClock(new Date(start.getTime() + 29 * 86_400_000));
    await send();
    await relayAndDeliver();
    const connection = t.orm.em.fork().getConnection();
    const counts = async () =>
      (
        await connection.execute<{ deliveries: string; attempts: string }[]>(
          `select (select count(*) from webhook_delivery where endpoint_id = ?) as deliveries,
                  (select count(*) from webhook_delivery_attempt a join webhook_delivery d on d.id = a.delivery_id where d.endpoint_id = ?) as attempts`,
          [sender.endpoint.id, sender.endpoint.id],
        )
      )[0];
    expect(await counts()).toEqual({ deliveries: '2', attempts: '2' });
    setClock(new Date(start.getTime() + 30 * 86_400_000 + 60_000));
    expect(await worker.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await counts()).toEqual({ deliveries: '1', attempts: '1' });
    const [{ orphans }] = await connection.execute<{ orphans: string }[]>(
      'select count(*) as orphans from webhook_delivery_attempt a where not exists (select 1 from webhook_delivery d where d.id = a.delivery_id)',
    );
    expect(orphans).toBe('0');
  });

  it('never delivers one delivery twice when two workers run at once', async () => {
    const { sender, receiver, send } = await referralSetting();
    for (let i = 0; i < 25; i++) await send(`Referral ${i}`);
    await relayAll(t);
    const [a, b] = await Promise.all([worker.deliverDue(), worker.deliverDue()]);
    // 25 events for each of the two parties.
    expect(a + b).toBe(50);
    for (const p of [sender, receiver]) {
      const ids = p.partner.messages(p.endpoint.secret).map((m) => m.id);
      expect(ids).toHaveLength(25);
      expect(new Set(ids).size).toBe(25);
      expect((await deliveries(p)).every((d) => d.status === 'SUCCEEDED' && d.attempts.length === 1)).toBe(true);
    }
  });
});
