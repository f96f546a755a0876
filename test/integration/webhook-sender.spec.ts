/**
 * The sender against real HTTP servers on loopback (which the address policy is told to allow):
 * what a receiver gets, and how each kind of answer — or none — becomes an outcome.
 */
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Webhook } from 'standardwebhooks';
import {
  AddressPolicy,
  MAX_RETRY_AFTER_SECONDS,
  USER_AGENT,
  WebhookSender,
  generateWebhookSecret,
  type DeliveryOutcome,
  type WebhookMessage,
} from '@harbour/webhooks';
import { answer, startReceiver, tableResolver, type Handler, type Receiver } from '../support/webhook-receiver';

const SECRET = generateWebhookSecret();
const NEXT_SECRET = generateWebhookSecret();
const EVENT_ID = '6f1c2b9e-1d7a-4c4e-9a51-1b2f3c4d5e6f';
const BODY = JSON.stringify({ type: 'referral.accepted', timestamp: new Date().toISOString(), data: { id: 'r-1' } });
/** Something a receiver answers that must never come back in an outcome. */
const MARKER = 'RECEIVER-BODY-MARKER';
const OUTCOME_KEYS = ['ok', 'status', 'durationMs', 'errorClass', 'retryAfterSeconds', 'gone'];

const policy = new AddressPolicy(['127.0.0.1/32']);
const sender = (options: Partial<ConstructorParameters<typeof WebhookSender>[0]> = {}) =>
  new WebhookSender({ addressPolicy: policy, production: false, timeoutMs: 5000, ...options });

const message = (url: string, overrides: Partial<WebhookMessage> = {}): WebhookMessage => ({
  url,
  secrets: [SECRET],
  id: EVENT_ID,
  timestamp: new Date(),
  body: BODY,
  ...overrides,
});

