/**
 * The sender's defences, against real servers on loopback: names are resolved at delivery, every
 * address is checked before anything is connected, the connection is pinned to the address checked
 * (a DNS answer that changes afterwards is never used), and TLS is verified against the name.
 * 127.0.0.1 plays an allowed partner address, and 127.0.0.2 — loopback too, but not in the allowed
 * network — an internal service the sender must never reach.
 */
import {
  AddressPolicy,
  WebhookSender,
  generateWebhookSecret,
  type WebhookMessage,
  type WebhookSenderOptions,
} from '@harbour/webhooks';
import { selfSignedCertificate } from '../support/self-signed-certificate';
import { answer, startReceiver, tableResolver, type Receiver, type ReceiverOptions } from '../support/webhook-receiver';

const ALLOWED = '127.0.0.1';
const INTERNAL = '127.0.0.2';
const CERTIFICATE = selfSignedCertificate(['hooks.test', 'rebind.test', 'internal.test', 'mixed.test']);

const message = (url: string): WebhookMessage => ({
  url,
  secrets: [generateWebhookSecret()],
  id: 'evt_1',
  timestamp: new Date(),
  body: '{"type":"referral.sent"}',
});

const sender = (resolve: WebhookSenderOptions['resolve'], options: Partial<WebhookSenderOptions> = {}) =>
  new WebhookSender({
    addressPolicy: new AddressPolicy([`${ALLOWED}/32`]),
    production: true,
    timeoutMs: 5000,
    resolve,
    trustedCertificates: [CERTIFICATE.cert],
    ...options,
  });

const receivers: Receiver[] = [];
async function receiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const started = await startReceiver(answer(200), { tls: CERTIFICATE, ...options });
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A partner on 127.0.0.1 and an internal service on 127.0.0.2, on the same port. */
async function partnerAndInternal(): Promise<{ partner: Receiver; internal: Receiver; port: number }> {
  const partner = await receiver({ host: ALLOWED });
  const internal = await receiver({ host: INTERNAL, port: partner.port });
  return { partner, internal, port: partner.port };
}

