/**
 * The worker as it runs in a server process (docs/architecture.md, Webhooks): its interval here is
 * an hour, so whatever is delivered within moments was delivered because the worker was woken —
 * by the relay's transaction committing new deliveries in this process, or by a test message.
 */
import { Role } from '@harbour/authz';
import { relayAll } from '../support/relay';
import { Fixtures } from '../support/fixtures';
import { dataOf } from '../support/responses';
import { startTestApp, type TestApp } from '../support/test-app';
import { startPartner, type Partner } from '../support/webhook-partner';

const CREATE = `mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { webhookEndpoint { id } secret } }`;

/** Waits until `done` holds, for at most five seconds. */
async function eventually(done: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > until) throw new Error('not within 5 seconds');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('The delivery worker, woken', () => {
  let t: TestApp;
  let f: Fixtures;
  let partner: Partner;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', WEBHOOK_WORKER_INTERVAL_MS: '3600000' });
    f = new Fixtures(t);
    partner = await startPartner();
  });
  afterAll(async () => {
    await partner?.close();
    await t?.close();
  });

  it('delivers right after the relay commits new deliveries, and right after a test message is asked for', async () => {
    const shelter = await f.organization({ name: 'Woken shelter' });
    const clinic = await f.organization({ name: 'Woken clinic' });
    const admin = (await f.signedIn(shelter, [Role.ORG_ADMIN])).token;
    const caseworker = (await f.signedIn(shelter, [Role.CASEWORKER])).token;
    const { webhookEndpoint, secret } = dataOf(
      await t.gql<{ createWebhookEndpoint: { webhookEndpoint: { id: string }; secret: string } }>(
        CREATE,
        { i: { url: partner.url() } },
        admin,
      ),
    ).createWebhookEndpoint;

    const client = await f.client(shelter);
    const consent = await f.consent(client, [clinic]);
    const service = await f.service(clinic);
    dataOf(
      await t.gql(
        'mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }',
        { i: { clientId: client.id, serviceId: service.id, consentId: consent.id, reason: 'Woken' } },
        caseworker,
      ),
    );
    expect(await relayAll(t)).toBeGreaterThan(0);
    await eventually(() => partner.requests().length === 1);
    expect(partner.messages(secret).map((m) => m.type)).toEqual(['referral.sent']);

    dataOf(
      await t.gql(
        'mutation ($id: ID!) { sendTestWebhook(id: $id) { webhookDelivery { id } } }',
        {
          id: webhookEndpoint.id,
        },
        admin,
      ),
    );
    await eventually(() => partner.requests().length === 2);
    expect(partner.messages(secret).map((m) => m.type)).toEqual(['referral.sent', 'webhook.test']);
  });
});
