import { createHash } from 'node:crypto';

/**
 * The canonical form of a mutation's input, for the fingerprint an idempotency key is bound to:
 * JSON with object keys sorted (by UTF-16 code unit) and no whitespace; a property that is absent,
 * `undefined` or `null` is left out (the mutations that take a key read an omitted optional field
 * and a null one alike); arrays keep their order and their nulls; dates are their ISO 8601 text.
 * Two inputs have the same form exactly when they ask for the same thing, whatever order the
 * client wrote their fields in.
 */
export function canonicalInput(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('A fingerprinted input holds finite numbers only');
    return JSON.stringify(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('A fingerprinted input holds valid dates only');
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) return `[${value.map(canonicalInput).join(',')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined && field !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalInput(field)}`);
    return `{${fields.join(',')}}`;
  }
  throw new TypeError(`A fingerprinted input cannot hold a ${typeof value}`);
}

/** SHA-256 (hex) of the input's canonical form: what an idempotency key stands for. */
export function inputFingerprint(input: unknown): string {
  return sha256(canonicalInput(input));
}

/** SHA-256 (hex) of a text. Keys are stored this way: a caller's key is its own text, and may say anything. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
