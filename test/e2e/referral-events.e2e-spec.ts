/**
 * The live inbox (docs/design.md, Partner events; docs/architecture.md, Live events): the
 * `referralEvents` subscription over graphql-ws on `/graphql`, reached as a partner would with
 * graphql-ws's client over a real socket on loopback — authentication in `connection_init`, the
 * permission through the same guard as HTTP, routing to the parties only, the id-only fields, the
 * credential rechecked while connected, the per-credential cap, a subscriber that falls behind,
 * hostile documents and messages, and the fan-out across two server processes on one database.
 */
import { ApiScope, Role } from '@harbour/authz';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import WebSocket from 'ws';
import { LiveConnections } from '../../src/graphql/live-connections';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../../src/auth/request-authenticator';
import { LiveEventsHub } from '../../src/modules/live-events';
import { Fixtures } from '../support/fixtures';
import { live, type LiveClient, REFERRAL_EVENTS, until } from '../support/live-client';
import { relayAll } from '../support/relay';
import { dataOf } from '../support/responses';
import { startTestApp, type TestApp } from '../support/test-app';

const SEND = `mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }`;
const ACCEPT = `mutation ($id: ID!) { acceptReferral(id: $id) { referral { id } } }`;
const REVOKE_KEY = `mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id } } }`;
const REVOKE_CONSENT = `mutation ($id: ID!) { revokeConsent(id: $id, reason: { code: CLIENT_WITHDREW }) { consent { id } } }`;
const DEACTIVATE = `mutation ($id: ID!) { deactivateStaffAccount(accountId: $id) { staffMember { accountId } } }`;

type Event = Record<string, unknown>;
const eventsOf = (client: LiveClient): Event[] =>
  client.results.flatMap((result) => (result.data?.referralEvents ? [result.data.referralEvents as Event] : []));
const codesOf = (client: LiveClient): unknown[] =>
  client.results.flatMap((result) => result.errors?.map((error) => error.extensions?.code) ?? []);