const receivers: Receiver[] = [];
async function receiver(handler: Handler): Promise<Receiver> {
  const started = await startReceiver(handler);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

function expectClean(outcome: DeliveryOutcome): void {
  expect(Object.keys(outcome).every((key) => OUTCOME_KEYS.includes(key))).toBe(true);
  expect(JSON.stringify(outcome)).not.toMatch(new RegExp(`${MARKER}|token|127\\.0\\.0\\.1`));
  expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
}

describe('WebhookSender over HTTP', () => {
  it('POSTs the body with the Standard Webhooks headers, which the receiver verifies', async () => {
    const r = await receiver(answer(204));
    const timestamp = new Date();
    const outcome = await sender().send(message(`http://127.0.0.1:${r.port}/hooks/in?token=abc`, { timestamp }));
    expect(outcome).toEqual({ ok: true, status: 204, durationMs: expect.any(Number) });
    expect(r.requests).toHaveLength(1);
    const [received] = r.requests;
    expect(received).toMatchObject({ method: 'POST', path: '/hooks/in?token=abc', body: BODY });
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': EVENT_ID,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'content-length': String(Buffer.byteLength(BODY)),
      host: `127.0.0.1:${r.port}`,
    });
    expect(received.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(SECRET).verify(received.body, received.headers as Record<string, string>)).toEqual(
      JSON.parse(BODY),
    );
  });

  it('signs with both secrets during a rotation, each verifying on its own', async () => {
    const r = await receiver(answer(200));
    await sender().send(message(`http://127.0.0.1:${r.port}/`, { secrets: [SECRET, NEXT_SECRET] }));
    const [received] = r.requests;
    expect((received.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    for (const secret of [SECRET, NEXT_SECRET]) {
      expect(new Webhook(secret).verify(received.body, received.headers as Record<string, string>)).toEqual(
        JSON.parse(BODY),
      );
    }
  });

  it.each([200, 201, 202, 299])('counts a %d as delivered', async (status) => {
    const r = await receiver(answer(status, {}, MARKER));
    const outcome = await sender().send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toEqual({ ok: true, status, durationMs: expect.any(Number) });
    expectClean(outcome);
  });

  it.each([301, 302, 303, 307, 308])('does not follow a %d redirect', async (status) => {
    const target = await receiver(answer(200));
    const r = await receiver(answer(status, { location: `http://127.0.0.1:${target.port}/elsewhere` }));
    const outcome = await sender().send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toMatchObject({ ok: false, status, errorClass: 'HTTP_3XX' });
    expect(target.connections).toBe(0);
    expectClean(outcome);
  });

  it('reports a 410 as gone', async () => {
    const r = await receiver(answer(410, {}, MARKER));
    const outcome = await sender().send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toEqual({
      ok: false,
      status: 410,
      errorClass: 'HTTP_410',
      gone: true,
      durationMs: expect.any(Number),
    });
  });

  it.each([
    [400, 'HTTP_4XX'],
    [404, 'HTTP_4XX'],
    [500, 'HTTP_5XX'],
  ])('reports a %d as %s, without reading Retry-After', async (status, errorClass) => {
    const r = await receiver(answer(status, { 'retry-after': '60' }, MARKER));
    const outcome = await sender().send(message(`http://127.0.0.1:${r.port}/?token=abc`));
    expect(outcome).toEqual({ ok: false, status, errorClass, durationMs: expect.any(Number) });
    expectClean(outcome);
  });

  it.each([
    [429, '120', 120],
    [502, '30', 30],
    [503, '5', 5],
    [504, '600', 600],
    [503, '999999', MAX_RETRY_AFTER_SECONDS],
  ])('reads the Retry-After of a %d (%s)', async (status, retryAfter, seconds) => {
    const r = await receiver(answer(status, { 'retry-after': retryAfter }, MARKER));
    const outcome = await sender().send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toMatchObject({ ok: false, status, retryAfterSeconds: seconds });
    expectClean(outcome);
  });

  it('reads a Retry-After date against its clock', async () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const r = await receiver(answer(429, { 'retry-after': 'Sun, 01 Mar 2026 12:05:00 GMT' }));
    const outcome = await sender({ now: () => now }).send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toMatchObject({ status: 429, errorClass: 'HTTP_4XX', retryAfterSeconds: 300 });
  });

  it.each([502, 504])('reports a %d without Retry-After as HTTP_5XX', async (status) => {
    const r = await receiver(answer(status));
    const outcome = await sender().send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toEqual({ ok: false, status, errorClass: 'HTTP_5XX', durationMs: expect.any(Number) });
  });

  it('gives up at the timeout when no answer comes', async () => {
    const r = await receiver(() => undefined);
    const outcome = await sender({ timeoutMs: 300 }).send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toEqual({ ok: false, errorClass: 'TIMEOUT', durationMs: expect.any(Number) });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(290);
    expect(outcome.durationMs).toBeLessThan(3000);
    expect(r.requests).toHaveLength(1);
  });

  it('counts the timeout from the start, DNS included', async () => {
    const resolve = () => new Promise<never>(() => undefined);
    const outcome = await sender({ timeoutMs: 200, resolve }).send(message('https://slow-dns.example.com/'));
    expect(outcome).toMatchObject({ ok: false, errorClass: 'TIMEOUT' });
  });

  it('keeps the status of an answer whose body stalls past the timeout', async () => {
    const r = await receiver((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('only part of it');
    });
    const outcome = await sender({ timeoutMs: 300 }).send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toEqual({ ok: true, status: 200, durationMs: expect.any(Number) });
  });

  it('reads at most 4 kB of an endless body, then closes the connection', async () => {
    let closedEarly = false;
    const r = await receiver((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, MARKER);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      response.on('close', () => (closedEarly = !response.writableFinished));
      pump();
    });
    const outcome = await sender({ timeoutMs: 10_000 }).send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toEqual({ ok: true, status: 200, durationMs: expect.any(Number) });
    expect(outcome.durationMs).toBeLessThan(5000);
    expectClean(outcome);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closedEarly).toBe(true);
  });

  it('tries each checked address in turn until one connects', async () => {
    const r = await receiver(answer(200));
    // Nothing listens on 127.0.0.3.
    const resolve = tableResolver({ localhost: ['127.0.0.3', '127.0.0.1'] });
    const addressPolicy = new AddressPolicy(['127.0.0.1/32', '127.0.0.3/32']);
    const outcome = await sender({ resolve, addressPolicy }).send(message(`http://localhost:${r.port}/`));
    expect(outcome).toMatchObject({ ok: true, status: 200 });
  });

  it('reports a refused connection', async () => {
    const r = await receiver(answer(200));
    const port = r.port;
    await receivers.pop()!.close();
    const outcome = await sender().send(message(`http://127.0.0.1:${port}/`));
    expect(outcome).toEqual({ ok: false, errorClass: 'CONNECTION', durationMs: expect.any(Number) });
  });

  it('reports a connection reset before an answer', async () => {
    const r = await receiver((request) => request.socket.destroy());
    const outcome = await sender().send(message(`http://127.0.0.1:${r.port}/`));
    expect(outcome).toMatchObject({ ok: false, errorClass: 'CONNECTION' });
  });

  it('reports an answer that is not HTTP', async () => {
    const server = createTcpServer((socket) => socket.end(`${MARKER} this is not HTTP\r\n\r\n`));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const outcome = await sender().send(message(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
      expect(outcome).toEqual({ ok: false, errorClass: 'PROTOCOL', durationMs: expect.any(Number) });
    } finally {
      server.close();
    }
  });

  it.each([0, -1, 1.5, 2 ** 31])('refuses a timeout of %p ms', (timeoutMs) => {
    expect(() => sender({ timeoutMs })).toThrow(RangeError);
  });

  it('throws before connecting when the message cannot be signed', async () => {
    const r = await receiver(answer(200));
    await expect(
      sender().send(message(`http://127.0.0.1:${r.port}/`, { secrets: ['whsec_not-a-secret'] })),
    ).rejects.toThrow('a webhook secret is whsec_ and padded base64');
    await expect(sender().send(message(`http://127.0.0.1:${r.port}/`, { id: 'has space' }))).rejects.toThrow(
      RangeError,
    );
    expect(r.connections).toBe(0);
  });
});
