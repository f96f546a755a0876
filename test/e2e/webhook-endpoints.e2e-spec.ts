/**
 * Webhook endpoints through GraphQL (docs/architecture.md, Webhooks): creating one shows its secret
 * once and stores it sealed; URLs are held to the URL policy with errors that name the field and
 * never repeat the URL; the limit per organization; changing, disabling, enabling, deleting and
 * rotating, each audited without a secret or a URL's path; and the address policy again at
 * delivery time: this app allows no private network, so a receiver on loopback reached through
 * the name `localhost` (accepted when saved: a name is checked once resolved) is never connected to.
 */
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { WebhookDeliveryWorker } from '../../src/modules/webhooks';
import { Fixtures } from '../support/fixtures';
import { codeOf, dataOf } from '../support/responses';
import { startTestApp, type TestApp } from '../support/test-app';
import { startPartner, type Partner } from '../support/webhook-partner';

const ENDPOINT =
  'id url description eventTypes enabled disabledReason disabledAt failingSince lastSuccessAt previousSecretExpiresAt createdAt updatedAt';
const CREATE = `mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { webhookEndpoint { ${ENDPOINT} } secret warnings { field } } }`;
const UPDATE = `mutation ($id: ID!, $i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { webhookEndpoint { ${ENDPOINT} } warnings { field } } }`;
const DELETE = `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { webhookEndpoint { id } } }`;
const ROTATE = `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret webhookEndpoint { previousSecretExpiresAt } } }`;
const TEST = `mutation ($id: ID!) { sendTestWebhook(id: $id) { webhookDelivery { id eventId eventType status body } } }`;
const LIST = `{ webhookEndpoints(first: 50) { totalCount edges { node { id url } } } }`;
const DELIVERIES = `query ($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { id status attempts { httpStatus errorClass } } } } }`;
const REPLAY = `mutation ($i: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $i) { replayed } }`;

interface EndpointNode {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  previousSecretExpiresAt: string | null;
}

