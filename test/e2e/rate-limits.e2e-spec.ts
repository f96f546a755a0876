/**
 * Rate limits per credential (a person's session, a partner system's key) and per source address:
 * beyond a bucket the answer is HTTP 429 with RATE_LIMITED and the seconds to wait, every answer
 * carries the RateLimit-* headers, and an exhaustion is recorded once as DENIED.
 */
import { ApiScope, Role } from '@harbour/authz';
import { ServiceArea } from '../../src/common/service-area';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const QUERY = { query: '{ me { id } }' };

describe('Rate limits', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_CREDENTIAL_BURST: '5',
      RATE_LIMIT_CREDENTIAL_PER_SECOND: '1',
      RATE_LIMIT_ADDRESS_BURST: '40',
      RATE_LIMIT_ADDRESS_PER_SECOND: '1',
    });
    f = new Fixtures(t);
  });
  afterAll(() => t.close());

  const post = (token: string) =>
    t
      .http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${token}`)
      .send(QUERY);

  it('lets a credential spend its burst, then answers 429 RATE_LIMITED with the wait, per credential', async () => {
    const org = await f.organization();
    const person = await f.signedIn(org, [Role.CASEWORKER]);
    const partner = await f.apiClient(org, [ApiScope.REFERRALS_READ]);
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await post(person.token));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[4].headers['ratelimit-limit']).toBe('5');
    expect(answers[4].headers['ratelimit-remaining']).toBe('0');

    const refused = answers[5];
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const [error] = (
      refused.body as {
        errors: { message: string; extensions: { code: string; retryAfter: number; requestId: string } }[];
      }
    ).errors;
    expect(error.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: Number(refused.headers['retry-after']),
    });
    expect(error.extensions.requestId).toBe(refused.headers['x-request-id']);
    expect(error.message).toMatch(/wait \d+ seconds?/);

    // Another credential has a bucket of its own.
    expect((await post(partner.key)).status).toBe(200);
  });

  it('counts the CSV report download in the same bucket as the API', async () => {
    const lead = await f.signedIn(await f.operator(), [Role.SERVICE_AREA_LEAD], {
      leadServiceArea: ServiceArea.HEALTH,
    });
    for (let i = 0; i < 4; i += 1) expect((await post(lead.token)).status).toBe(200);
    const last = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1))
      .toISOString()
      .slice(0, 7);
    const download = () =>
      t
        .http()
        .get(`/reports/referrals.csv?fromMonth=${last}&toMonth=${last}&groupBy=STATUS`)
        .set('authorization', `Bearer ${lead.token}`);
    const allowed = await download();
    expect(allowed.status).toBe(200);
    expect(allowed.headers['ratelimit-remaining']).toBe('0');
    const refused = await download();
    expect(refused.status).toBe(429);
    expect((refused.body as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
      'RATE_LIMITED',
    );
  });

  it('records one DENIED event per exhaustion, not one per refused request', async () => {
    const person = await f.signedIn(await f.organization(), [Role.CASEWORKER]);
    const count = async () =>
      Number(
        (
          await t.orm.em
            .fork()
            .getConnection()
            .execute<{ n: string }[]>(
              `select count(*) as n from audit_event where action = 'http.rate_limit' and outcome = 'DENIED'`,
            )
        )[0].n,
      );
    const before = await count();
    for (let i = 0; i < 9; i += 1) await post(person.token);
    // The event is written after the answer: wait for it.
    for (let i = 0; i < 50 && (await count()) === before; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await count()).toBe(before + 1);
  });

  it('limits a source address too, and never the health checks', async () => {
    const limited = await startTestApp({ RATE_LIMIT_ADDRESS_BURST: '3', RATE_LIMIT_ADDRESS_PER_SECOND: '1' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push(
          (
            await limited
              .http()
              .post('/graphql')
              .set('content-type', 'application/json')
              .send({ query: '{ __typename }' })
          ).status,
        );
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await limited.http().get('/health/live')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('takes the address from X-Forwarded-For only behind a trusted proxy', async () => {
    const behindProxy = await startTestApp({
      TRUST_PROXY: 'true',
      RATE_LIMIT_ADDRESS_BURST: '2',
      RATE_LIMIT_ADDRESS_PER_SECOND: '1',
    });
    try {
      const send = (address: string) =>
        behindProxy
          .http()
          .post('/graphql')
          .set('content-type', 'application/json')
          .set('x-forwarded-for', address)
          .send({ query: '{ __typename }' });
      expect([
        (await send('203.0.113.7')).status,
        (await send('203.0.113.7')).status,
        (await send('203.0.113.7')).status,
      ]).toEqual([200, 200, 429]);
      expect((await send('203.0.113.8')).status).toBe(200);
    } finally {
      await behindProxy.close();
    }
  });
});