describe('WebhookSender defences', () => {
  it('delivers over TLS to the checked address, with the name in SNI and Host', async () => {
    const r = await receiver();
    const resolve = tableResolver({ 'hooks.test': [ALLOWED] });
    const outcome = await sender(resolve).send(message(`https://hooks.test:${r.port}/in?token=abc`));
    expect(outcome).toEqual({ ok: true, status: 200, durationMs: expect.any(Number) });
    expect(resolve.calls).toEqual(['hooks.test']);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0].servername).toBe('hooks.test');
    expect(r.requests[0].headers.host).toBe(`hooks.test:${r.port}`);
    expect(r.requests[0].path).toBe('/in?token=abc');
  });

  it('refuses a certificate it does not trust', async () => {
    const r = await receiver();
    const resolve = tableResolver({ 'hooks.test': [ALLOWED] });
    const outcome = await sender(resolve, { trustedCertificates: undefined }).send(
      message(`https://hooks.test:${r.port}/`),
    );
    expect(outcome).toEqual({ ok: false, errorClass: 'TLS', durationMs: expect.any(Number) });
    expect(r.requests).toHaveLength(0);
  });

  it('refuses a certificate for another name', async () => {
    const r = await receiver();
    const resolve = tableResolver({ 'other.test': [ALLOWED] });
    const outcome = await sender(resolve).send(message(`https://other.test:${r.port}/`));
    expect(outcome).toMatchObject({ ok: false, errorClass: 'TLS' });
    expect(r.requests).toHaveLength(0);
  });

  it('reports TLS when the server does not speak it', async () => {
    const r = await receiver({ tls: undefined });
    const outcome = await sender(tableResolver({ 'hooks.test': [ALLOWED] })).send(
      message(`https://hooks.test:${r.port}/`),
    );
    expect(outcome).toMatchObject({ ok: false, errorClass: 'TLS' });
  });

  it('refuses a name that resolves to a refused address, before connecting', async () => {
    const { partner, internal, port } = await partnerAndInternal();
    const resolve = tableResolver({ 'internal.test': [INTERNAL] });
    const outcome = await sender(resolve).send(message(`https://internal.test:${port}/`));
    expect(outcome).toEqual({ ok: false, errorClass: 'ADDRESS_REFUSED', durationMs: expect.any(Number) });
    expect(internal.connections).toBe(0);
    expect(partner.connections).toBe(0);
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    const { partner, internal, port } = await partnerAndInternal();
    for (const addresses of [
      [ALLOWED, INTERNAL],
      [INTERNAL, ALLOWED],
      [ALLOWED, '169.254.169.254'],
      [ALLOWED, '::ffff:127.0.0.2'],
      [ALLOWED, 'fd00::1'],
    ]) {
      const outcome = await sender(tableResolver({ 'mixed.test': addresses })).send(
        message(`https://mixed.test:${port}/`),
      );
      expect(outcome).toMatchObject({ ok: false, errorClass: 'ADDRESS_REFUSED' });
    }
    expect(internal.connections).toBe(0);
    expect(partner.connections).toBe(0);
  });

  it('refuses the cloud metadata address however it is reached', async () => {
    const resolve = tableResolver({ 'metadata.test': ['169.254.169.254'] });
    for (const url of [
      'https://metadata.test/latest/meta-data/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:169.254.169.254]/latest/meta-data/',
      'https://[64:ff9b::a9fe:a9fe]/latest/meta-data/',
    ]) {
      expect(await sender(resolve).send(message(url))).toMatchObject({ ok: false, errorClass: 'ADDRESS_REFUSED' });
    }
  });

  it('pins the connection to the address it checked: a rebinding answer is never used', async () => {
    const { partner, internal, port } = await partnerAndInternal();
    // The first answer passes the check; every later one points inside.
    const resolve = tableResolver({ 'rebind.test': (call) => (call === 1 ? [ALLOWED] : [INTERNAL]) });
    const first = await sender(resolve).send(message(`https://rebind.test:${port}/`));
    expect(first).toMatchObject({ ok: true, status: 200 });
    expect(resolve.calls).toEqual(['rebind.test']);
    expect(partner.requests).toHaveLength(1);
    expect(internal.connections).toBe(0);
    // The next delivery resolves again, sees the inside address and refuses it.
    const second = await sender(resolve).send(message(`https://rebind.test:${port}/`));
    expect(second).toMatchObject({ ok: false, errorClass: 'ADDRESS_REFUSED' });
    expect(internal.connections).toBe(0);
    expect(partner.connections).toBe(1);
  });

  it('reports a name that does not resolve', async () => {
    const resolve = tableResolver({ 'empty.test': [] });
    expect(await sender(resolve).send(message('https://missing.test/'))).toMatchObject({
      ok: false,
      errorClass: 'DNS',
    });
    expect(await sender(resolve).send(message('https://empty.test/'))).toMatchObject({ ok: false, errorClass: 'DNS' });
  });

  it('refuses an IP-literal URL outside the policy without resolving anything', async () => {
    const { internal, port } = await partnerAndInternal();
    const resolve = tableResolver({});
    for (const url of [`https://${INTERNAL}:${port}/`, 'https://10.0.0.1/', 'https://[::1]/']) {
      expect(await sender(resolve).send(message(url))).toMatchObject({ ok: false, errorClass: 'ADDRESS_REFUSED' });
    }
    expect(resolve.calls).toEqual([]);
    expect(internal.connections).toBe(0);
  });

  it('refuses http: in production, and http: to anything but loopback elsewhere, before connecting', async () => {
    const plain = await receiver({ tls: undefined });
    const resolve = tableResolver({ localhost: [ALLOWED], 'hooks.test': [ALLOWED] });
    const development = { production: false };
    expect(await sender(resolve).send(message(`http://${ALLOWED}:${plain.port}/`))).toMatchObject({
      errorClass: 'URL_REFUSED',
    });
    expect(await sender(resolve, development).send(message(`http://hooks.test:${plain.port}/`))).toMatchObject({
      errorClass: 'URL_REFUSED',
    });
    expect(plain.connections).toBe(0);
    expect(resolve.calls).toEqual([]);
    expect(await sender(resolve, development).send(message(`http://localhost:${plain.port}/`))).toMatchObject({
      ok: true,
    });
  });

  it('refuses http://localhost when it resolves beyond loopback, even to an allowed network', async () => {
    const resolve = tableResolver({ localhost: ['10.0.0.1'] });
    const outcome = await sender(resolve, {
      production: false,
      addressPolicy: new AddressPolicy(['10.0.0.0/8']),
    }).send(message('http://localhost:8080/'));
    expect(outcome).toMatchObject({ ok: false, errorClass: 'ADDRESS_REFUSED' });
  });

  it('refuses a URL with credentials or a fragment', async () => {
    const resolve = tableResolver({ 'hooks.test': [ALLOWED] });
    for (const url of ['https://user:pw@hooks.test/', 'https://hooks.test/#frag', 'ftp://hooks.test/']) {
      expect(await sender(resolve).send(message(url))).toMatchObject({ ok: false, errorClass: 'URL_REFUSED' });
    }
    expect(resolve.calls).toEqual([]);
  });
});
