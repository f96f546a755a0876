import { createHash, hash } from 'node:crypto';

/**
 * The canonical serialisation of an audit event, version 1 — the exact bytes the hash covers. It
 * must stay stable across versions of Harbour: a change here is a new version, never an edit.
 *   - a JSON object with exactly the keys below, sorted by code point, recursively (details too);
 *   - `seq` as a decimal string, `recordedAt` as ISO 8601 UTC with milliseconds (`…T12:00:00.000Z`);
 *   - absent values as null; no whitespace.
 * hash = hex(SHA-256(bytes(prevHash as hex) ‖ UTF-8(canonical))); the first prevHash is 64 zeros.
 *
 * The reference definition is `JSON.stringify` of the event with its object keys sorted by
 * `Array.prototype.sort` at every level (test/unit/canonical.spec.ts holds it and checks this
 * implementation against it); the code below writes the same bytes without building sorted
 * copies, because verification runs it a million times.
 */
export const CANONICAL_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  chainId: string;
  seq: string;
  recordedAt: Date;
  actorKind: string;
  actorId: string | null;
  actorOrganizationId: string | null;
  actorRoles: readonly string[];
  action: string;
  category: string;
  entityType: string | null;
  entityId: string | null;
  subjectClientId: string | null;
  purpose: string | null;
  outcome: string;
  requestId: string | null;
  sourceAddress: string | null;
  details: unknown;
}

/** The same fields with `recordedAt` already written in the canonical form (as verification reads it). */
export interface CanonicalFields extends Omit<HashedFields, 'recordedAt'> {
  recordedAt: string;
}

/** An `audit_event` row as PostgreSQL returns it. */
export interface AuditEventRow {
  chain_id: string;
  seq: string;
  recorded_at: Date | string;
  actor_kind: string;
  actor_id: string | null;
  actor_organization_id: string | null;
  actor_roles: string[];
  action: string;
  category: string;
  entity_type: string | null;
  entity_id: string | null;
  subject_client_id: string | null;
  purpose: string | null;
  outcome: string;
  request_id: string | null;
  source_address: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
}

/** The hashed fields of a stored row (`recorded_at` as a Date or any timestamp text PostgreSQL gives). */
export function canonicalFieldsOfRow(row: AuditEventRow): CanonicalFields {
  return {
    chainId: row.chain_id,
    seq: row.seq,
    recordedAt: new Date(row.recorded_at).toISOString(),
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    actorOrganizationId: row.actor_organization_id,
    actorRoles: row.actor_roles,
    action: row.action,
    category: row.category,
    entityType: row.entity_type,
    entityId: row.entity_id,
    subjectClientId: row.subject_client_id,
    purpose: row.purpose,
    outcome: row.outcome,
    requestId: row.request_id,
    sourceAddress: row.source_address,
    details: row.details,
  };
}

/** JSON with the keys of every object sorted; undefined members are left out (arrays: null). */
export function canonicalJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

function stringify(value: unknown): string | undefined {
  if (typeof value === 'string') return quote(value);
  if (value === null || typeof value !== 'object') {
    // undefined, functions and symbols have no JSON: undefined, like JSON.stringify says at run time.
    const text: string | undefined = JSON.stringify(value);
    return text;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += stringify(value[i]) ?? 'null';
    }
    return `${out}]`;
  }
  // Like the reference, every other object (a Date included) is written as its own enumerable keys.
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const member = stringify(record[key]);
    if (member === undefined) continue;
    out += `${first ? '' : ','}${quote(key)}:${member}`;
    first = false;
  }
  return `${out}}`;
}

// Exactly what JSON.stringify escapes: quote, backslash, control characters, (lone) surrogates.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}

export function canonicalize(event: HashedFields): string {
  return canonicalizeFields({ ...event, recordedAt: event.recordedAt.toISOString() });
}

type Member = keyof CanonicalFields | 'v';
/** The top-level keys in canonical (sorted) order, each with its `"key":` prefix written once. */
const MEMBERS: readonly Member[] = (
  [
    'v',
    'chainId',
    'seq',
    'recordedAt',
    'actorKind',
    'actorId',
    'actorOrganizationId',
    'actorRoles',
    'action',
    'category',
    'entityType',
    'entityId',
    'subjectClientId',
    'purpose',
    'outcome',
    'requestId',
    'sourceAddress',
    'details',
  ] as const
)
  .slice()
  .sort();
