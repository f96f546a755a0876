import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * The Ed25519 keys that sign audit checkpoints. Configuration holds them as text: PEM (PKCS#8 for
 * the private key, SPKI for the public one) or the base64 of the same DER bytes. Environment files
 * often carry a PEM on one line with `\n` escapes; those are accepted too. Error messages never
 * repeat the key.
 */
export class SigningKeyError extends Error {}

function keyInput<T extends 'pkcs8' | 'spki'>(text: string, type: T) {
  const trimmed = text.trim();
  if (trimmed.includes('-----BEGIN')) return { key: trimmed.replace(/\\n/g, '\n'), format: 'pem' as const };
  if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) throw new SigningKeyError('not PEM and not base64');
  return { key: Buffer.from(trimmed, 'base64'), format: 'der' as const, type };
}

function requireEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(`an ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  return key;
}

export function parsePrivateKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(keyInput(text, 'pkcs8'));
  } catch (error) {
    throw error instanceof SigningKeyError ? error : new SigningKeyError('not a readable private key');
  }
  return requireEd25519(key);
}

export function parsePublicKey(text: string): KeyObject {
  // createPublicKey would quietly derive one from a private key: that belongs in AUDIT_SIGNING_KEY only.
  if (text.includes('PRIVATE KEY')) throw new SigningKeyError('a private key, not a public one');
  let key: KeyObject;
  try {
    key = createPublicKey(keyInput(text, 'spki'));
  } catch (error) {
    throw error instanceof SigningKeyError ? error : new SigningKeyError('not a readable public key');
  }
  return requireEd25519(key);
}

/** A new private key, as PKCS#8 PEM: for development and tests, where none is configured. */
export function generatePrivateKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function privateKeyPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function publicKeyPem(key: KeyObject): string {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'pem', type: 'spki' }).toString();
}
