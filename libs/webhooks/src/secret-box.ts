/**
 * Webhook secrets at rest: AES-256-GCM under a 32-byte key from configuration
 * (`WEBHOOK_SECRET_KEY`, base64), a fresh random 12-byte nonce per seal.
 *
 * A sealed value is `hsb1.<key id>.<base64url of nonce, ciphertext and tag>`. The key id is derived
 * from the key (an HMAC of a fixed label, 16 hex digits: it names the key without revealing it), so
 * a box given the previous keys too opens what they sealed and a rotation can re-seal row by row.
 * The version and key id are authenticated with the ciphertext, and so is an optional context (for
 * instance the endpoint's id), which binds a sealed secret to its row: copied to another row, it no
 * longer opens. Anything that does not open — altered, truncated, another key, another context —
 * fails closed with a SecretBoxError whose message repeats nothing of the input.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'hsb1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^hsb1\.([0-9a-f]{16})\.([A-Za-z0-9_-]+)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A key that cannot be used; the message says why, never what the key is. */
export class SecretBoxKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxKeyError';
  }
}

/** A sealed value that does not open. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** Exactly 32 bytes as canonical padded base64 (`openssl rand -base64 32` prints one). */
export function parseSecretBoxKey(text: string): Buffer {
  if (text === '' || !BASE64.test(text)) throw new SecretBoxKeyError('not base64');
  const key = Buffer.from(text, 'base64');
  if (key.toString('base64') !== text) throw new SecretBoxKeyError('not canonical base64');
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxKeyError(`${key.length} bytes once decoded, not ${KEY_BYTES}`);
  }
  return key;
}

/** A new key, as base64, from the operating system's random source. */
export function generateSecretBoxKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('harbour webhook secret box key id').digest('hex').slice(0, 16);
}

function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');
}

export class SecretBox {
  /** The id of the key new values are sealed with. */
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();

  /**
   * `key` seals and opens; `previousKeys` only open (values sealed before a rotation). Keys are
   * base64 text as configured, or their bytes.
   */
  constructor(key: string | Buffer, previousKeys: readonly (string | Buffer)[] = []) {
    const current = typeof key === 'string' ? parseSecretBoxKey(key) : checkedKey(key);
    this.keyId = keyIdOf(current);
    for (const previous of previousKeys) {
      const bytes = typeof previous === 'string' ? parseSecretBoxKey(previous) : checkedKey(previous);
      this.keys.set(keyIdOf(bytes), bytes);
    }
    this.keys.set(this.keyId, current);
  }

  seal(plaintext: string, context = ''): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.keyId)!, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(this.keyId, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64url');
    return `${VERSION}.${this.keyId}.${sealed}`;
  }

  /** The plaintext of a value this box (or one of its previous keys) sealed with the same context. */
  open(sealed: string, context = ''): string {
    const match = typeof sealed === 'string' ? SEALED.exec(sealed) : null;
    if (!match) throw new SecretBoxError('not a sealed value');
    const [, keyId, encoded] = match;
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError('sealed under a key this box does not hold');
    const bytes = Buffer.from(encoded, 'base64url');
    if (bytes.toString('base64url') !== encoded || bytes.length < NONCE_BYTES + TAG_BYTES) {
      throw new SecretBoxError('not a sealed value');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(associatedData(keyId, context));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plaintext = Buffer.concat([
        decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return plaintext.toString('utf8');
    } catch {
      throw new SecretBoxError('altered, or sealed with another key or context');
    }
  }

  /** Whether `sealed` is under the current key; a rotation re-seals the values for which it is not. */
  isCurrent(sealed: string): boolean {
    return SEALED.exec(sealed)?.[1] === this.keyId;
  }
}

function checkedKey(key: Buffer): Buffer {
  if (key.length !== KEY_BYTES) throw new SecretBoxKeyError(`${key.length} bytes, not ${KEY_BYTES}`);
  return Buffer.from(key);
}