const PREFIXES = MEMBERS.map((key) => `${quote(key)}:`);

/**
 * An event's canonical text cut around the two values known only under the chain head's lock:
 * canonical = beforeRecordedAt ‖ "recordedAt" ‖ beforeSeq ‖ "seq" ‖ afterSeq (each value quoted).
 * The keys' order puts requestId between them.
 */
export type CanonicalParts = readonly [beforeRecordedAt: string, beforeSeq: string, afterSeq: string];

export function canonicalParts(event: Omit<CanonicalFields, 'recordedAt' | 'seq'>): CanonicalParts {
  const parts: string[] = [];
  let out = '{';
  let first = true;
  for (let i = 0; i < MEMBERS.length; i++) {
    const key = MEMBERS[i];
    if (key === 'recordedAt' || key === 'seq') {
      parts.push(`${out}${first ? '' : ','}${PREFIXES[i]}`);
      out = '';
      first = false;
      continue;
    }
    const value = key === 'v' ? CANONICAL_VERSION : key === 'details' ? (event.details ?? {}) : event[key];
    const member = typeof value === 'string' ? quote(value) : stringify(value);
    if (member === undefined) continue;
    out += `${first ? '' : ','}${PREFIXES[i]}${member}`;
    first = false;
  }
  return [parts[0], parts[1], `${out}}`];
}

export function canonicalizeFields(event: CanonicalFields): string {
  const [beforeRecordedAt, beforeSeq, afterSeq] = canonicalParts(event);
  return `${beforeRecordedAt}${quote(event.recordedAt)}${beforeSeq}${quote(event.seq)}${afterSeq}`;
}

/** The fields with `actorRoles` and `details` already written as canonical JSON (`canonicalJson`). */
export interface SerializedFields extends Omit<CanonicalFields, 'actorRoles' | 'details'> {
  actorRoles: string;
  details: string;
}

/**
 * `canonicalizeFields` for values read back from the database, where every field is a string or
 * null: the same bytes, written in one expression (verification's hot path).
 */
export function canonicalizeSerialized(e: SerializedFields): string {
  return (
    `{"action":${quote(e.action)},"actorId":${nullable(e.actorId)},"actorKind":${quote(e.actorKind)},` +
    `"actorOrganizationId":${nullable(e.actorOrganizationId)},"actorRoles":${e.actorRoles},"category":${quote(e.category)},` +
    `"chainId":${quote(e.chainId)},"details":${e.details},"entityId":${nullable(e.entityId)},"entityType":${nullable(e.entityType)},` +
    `"outcome":${quote(e.outcome)},"purpose":${nullable(e.purpose)},"recordedAt":${quote(e.recordedAt)},"requestId":${nullable(e.requestId)},` +
    `"seq":${quote(e.seq)},"sourceAddress":${nullable(e.sourceAddress)},"subjectClientId":${nullable(e.subjectClientId)},"v":${CANONICAL_VERSION}}`
  );
}

function nullable(text: string | null): string {
  return text === null ? 'null' : quote(text);
}

export function chainHash(prevHash: string, event: HashedFields): string {
  return hashLink(prevHash, canonicalize(event));
}

/** SHA-256 over the previous hash's bytes, then the canonical text. */
export function hashLink(prevHash: string, canonical: string): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(canonical, 'utf8').digest('hex');
}

/**
 * `hashLink` for many events in a row (verification): one reusable buffer and a one-shot hash
 * instead of a hash object per event — less than half the cost. Anything that does not fit the
 * buffer, or a prevHash that is not 64 hex digits, takes the general path.
 */
export class ChainHasher {
  private readonly buffer = Buffer.allocUnsafe(64 * 1024);

  link(prevHash: string, canonical: string): string {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: this bound guarantees the text fits.
    if (
      prevHash.length !== 64 ||
      canonical.length * 3 > this.buffer.length - 32 ||
      this.buffer.write(prevHash, 0, 32, 'hex') !== 32
    ) {
      return hashLink(prevHash, canonical);
    }
    const length = 32 + this.buffer.write(canonical, 32, 'utf8');
    return hash('sha256', this.buffer.subarray(0, length), 'hex');
  }
}