describe('Webhook endpoints', () => {
  let t: TestApp;
  let f: Fixtures;
  let own: Organization;
  let admin: string;
  let otherAdmin: string;
  let partner: Partner;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    own = await f.organization({ name: 'Endpoints own organization' });
    admin = (await f.signedIn(own, [Role.ORG_ADMIN])).token;
    otherAdmin = (await f.signedIn(await f.organization({ name: 'Endpoints other organization' }), [Role.ORG_ADMIN]))
      .token;
    partner = await startPartner();
  });
  afterAll(async () => {
    await partner?.close();
    await t?.close();
  });

  const create = (input: Record<string, unknown>, token = admin) =>
    t.gql<{ createWebhookEndpoint: { webhookEndpoint: EndpointNode; secret: string; warnings: unknown[] } }>(
      CREATE,
      { i: input },
      token,
    );
  const update = (id: string, input: Record<string, unknown>, token = admin) =>
    t.gql<{ updateWebhookEndpoint: { webhookEndpoint: EndpointNode } }>(UPDATE, { id, i: input }, token);
  const sql = <T>(text: string, params: unknown[] = []) => t.orm.em.fork().getConnection().execute<T[]>(text, params);

  describe('creating one', () => {
    it('answers with the endpoint and its secret, shown once and stored only sealed', async () => {
      const created = dataOf(
        await create({
          url: 'https://hooks.partner.example/in?token=query-token-s3cret',
          description: 'Case system',
          eventTypes: ['REFERRAL_SENT', 'CONSENT_REVOKED'],
        }),
      ).createWebhookEndpoint;
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(created.warnings).toEqual([]);
      expect(created.webhookEndpoint).toMatchObject({
        url: 'https://hooks.partner.example/in?token=query-token-s3cret',
        description: 'Case system',
        eventTypes: ['REFERRAL_SENT', 'CONSENT_REVOKED'],
        enabled: true,
        disabledReason: null,
      });
      const [row] = await sql<Record<string, unknown>>('select * from webhook_endpoint where id = ?', [
        created.webhookEndpoint.id,
      ]);
      expect(row.event_types).toEqual(['referral.sent', 'consent.revoked']);
      expect(row.secret_sealed).toMatch(/^hsb1\./);
      const stored = JSON.stringify(row);
      expect(stored).not.toContain('whsec_');
      expect(stored).not.toContain(created.secret.slice('whsec_'.length, 20));
      // Nowhere else: not in the audit log (the host only, never the query), not in the log lines.
      const [event] = await sql<{ details: Record<string, unknown> }>(
        `select details from audit_event where action = 'webhookEndpoint.create' and entity_id = ?`,
        [created.webhookEndpoint.id],
      );
      expect(event.details).toEqual({
        host: 'hooks.partner.example',
        eventTypes: ['referral.sent', 'consent.revoked'],
      });
      const everything = JSON.stringify(await sql('select * from audit_event')) + t.logs.join('\n');
      for (const secret of [created.secret.slice(6), 'query-token-s3cret']) expect(everything).not.toContain(secret);
    });

    it.each([
      ['not a URL', 'not a url'],
      ['http to a host that is not loopback', 'http://hooks.partner.example/in'],
      ['another scheme', 'ftp://hooks.partner.example/in'],
      ['a private address', 'https://10.1.2.3/in'],
      ['a loopback address no allowed network lists', 'http://127.0.0.1:8080/in'],
      ['the metadata service', 'https://169.254.169.254/latest'],
      ['credentials', 'https://user:pass-s3cret@hooks.partner.example/in'],
      ['a fragment', 'https://hooks.partner.example/in#s3cret'],
      ['a host without a dot', 'https://intranet/in'],
      ['too long', `https://hooks.partner.example/${'a'.repeat(2100)}`],
    ])('refuses %s with BAD_USER_INPUT naming input.url, never repeating it', async (_case, url) => {
      const response = await create({ url });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      const error = response.errors![0];
      expect(error.extensions?.fields).toEqual([{ field: 'input.url', message: expect.any(String) }]);
      expect(error.message).toMatch(/^input\.url /);
      expect(JSON.stringify(error)).not.toContain('s3cret');
    });

    it('accepts http to localhost outside production', async () => {
      const url = partner.url('a', 'localhost');
      expect(dataOf(await create({ url })).createWebhookEndpoint.webhookEndpoint.url).toBe(url);
    });

    it('refuses an unknown event type and a repeated one', async () => {
      expect(codeOf(await create({ url: 'https://hooks.partner.example/a', eventTypes: ['REFERRAL_EXPLODED'] }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(
        codeOf(
          await create({ url: 'https://hooks.partner.example/a', eventTypes: ['REFERRAL_SENT', 'REFERRAL_SENT'] }),
        ),
      ).toBe('BAD_USER_INPUT');
    });

    it('refuses more than 20 endpoints per organization, clearly', async () => {
      const organization = await f.organization({ name: `Busy ${randomUUID().slice(0, 8)}` });
      const busy = (await f.signedIn(organization, [Role.ORG_ADMIN])).token;
      for (let i = 0; i < 20; i++) dataOf(await create({ url: `https://hooks.partner.example/${i}` }, busy));
      const refused = await create({ url: 'https://hooks.partner.example/21' }, busy);
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors![0].message).toContain('already has 20 webhook endpoints');
      expect(refused.errors![0].extensions?.fields).toEqual([
        { field: 'input', message: 'at most 20 endpoints per organization' },
      ]);
      // Another organization is not counted with it.
      dataOf(await create({ url: 'https://hooks.partner.example/other' }, otherAdmin));
    });
  });

  describe('changing one', () => {
    it('changes the URL, the description and the event types; null clears the description', async () => {
      const { id } = dataOf(await create({ url: 'https://hooks.partner.example/x', description: 'Old' }))
        .createWebhookEndpoint.webhookEndpoint;
      const changed = dataOf(
        await update(id, {
          url: 'https://new.partner.example/y?k=1',
          description: null,
          eventTypes: ['REFERRAL_HELD'],
        }),
      ).updateWebhookEndpoint.webhookEndpoint;
      expect(changed).toMatchObject({
        url: 'https://new.partner.example/y?k=1',
        description: null,
        eventTypes: ['REFERRAL_HELD'],
      });
      const [event] = await sql<{ details: Record<string, unknown> }>(
        `select details from audit_event where action = 'webhookEndpoint.update' and entity_id = ?`,
        [id],
      );
      expect(event.details).toEqual({
        fields: ['description', 'eventTypes', 'url'],
        host: 'new.partner.example',
        enabled: true,
      });
      expect(codeOf(await update(id, { url: 'http://new.partner.example/y' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await update(id, { enabled: null }))).toBe('BAD_USER_INPUT');
    });

    it('disables it (ADMIN) and enables it again, clearing why', async () => {
      const { id } = dataOf(await create({ url: 'https://hooks.partner.example/d' })).createWebhookEndpoint
        .webhookEndpoint;
      const off = dataOf(await update(id, { enabled: false })).updateWebhookEndpoint.webhookEndpoint;
      expect(off).toMatchObject({ enabled: false, disabledReason: 'ADMIN' });
      expect(off.disabledAt).not.toBeNull();
      expect(codeOf(await t.gql(TEST, { id }, admin))).toBe('BAD_USER_INPUT');
      const on = dataOf(await update(id, { enabled: true })).updateWebhookEndpoint.webhookEndpoint;
      expect(on).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
    });

    it('rotates the secret: a new one, the previous one signing for 24 hours more', async () => {
      const created = dataOf(await create({ url: 'https://hooks.partner.example/r' })).createWebhookEndpoint;
      const before = Date.now();
      const rotated = dataOf(
        await t.gql<{ rotateWebhookSecret: { secret: string; webhookEndpoint: EndpointNode } }>(
          ROTATE,
          { id: created.webhookEndpoint.id },
          admin,
        ),
      ).rotateWebhookSecret;
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(created.secret);
      const expires = new Date(rotated.webhookEndpoint.previousSecretExpiresAt!).getTime();
      expect(expires).toBeGreaterThanOrEqual(before + 86_400_000 - 1000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 86_400_000);
      const [row] = await sql<Record<string, unknown>>('select * from webhook_endpoint where id = ?', [
        created.webhookEndpoint.id,
      ]);
      expect(JSON.stringify(row)).not.toContain('whsec_');
      expect(row.previous_secret_sealed).toMatch(/^hsb1\./);
    });

    it('deletes it with its deliveries', async () => {
      const { id } = dataOf(await create({ url: partner.url('gone', 'localhost') })).createWebhookEndpoint
        .webhookEndpoint;
      dataOf(await t.gql(TEST, { id }, admin));
      dataOf(await t.gql(DELETE, { id }, admin));
      expect(await sql('select id from webhook_delivery where endpoint_id = ?', [id])).toEqual([]);
      expect(codeOf(await t.gql(DELETE, { id }, admin))).toBe('NOT_FOUND');
    });
  });

  describe("another organization's endpoints", () => {
    it('are not listed, and are NOT_FOUND to every operation on one', async () => {
      const theirs = dataOf(await create({ url: 'https://theirs.partner.example/in' }, otherAdmin))
        .createWebhookEndpoint.webhookEndpoint;
      const listed = dataOf(await t.gql<{ webhookEndpoints: { edges: { node: { id: string } }[] } }>(LIST, {}, admin));
      expect(listed.webhookEndpoints.edges.map((e) => e.node.id)).not.toContain(theirs.id);
      for (const [query, variables] of [
        [UPDATE, { id: theirs.id, i: { enabled: false } }],
        [DELETE, { id: theirs.id }],
        [ROTATE, { id: theirs.id }],
        [TEST, { id: theirs.id }],
        [DELIVERIES, { id: theirs.id }],
        [
          REPLAY,
          { i: { endpointId: theirs.id, from: new Date(0).toISOString(), to: new Date(86_400_000).toISOString() } },
        ],
      ] as const)
        expect(codeOf(await t.gql(query, variables, admin))).toBe('NOT_FOUND');
    });
  });

  it('refuses a replay range that is reversed or longer than 31 days, naming the field', async () => {
    const { id } = dataOf(await create({ url: 'https://hooks.partner.example/replay' })).createWebhookEndpoint
      .webhookEndpoint;
    const day = 86_400_000;
    for (const [from, to] of [
      [2 * day, day],
      [0, 32 * day],
    ]) {
      const response = await t.gql(
        REPLAY,
        { i: { endpointId: id, from: new Date(from).toISOString(), to: new Date(to).toISOString() } },
        admin,
      );
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].extensions?.fields).toEqual([{ field: 'input.to', message: expect.any(String) }]);
    }
  });

  it('refuses at delivery an address the address policy refuses, without connecting, and records why', async () => {
    const { id } = dataOf(await create({ url: partner.url('ssrf', 'localhost') })).createWebhookEndpoint
      .webhookEndpoint;
    const test = dataOf(
      await t.gql<{ sendTestWebhook: { webhookDelivery: { eventType: string; status: string; body: string } } }>(
        TEST,
        { id },
        admin,
      ),
    ).sendTestWebhook.webhookDelivery;
    expect(test).toMatchObject({ eventType: 'webhook.test', status: 'PENDING' });
    expect(JSON.parse(test.body)).toMatchObject({ type: 'webhook.test', data: { endpointId: id } });
    expect(await t.app.get(WebhookDeliveryWorker).deliverDue()).toBeGreaterThanOrEqual(1);
    expect(partner.receiver.connections).toBe(0);
    const [delivery] = dataOf(
      await t.gql<{ webhookDeliveries: { edges: { node: { status: string; attempts: unknown[] } }[] } }>(
        DELIVERIES,
        { id },
        admin,
      ),
    ).webhookDeliveries.edges.map((e) => e.node);
    expect(delivery).toMatchObject({
      status: 'PENDING',
      attempts: [{ httpStatus: null, errorClass: 'ADDRESS_REFUSED' }],
    });
  });
});
