import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  MAX_SECRET_BYTES,
  MIN_SECRET_BYTES,
  WebhookSecretError,
  generateWebhookSecret,
  isWebhookSecret,
  parseWebhookSecret,
  sign,
} from '@harbour/webhooks';

const secretOf = (bytes: Buffer) => `whsec_${bytes.toString('base64')}`;
const now = () => Math.floor(Date.now() / 1000);

/** Verifies as a receiver does, with the standardwebhooks package; returns the parsed body. */
function verify(secret: string, id: string, timestamp: number, body: string, signature: string): unknown {
  return new Webhook(secret).verify(body, {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  });
}

describe('webhook secrets', () => {
  it('makes whsec_ and the base64 of 32 random bytes, different every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateWebhookSecret()));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(parseWebhookSecret(secret)).toHaveLength(32);
    }
  });

  it.each([MIN_SECRET_BYTES, 48, MAX_SECRET_BYTES])('makes secrets of %d bytes', (bytes) => {
    expect(parseWebhookSecret(generateWebhookSecret(bytes))).toHaveLength(bytes);
  });

  it.each([MIN_SECRET_BYTES - 1, MAX_SECRET_BYTES + 1, 32.5, 0])('refuses to make a secret of %p bytes', (bytes) => {
    expect(() => generateWebhookSecret(bytes)).toThrow(RangeError);
  });

  const key = randomBytes(32);
  const valid = secretOf(key);
  it('reads the key bytes of a valid secret', () => {
    expect(parseWebhookSecret(valid).equals(key)).toBe(true);
    expect(isWebhookSecret(valid)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['the prefix alone', 'whsec_'],
    ['no prefix', key.toString('base64')],
    ['another prefix', `whsek_${key.toString('base64')}`],
    ['an upper-case prefix', `WHSEC_${key.toString('base64')}`],
    ['a space before', ` ${valid}`],
    ['a newline after', `${valid}\n`],
    ['the URL-safe alphabet', `whsec_${Buffer.from('fb'.repeat(32), 'hex').toString('base64url')}=`],
    ['no padding', `whsec_${randomBytes(32).toString('base64').replace(/=+$/, '')}`],
    ['padding bits set', `whsec_${'A'.repeat(42)}B=`],
    ['not base64', 'whsec_not-base64-at-all!'],
    ['23 bytes', secretOf(randomBytes(MIN_SECRET_BYTES - 1))],
    ['65 bytes', secretOf(randomBytes(MAX_SECRET_BYTES + 1))],
  ])('refuses a secret with %s', (_case, secret) => {
    expect(() => parseWebhookSecret(secret)).toThrow(WebhookSecretError);
    expect(isWebhookSecret(secret)).toBe(false);
  });

  it('never repeats a secret in its errors', () => {
    const tooShort = secretOf(randomBytes(20));
    expect(() => parseWebhookSecret(tooShort)).toThrow(WebhookSecretError);
    try {
      parseWebhookSecret(tooShort);
    } catch (error) {
      expect((error as Error).message).not.toContain(tooShort.slice(6, 20));
    }
  });
});

describe(sign.name, () => {
  it('matches the Standard Webhooks reference example', () => {
    expect(
      sign(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it.each([
    ['an event', { type: 'referral.accepted', timestamp: '2026-01-02T03:04:05.678Z', data: { id: 'r1' } }],
    ['text beyond ASCII', { type: 'referral.sent', data: { note: 'Café — 日本語 — 🚀' } }],
    ['an empty object', {}],
  ])('signs %s so that a receiver verifies it', (_case, payload) => {
    const secret = generateWebhookSecret();
    const id = '0f1e2d3c-4b5a-4697-8877-665544332211';
    const timestamp = now();
    const body = JSON.stringify(payload);
    const signature = sign(secret, id, timestamp, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verify(secret, id, timestamp, body, signature)).toEqual(payload);
  });

  it.each([24, 64])('signs with a secret of %d bytes', (bytes) => {
    const secret = generateWebhookSecret(bytes);
    const timestamp = now();
    expect(verify(secret, 'evt_1', timestamp, '{}', sign(secret, 'evt_1', timestamp, '{}'))).toEqual({});
  });

  it('covers the id, the timestamp and the body', () => {
    const secret = generateWebhookSecret();
    const timestamp = now();
    const signature = sign(secret, 'evt_1', timestamp, '{"a":1}');
    expect(() => verify(secret, 'evt_2', timestamp, '{"a":1}', signature)).toThrow();
    expect(() => verify(secret, 'evt_1', timestamp - 1, '{"a":1}', signature)).toThrow();
    expect(() => verify(secret, 'evt_1', timestamp, '{"a":2}', signature)).toThrow();
    expect(() => verify(generateWebhookSecret(), 'evt_1', timestamp, '{"a":1}', signature)).toThrow();
  });

  it('signs with every secret during a rotation, so that either one alone verifies', () => {
    const [previous, next] = [generateWebhookSecret(), generateWebhookSecret()];
    const timestamp = now();
    const body = '{"type":"referral.sent"}';
    const signature = sign([previous, next], 'evt_1', timestamp, body);
    const parts = signature.split(' ');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(sign(previous, 'evt_1', timestamp, body));
    expect(parts[1]).toBe(sign(next, 'evt_1', timestamp, body));
    expect(verify(previous, 'evt_1', timestamp, body, signature)).toEqual({ type: 'referral.sent' });
    expect(verify(next, 'evt_1', timestamp, body, signature)).toEqual({ type: 'referral.sent' });
    expect(() => verify(generateWebhookSecret(), 'evt_1', timestamp, body, signature)).toThrow(
      'No matching signature found',
    );
  });

  it.each([
    ['no secret', [], 'evt_1', 1, WebhookSecretError],
    ['a malformed secret', ['whsec_short'], 'evt_1', 1, WebhookSecretError],
    ['an empty id', [generateWebhookSecret()], '', 1, RangeError],
    ['an id with a space', [generateWebhookSecret()], 'evt 1', 1, RangeError],
    ['an id with a newline', [generateWebhookSecret()], 'evt\r\n1', 1, RangeError],
    ['an id beyond ASCII', [generateWebhookSecret()], 'évt', 1, RangeError],
    ['an id of 256 characters', [generateWebhookSecret()], 'e'.repeat(256), 1, RangeError],
    ['a negative timestamp', [generateWebhookSecret()], 'evt_1', -1, RangeError],
    ['a timestamp in milliseconds with a fraction', [generateWebhookSecret()], 'evt_1', 1.5, RangeError],
  ])('refuses %s', (_case, secrets, id, timestamp, error) => {
    expect(() => sign(secrets, id, timestamp, '{}')).toThrow(error);
  });
});