describe('referralEvents (live inbox)', () => {
  let t: TestApp;
  let f: Fixtures;
  let url: string;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      SUBSCRIPTION_RECHECK_MS: '100',
      SUBSCRIPTION_MAX_CONNECTIONS_PER_CREDENTIAL: '2',
      SUBSCRIPTION_BUFFER_EVENTS: '5',
    });
    f = new Fixtures(t);
    url = await t.listen();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await until(() => t.app.get(LiveEventsHub).size === 0, 'every subscriber of the test has ended');
  });
  afterAll(() => t?.close());

  /** A subscriber, tracked for clean-up. */
  function subscriber(options: Parameters<typeof live>[1] & { to?: string } = {}): LiveClient {
    const client = live(options.to ?? url, options);
    clients.push(client);
    return client;
  }

  /** Waits until the server holds `count` subscribers (a subscription is live once its hub subscriber exists). */
  async function subscribed(count: number, app: TestApp = t): Promise<void> {
    await until(() => app.app.get(LiveEventsHub).size === count, `${count} subscribers are listening`);
  }

  /** A sender with a caseworker and a client, a receiver with an intake and a service, and a consent naming it. */
  async function referralSetting(app: TestApp = t, fixtures: Fixtures = f) {
    const sender = await fixtures.organization({ name: `Shelter ${randomUUID().slice(0, 8)}` });
    const receiver = await fixtures.organization({ name: `Clinic ${randomUUID().slice(0, 8)}` });
    const caseworker = await fixtures.signedIn(sender, [Role.CASEWORKER]);
    const intake = await fixtures.signedIn(receiver, [Role.INTAKE]);
    const client = await fixtures.client(sender, { preferredName: 'Amina Quetzal', needs: 'Asthma inhaler' });
    const consent = await fixtures.consent(client, [receiver]);
    const service = await fixtures.service(receiver);
    const send = async () =>
      dataOf(
        await app.gql<{ sendReferral: { referral: { id: string } } }>(
          SEND,
          { i: { clientId: client.id, serviceId: service.id, consentId: consent.id, reason: 'Maple Street clinic' } },
          caseworker.token,
        ),
      ).sendReferral.referral.id;
    return { sender, receiver, caseworker, intake, consent, service, send };
  }

  async function deniedEvents(organizationId: string | null, action: string): Promise<{ details: Event }[]> {
    return t.orm.em
      .fork()
      .getConnection()
      .execute<{ details: Event }[]>(
        `select details from audit_event where outcome = 'DENIED' and action = ? and actor_organization_id is not distinct from ?`,
        [action, organizationId],
      );
  }

  describe('the transport', () => {
    it('serves graphql-ws on the HTTP port and path, while POST and GET on /graphql still answer', async () => {
      const post = await t.gql<{ __typename: string }>('{ __typename }');
      expect(post.data).toEqual({ __typename: 'Query' });
      const get = await t.http().get('/graphql?query=%7B__typename%7D').set('apollo-require-preflight', 'true');
      expect(get.body).toEqual({ data: { __typename: 'Query' } });
      const key = (await f.apiClient(await f.organization(), [ApiScope.REFERRALS_READ])).key;
      subscriber({ authorization: `Bearer ${key}` });
      await subscribed(1);
    });

    it('drops a WebSocket upgrade to any other path at once', async () => {
      const outcome = await new Promise<string>((resolve) => {
        const socket = new WebSocket(url.replace('/graphql', '/health/live'), 'graphql-transport-ws');
        socket.on('open', () => resolve('opened'));
        socket.on('error', () => resolve('refused'));
      });
      expect(outcome).toBe('refused');
    });

    it('refuses a subscription sent over HTTP', async () => {
      const key = (await f.apiClient(await f.organization(), [ApiScope.REFERRALS_READ])).key;
      const res = await t.gql(REFERRAL_EVENTS, {}, key);
      expect(res.errors?.length).toBeGreaterThan(0);
      expect(res.data?.referralEvents ?? null).toBeNull();
    });
  });

  describe('authentication in connection_init', () => {
    it.each([
      ['no credential', {}],
      ['a malformed header', { authorization: 'Token abc' }],
      ['an unknown API key', { authorization: `Bearer hbk_${'a'.repeat(8)}_${'b'.repeat(43)}` }],
      ['a forged access token', { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }],
      ['a credential that is not a string', { authorization: 42 }],
    ])('closes with 4401 Unauthorized for %s, and audits the refusal', async (_case, connectionParams) => {
      const before = (await deniedEvents(null, 'graphql.connectionInit')).length;
      const client = subscriber({ connectionParams });
      await until(() => client.closed !== null, 'the socket closed');
      expect(client.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
      expect(client.results).toEqual([]);
      const denied = await deniedEvents(null, 'graphql.connectionInit');
      expect(denied).toHaveLength(before + 1);
      expect(denied[denied.length - 1].details).toEqual({ code: 'UNAUTHENTICATED', transport: 'graphql-ws' });
    });

    it('accepts `Authorization` as well as `authorization`', async () => {
      const key = (await f.apiClient(await f.organization(), [ApiScope.REFERRALS_READ])).key;
      subscriber({ connectionParams: { Authorization: `Bearer ${key}` } });
      await subscribed(1);
    });

    it('refuses, FORBIDDEN, a key without a referrals scope and a person whose role reads no referrals — audited as denials', async () => {
      const organization = await f.organization();
      const directoryKey = (await f.apiClient(organization, [ApiScope.DIRECTORY_WRITE, ApiScope.WEBHOOKS_WRITE])).key;
      const auditor = await f.signedIn(organization, [Role.AUDITOR]);
      for (const authorization of [`Bearer ${directoryKey}`, `Bearer ${auditor.token}`]) {
        const client = subscriber({ authorization });
        await until(() => client.completed || client.results.length > 0, 'the subscription was answered');
        expect(codesOf(client)).toEqual(['FORBIDDEN']);
        expect(eventsOf(client)).toEqual([]);
      }
      const denied = await deniedEvents(organization.id, 'graphql.referralEvents');
      expect(denied.map((event) => event.details)).toEqual([
        { code: 'FORBIDDEN', operation: 'subscription' },
        { code: 'FORBIDDEN', operation: 'subscription' },
      ]);
    });
  });

  describe('events', () => {
    it('tells both parties of a referral — with the id-only facts of the webhook body — and no one else', async () => {
      const { sender, receiver, caseworker, intake, service, send } = await referralSetting();
      const third = await f.organization();
      const senderSide = subscriber({ authorization: `Bearer ${caseworker.token}` });
      const receiverSide = subscriber({ authorization: `Bearer ${intake.token}` });
      const receiverSystem = subscriber({
        authorization: `Bearer ${(await f.apiClient(receiver, [ApiScope.REFERRALS_READ])).key}`,
      });
      const outsider = subscriber({
        authorization: `Bearer ${(await f.apiClient(third, [ApiScope.REFERRALS_WRITE])).key}`,
      });
      await subscribed(4);

      const referralId = await send();
      dataOf(await t.gql(ACCEPT, { id: referralId }, intake.token));
      await relayAll(t);
      for (const client of [senderSide, receiverSide, receiverSystem])
        await until(() => eventsOf(client).length === 2, 'both events arrived');

      const [outbox] = await t.orm.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>(`select id from outbox_event where aggregate_id = ? and type = 'referral.sent'`, [
          referralId,
        ]);
      const sent = {
        id: outbox.id,
        type: 'REFERRAL_SENT',
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        referralId,
        consentId: null,
        status: 'SENT',
        previousStatus: null,
        version: 1,
        serviceId: service.id,
        sendingOrganizationId: sender.id,
        receivingOrganizationId: receiver.id,
        actingOrganizationId: sender.id,
        noteId: null,
      };
      const accepted = {
        type: 'REFERRAL_ACCEPTED',
        status: 'ACCEPTED',
        previousStatus: 'SENT',
        version: 2,
        actingOrganizationId: receiver.id,
      };
      for (const client of [senderSide, receiverSide, receiverSystem]) {
        const events = eventsOf(client).sort((a, b) => Number(a.version) - Number(b.version));
        expect(events[0]).toEqual(sent);
        expect(events[1]).toMatchObject({ ...accepted, referralId });
        // Ids, statuses and the version only: never the client's name, needs or the reason's words.
        expect(JSON.stringify(events)).not.toMatch(/Amina|Asthma|Maple/);
      }
      expect(outsider.results).toEqual([]);
      expect(outsider.closed).toBeNull();
    });

    it("tells a person only of the side their role reads: a receiver's caseworker hears nothing of its inbox", async () => {
      const { receiver, intake, send } = await referralSetting();
      const receiverCaseworker = await f.signedIn(receiver, [Role.CASEWORKER]);
      const outboxReader = subscriber({ authorization: `Bearer ${receiverCaseworker.token}` });
      const inboxReader = subscriber({ authorization: `Bearer ${intake.token}` });
      await subscribed(2);
      await send();
      await relayAll(t);
      await until(() => eventsOf(inboxReader).length === 1, 'the inbox reader heard of the referral');
      // The inbox reader's event was published to both in the same notification: the other one saw it and dropped it.
      expect(eventsOf(outboxReader)).toEqual([]);
    });

    it('sends no event of a type the schema does not name (one a newer server wrote)', async () => {
      const organization = await f.organization();
      const client = subscriber({
        authorization: `Bearer ${(await f.apiClient(organization, [ApiScope.REFERRALS_READ])).key}`,
      });
      await subscribed(1);
      const event = (type: string) => ({
        id: randomUUID(),
        type,
        occurredAt: new Date().toISOString(),
        organizationIds: [organization.id],
        data: { consentId: randomUUID(), actingOrganizationId: organization.id },
      });
      t.app.get(LiveEventsHub).publish([event('consent.renewed'), event('consent.revoked')]);
      await until(() => eventsOf(client).length === 1, 'the known event arrived');
      expect(eventsOf(client).map((e) => e.type)).toEqual(['CONSENT_REVOKED']);
      expect(codesOf(client)).toEqual([]);
    });

    it('sends only the types asked for', async () => {
      const { caseworker, intake, send } = await referralSetting();
      const acceptedOnly = subscriber({
        authorization: `Bearer ${caseworker.token}`,
        variables: { types: ['REFERRAL_ACCEPTED'] },
      });
      const everything = subscriber({ authorization: `Bearer ${caseworker.token}` });
      await subscribed(2);
      const referralId = await send();
      dataOf(await t.gql(ACCEPT, { id: referralId }, intake.token));
      await relayAll(t);
      await until(() => eventsOf(everything).length === 2, 'both events arrived');
      await until(() => eventsOf(acceptedOnly).length === 1, 'the accepted event arrived');
      expect(eventsOf(acceptedOnly).map((event) => event.type)).toEqual(['REFERRAL_ACCEPTED']);
    });
  });

  describe('the credential, checked again while connected', () => {
    it('closes with 4403 within the recheck interval once the API key is revoked', async () => {
      const organization = await f.organization();
      const admin = await f.signedIn(organization, [Role.ORG_ADMIN]);
      const key = await f.apiClient(organization, [ApiScope.REFERRALS_READ]);
      const client = subscriber({ authorization: `Bearer ${key.key}` });
      await subscribed(1);
      dataOf(await t.gql(REVOKE_KEY, { id: key.id }, admin.token));
      const revokedAt = performance.now();
      await until(() => client.closed !== null, 'the connection closed', 2000);
      expect(client.closed).toEqual({ code: 4403, reason: 'Forbidden' });
      expect(performance.now() - revokedAt).toBeLessThan(1000);
    });

    it('closes with 4403 once the staff account is deactivated', async () => {
      const organization = await f.organization();
      const admin = await f.signedIn(organization, [Role.ORG_ADMIN]);
      const intake = await f.signedIn(organization, [Role.INTAKE]);
      const client = subscriber({ authorization: `Bearer ${intake.token}` });
      await subscribed(1);
      dataOf(await t.gql(DEACTIVATE, { id: intake.accountId }, admin.token));
      await until(() => client.closed !== null, 'the connection closed', 2000);
      expect(client.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    });

    it('closes with 4401 once the access token expires', async () => {
      const intake = await f.staff(await f.organization(), [Role.INTAKE]);
      // A token as `login` issues it, but valid for two seconds.
      const token = t.app
        .get(JwtService)
        .sign(
          { sub: intake.accountId, org: intake.organizationId, cv: 0 },
          { expiresIn: 2, audience: ACCESS_TOKEN_AUDIENCE, issuer: ACCESS_TOKEN_ISSUER, algorithm: 'HS256' },
        );
      const client = subscriber({ authorization: `Bearer ${token}` });
      await subscribed(1);
      await until(() => client.closed !== null, 'the connection closed', 4000);
      expect(client.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
    });

    it('closes with 4403 once a role change leaves the person without a referrals permission', async () => {
      const organization = await f.organization();
      const intake = await f.signedIn(organization, [Role.INTAKE]);
      const client = subscriber({ authorization: `Bearer ${intake.token}` });
      await subscribed(1);
      await t.orm.em
        .fork()
        .getConnection()
        .execute(`update membership set roles = '{AUDITOR}' where account_id = ?`, [intake.accountId]);
      await until(() => client.closed !== null, 'the connection closed', 2000);
      expect(client.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    });
  });

  describe('limits', () => {
    it('closes a connection beyond SUBSCRIPTION_MAX_CONNECTIONS_PER_CREDENTIAL with 4429, and audits it', async () => {
      const organization = await f.organization();
      const key = (await f.apiClient(organization, [ApiScope.REFERRALS_READ])).key;
      subscriber({ authorization: `Bearer ${key}` });
      subscriber({ authorization: `Bearer ${key}` });
      await subscribed(2);
      const third = subscriber({ authorization: `Bearer ${key}` });
      await until(() => third.closed !== null, 'the third connection closed');
      expect(third.closed).toEqual({ code: 4429, reason: 'Too many connections for this credential' });
      const denied = await deniedEvents(organization.id, 'graphql.connectionInit');
      expect(denied.map((event) => event.details)).toEqual([{ code: 'TOO_MANY_CONNECTIONS', transport: 'graphql-ws' }]);
      // Another key of the same organization is another credential.
      subscriber({ authorization: `Bearer ${(await f.apiClient(organization, [ApiScope.REFERRALS_READ])).key}` });
      await subscribed(3);
    });

    it('disconnects a subscriber that falls more than SUBSCRIPTION_BUFFER_EVENTS behind with 1013, and keeps the others', async () => {
      const { caseworker, intake, consent, service } = await referralSetting();
      // Eight open referrals under one consent: its revocation cancels them all in one transaction,
      // so their events reach every process in one relay round, at once.
      for (let i = 0; i < 8; i += 1) await f.referral(consent, service);
      const slow = subscriber({ authorization: `Bearer ${intake.token}` });
      const other = subscriber({
        authorization: `Bearer ${caseworker.token}`,
        variables: { types: ['REFERRAL_SENT'] },
      });
      await subscribed(2);
      dataOf(await t.gql(REVOKE_CONSENT, { id: consent.id }, caseworker.token));
      await relayAll(t);
      await until(() => slow.closed !== null, 'the slow subscriber was disconnected');
      expect(slow.closed?.code).toBe(1013);
      expect(slow.closed?.reason).toMatch(/^Slow consumer/);
      expect(other.closed).toBeNull();
    });

    it.each([
      [
        'more than 15 aliases',
        `subscription { referralEvents { ${Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ')} } }`,
        {},
        // graphql-armor's code for its limits, over HTTP too.
        'BAD_USER_INPUT',
      ],
      ['a syntax error', 'subscription { referralEvents { id ', {}, 'GRAPHQL_PARSE_FAILED'],
      [
        'more than 3,000 tokens',
        `subscription { referralEvents { ${'id '.repeat(3001)} } }`,
        {},
        'GRAPHQL_PARSE_FAILED',
      ],
      ['an unknown field', 'subscription { referralEvents { clientName } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
      ['a query', '{ me { organizationId } }', {}, 'BAD_REQUEST'],
      [
        'a mutation',
        'mutation { changePassword(input: { currentPassword: "x", newPassword: "y" }) { accessToken } }',
        {},
        'BAD_REQUEST',
      ],
      ['a variable of the wrong type', REFERRAL_EVENTS, { types: ['NOPE'] }, 'BAD_USER_INPUT'],
    ])('refuses %s before anything runs', async (_case, query, variables, code) => {
      const key = (await f.apiClient(await f.organization(), [ApiScope.REFERRALS_READ])).key;
      const client = subscriber({ authorization: `Bearer ${key}`, query, variables });
      await until(() => client.errors.length > 0, 'the operation was refused');
      const [errors] = client.errors as { message: string; extensions?: { code?: string; requestId?: string } }[][];
      expect(errors.map((error) => error.extensions?.code)).toEqual([code]);
      expect(errors[0].extensions?.requestId).toEqual(expect.any(String));
      expect(errors[0].message).not.toMatch(/Did you mean|NOPE/);
      expect(t.app.get(LiveEventsHub).size).toBe(0);
      // The client closes its idle connection normally; the server did not close it.
      expect([undefined, 1000]).toContain(client.closed?.code);
    });

    it('closes a connection whose message passes 256 kB with 1009, and a connection that sends garbage with 4400', async () => {
      const key = (await f.apiClient(await f.organization(), [ApiScope.REFERRALS_READ])).key;
      const rawClose = (messages: string[]) =>
        new Promise<number>((resolve, reject) => {
          const socket = new WebSocket(url, 'graphql-transport-ws');
          socket.on('open', () => messages.forEach((message) => socket.send(message)));
          socket.on('close', (code) => resolve(code));
          socket.on('error', reject);
        });
      const init = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
      const huge = JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `# ${'x'.repeat(300_000)}` } });
      expect(await rawClose([init, huge])).toBe(1009);
      expect(await rawClose([init, '{not json'])).toBe(4400);
      // Both closed while their credential was being checked: neither may stay counted as open.
      await until(() => t.app.get(LiveConnections).size === 0, 'no connection is left open');
      expect(t.logs.join('\n')).not.toContain('xxxxxxxx');
    });
  });

  describe('generated hostile input', () => {
    it('never answers a generated document or variables with an internal error, and never drops the connection for it', async () => {
      const key = (await f.apiClient(await f.organization(), [ApiScope.REFERRALS_READ])).key;
      const connections = t.app.get(LiveConnections);
      await until(() => connections.size === 0, `no connection is left from other tests (${connections.size})`);
      const documents = fc.oneof(
        fc.constant(REFERRAL_EVENTS),
        fc.constant('subscription ($types: [WebhookEventType!]) { referralEvents(types: $types) { id } }'),
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 40 }).map((field) => `subscription { referralEvents { ${field} } }`),
      );
      const variables = fc.oneof(
        fc.record({ types: fc.anything() }),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue()),
      );
      await fc.assert(
        fc.asyncProperty(documents, variables, async (query, vars) => {
          const client = live(url, { authorization: `Bearer ${key}`, query, variables: vars });
          try {
            await until(
              () => client.errors.length > 0 || client.results.length > 0 || t.app.get(LiveEventsHub).size > 0,
              'the operation was answered',
            );
            const codes = (client.errors.flat() as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code);
            expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
            expect(codesOf(client)).not.toContain('INTERNAL_SERVER_ERROR');
            expect([undefined, 1000]).toContain(client.closed?.code);
          } finally {
            await client.dispose();
            await until(() => connections.size === 0 && t.app.get(LiveEventsHub).size === 0, 'the connection ended');
          }
        }),
        { numRuns: 40, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
      );
    });
  });

  describe('two server processes on one database', () => {
    let one: TestApp;
    let two: TestApp;
    beforeAll(async () => {
      // Both relay on their own timers, as two servers of a deployment do.
      one = await startTestApp({ OUTBOX_RELAY_INTERVAL_MS: '20' });
      two = await startTestApp({ OUTBOX_RELAY_INTERVAL_MS: '20' }, { database: one.database });
    });
    afterAll(async () => {
      await one?.close();
      await two?.close();
    });

    it('a subscriber on one process hears, exactly once, of a change made through the other', async () => {
      const fixtures = new Fixtures(one);
      const { intake, send } = await referralSetting(two, fixtures);
      const onOne = subscriber({ to: await one.listen(), authorization: `Bearer ${intake.token}` });
      const onTwo = subscriber({ to: await two.listen(), authorization: `Bearer ${intake.token}` });
      await subscribed(1, one);
      await subscribed(1, two);

      const first = await send();
      await until(() => eventsOf(onOne).length === 1 && eventsOf(onTwo).length === 1, 'both processes delivered it');
      // A second change is a barrier: each process receives notifications in commit order, so once
      // the second event is in, a duplicate of the first would be in too.
      const second = await send();
      await until(() => eventsOf(onOne).length >= 2 && eventsOf(onTwo).length >= 2, 'the second change arrived');
      for (const client of [onOne, onTwo]) {
        expect(eventsOf(client).map((event) => event.referralId)).toEqual([first, second]);
      }
      const ids = eventsOf(onOne).map((event) => event.id);
      expect(eventsOf(onTwo).map((event) => event.id)).toEqual(ids);
    });
  });
});
