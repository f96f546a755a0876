/**
 * Standard Webhooks 1.0 signatures. An endpoint's secret is `whsec_` followed by the base64 of 24 to
 * 64 random bytes; a message is signed with HMAC-SHA256, keyed by those bytes, over
 * `<webhook-id>.<webhook-timestamp>.<body>`, and the `webhook-signature` header carries
 * `v1,<base64 of the HMAC>`. While a secret is being rotated a message is signed with every current
 * secret, the signatures separated by spaces, so that a receiver holding either one verifies it.
 * Error messages never repeat a secret.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;
const DEFAULT_SECRET_BYTES = 32;

/** A `webhook-id`: printable ASCII without spaces, as a header value and the signed content need. */
const MESSAGE_ID = /^[\x21-\x7e]{1,255}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}

/** A new secret from the operating system's random source: `whsec_` and the base64 of `bytes` bytes. */
export function generateWebhookSecret(bytes: number = DEFAULT_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new RangeError(`a webhook secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return WEBHOOK_SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/**
 * The key bytes of a secret, read strictly: the `whsec_` prefix, canonical padded base64 (no
 * whitespace, no URL-safe alphabet) and 24 to 64 bytes. Anything else is a WebhookSecretError.
 */
export function parseWebhookSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new WebhookSecretError(`a webhook secret starts with ${WEBHOOK_SECRET_PREFIX}`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (encoded === '' || !BASE64.test(encoded)) {
    throw new WebhookSecretError(`a webhook secret is ${WEBHOOK_SECRET_PREFIX} and padded base64`);
  }
  const key = Buffer.from(encoded, 'base64');
  // Padding bits that are not zero decode anyway; only the canonical spelling is a secret.
  if (key.toString('base64') !== encoded) {
    throw new WebhookSecretError('a webhook secret is canonical base64');
  }
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new WebhookSecretError(`a webhook secret holds ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return key;
}

export function isWebhookSecret(secret: string): boolean {
  try {
    parseWebhookSecret(secret);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `webhook-signature` header value of one message: `v1,<base64>` for one secret, or one such
 * signature per secret, separated by spaces, during a rotation. `timestampSeconds` is the
 * `webhook-timestamp` header's value, whole seconds since the epoch.
 */
export function sign(secrets: string | readonly string[], id: string, timestampSeconds: number, body: string): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new WebhookSecretError('a message is signed with at least one secret');
  if (!MESSAGE_ID.test(id)) throw new RangeError('a webhook id is 1 to 255 printable ASCII characters');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError('a webhook timestamp is whole seconds since the epoch');
  }
  const content = `${id}.${timestampSeconds}.${body}`;
  return list
    .map((secret) => `v1,${createHmac('sha256', parseWebhookSecret(secret)).update(content, 'utf8').digest('base64')}`)
    .join(' ');
}
