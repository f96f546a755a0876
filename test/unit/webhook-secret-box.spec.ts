import { randomBytes } from 'node:crypto';
import {
  SecretBox,
  SecretBoxError,
  SecretBoxKeyError,
  generateSecretBoxKey,
  generateWebhookSecret,
  parseSecretBoxKey,
} from '@harbour/webhooks';

const KEY = generateSecretBoxKey();
const SECRET = generateWebhookSecret();

/** The error `open` throws, failing the test if it opens. */
function openError(box: SecretBox, sealed: string, context?: string): Error {
  try {
    box.open(sealed, context);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the sealed value opened');
}

describe(parseSecretBoxKey.name, () => {
  it('reads 32 bytes of canonical base64', () => {
    const bytes = randomBytes(32);
    expect(parseSecretBoxKey(bytes.toString('base64')).equals(bytes)).toBe(true);
    expect(parseSecretBoxKey(generateSecretBoxKey())).toHaveLength(32);
  });

  it.each([
    ['empty', '', /not base64/],
    ['not base64', 'this is not base64 at all!', /not base64/],
    ['base64url', Buffer.from('fb'.repeat(32), 'hex').toString('base64url') + '=', /not base64/],
    ['unpadded', randomBytes(32).toString('base64').replace(/=$/, ''), /not base64/],
    ['surrounded by spaces', ` ${randomBytes(32).toString('base64')} `, /not base64/],
    ['padding bits set', `${'A'.repeat(42)}B=`, /not canonical base64/],
    ['31 bytes', randomBytes(31).toString('base64'), /31 bytes once decoded, not 32/],
    ['33 bytes', randomBytes(33).toString('base64'), /33 bytes once decoded, not 32/],
    ['16 bytes (an AES-128 key)', randomBytes(16).toString('base64'), /16 bytes once decoded, not 32/],
  ])('refuses a key that is %s', (_case, text, message) => {
    expect(() => parseSecretBoxKey(text)).toThrow(SecretBoxKeyError);
    expect(() => parseSecretBoxKey(text)).toThrow(message);
  });

  it('never repeats the key in its errors', () => {
    const short = randomBytes(31).toString('base64');
    try {
      parseSecretBoxKey(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short.slice(0, 12));
    }
    expect.assertions(1);
  });

  it('refuses a key given as bytes of the wrong length', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxKeyError);
  });
});

describe(SecretBox.name, () => {
  const box = new SecretBox(KEY);

  it.each([
    ['a webhook secret', SECRET],
    ['empty text', ''],
    ['text beyond ASCII', 'Café — 日本語 — 🚀'],
    ['a long text', 'x'.repeat(10_000)],
  ])('opens what it sealed: %s', (_case, plaintext) => {
    expect(box.open(box.seal(plaintext))).toBe(plaintext);
  });

  it('writes the version and the key id before the sealed bytes, and never the plaintext', () => {
    const sealed = box.seal(SECRET);
    expect(sealed).toMatch(/^hsb1\.[0-9a-f]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed.split('.')[1]).toBe(box.keyId);
    expect(sealed).not.toContain(SECRET.slice(6));
    // 12-byte nonce, the ciphertext as long as the plaintext, a 16-byte tag
    expect(Buffer.from(sealed.split('.')[2], 'base64url')).toHaveLength(12 + SECRET.length + 16);
  });

  it('uses a fresh nonce every time', () => {
    const sealed = Array.from({ length: 500 }, () => box.seal(SECRET));
    expect(new Set(sealed).size).toBe(500);
    expect(new Set(sealed.map((value) => value.split('.')[2].slice(0, 16))).size).toBe(500);
  });

  it('derives the key id from the key, without revealing it', () => {
    expect(new SecretBox(KEY).keyId).toBe(box.keyId);
    expect(new SecretBox(generateSecretBoxKey()).keyId).not.toBe(box.keyId);
    expect(Buffer.from(KEY, 'base64').toString('hex')).not.toContain(box.keyId);
  });

  it('fails closed when any byte of the sealed value changed', () => {
    const sealed = box.seal(SECRET);
    const bytes = Buffer.from(sealed.split('.')[2], 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes);
      altered[i] ^= 0x01;
      const error = openError(box, `hsb1.${box.keyId}.${altered.toString('base64url')}`);
      expect(error).toBeInstanceOf(SecretBoxError);
    }
  });

  it.each([
    ['truncated', (sealed: string) => sealed.slice(0, -4)],
    ['extended', (sealed: string) => `${sealed}AAAA`],
    ['cut to the nonce', (sealed: string) => sealed.slice(0, sealed.lastIndexOf('.') + 16)],
    ['without its prefix', (sealed: string) => sealed.split('.')[2]],
    ['under another version', (sealed: string) => sealed.replace(/^hsb1/, 'hsb2')],
    ['under an unknown key id', (sealed: string) => sealed.replace(/\.[0-9a-f]{16}\./, '.0123456789abcdef.')],
    ['with padding added', (sealed: string) => `${sealed}=`],
    ['empty', () => ''],
  ])('refuses a sealed value %s', (_case, alter) => {
    expect(openError(box, alter(box.seal(SECRET)))).toBeInstanceOf(SecretBoxError);
  });

  it('refuses a value sealed under another key', () => {
    const other = new SecretBox(generateSecretBoxKey());
    expect(openError(box, other.seal(SECRET)).message).toBe('sealed under a key this box does not hold');
  });

  it('refuses a value whose key id was rewritten to this key', () => {
    const other = new SecretBox(generateSecretBoxKey());
    const forged = other.seal(SECRET).replace(other.keyId, box.keyId);
    expect(openError(box, forged).message).toBe('altered, or sealed with another key or context');
  });

  it('binds a value to its context: it opens only with the same one', () => {
    const sealed = box.seal(SECRET, 'endpoint:1');
    expect(box.open(sealed, 'endpoint:1')).toBe(SECRET);
    expect(openError(box, sealed, 'endpoint:2')).toBeInstanceOf(SecretBoxError);
    expect(openError(box, sealed)).toBeInstanceOf(SecretBoxError);
    expect(openError(box, box.seal(SECRET), 'endpoint:1')).toBeInstanceOf(SecretBoxError);
  });

  it('never repeats the sealed value or the plaintext in its errors', () => {
    const sealed = box.seal(SECRET);
    const altered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    const message = openError(box, altered).message;
    expect(message).not.toContain(sealed.split('.')[2].slice(0, 10));
    expect(message).not.toContain(SECRET.slice(6, 16));
  });

  describe('rotation', () => {
    const previousKey = generateSecretBoxKey();
    const before = new SecretBox(previousKey);
    const after = new SecretBox(generateSecretBoxKey(), [previousKey]);

    it('opens values sealed under a previous key, and seals under the current one', () => {
      const old = before.seal(SECRET, 'endpoint:1');
      expect(after.open(old, 'endpoint:1')).toBe(SECRET);
      expect(after.isCurrent(old)).toBe(false);
      const resealed = after.seal(after.open(old, 'endpoint:1'), 'endpoint:1');
      expect(after.isCurrent(resealed)).toBe(true);
      expect(resealed.split('.')[1]).toBe(after.keyId);
      expect(openError(before, resealed, 'endpoint:1')).toBeInstanceOf(SecretBoxError);
    });

    it('no longer opens them once the previous key is dropped', () => {
      const old = before.seal(SECRET);
      expect(openError(new SecretBox(generateSecretBoxKey()), old)).toBeInstanceOf(SecretBoxError);
    });
  });
});
