import { createHash } from 'node:crypto';

/**
 * The canonical serialisation of an audit event, version 1 — the exact bytes the hash covers. It
 * must stay stable across versions of Harbour: a change here is a new version, never an edit.
 *   - a JSON object with exactly the keys below, sorted by code point, recursively (details too);
 *   - `seq` as a decimal string, `recordedAt` as ISO 8601 UTC with milliseconds (`…T12:00:00.000Z`);
 *   - absent values as null; no whitespace.
 * hash = hex(SHA-256(bytes(prevHash as hex) ‖ UTF-8(canonical))); the first prevHash is 64 zeros.
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

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortDeep((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function canonicalize(event: HashedFields): string {
  return JSON.stringify(
    sortDeep({
      v: CANONICAL_VERSION,
      chainId: event.chainId,
      seq: event.seq,
      recordedAt: event.recordedAt.toISOString(),
      actorKind: event.actorKind,
      actorId: event.actorId,
      actorOrganizationId: event.actorOrganizationId,
      actorRoles: [...event.actorRoles],
      action: event.action,
      category: event.category,
      entityType: event.entityType,
      entityId: event.entityId,
      subjectClientId: event.subjectClientId,
      purpose: event.purpose,
      outcome: event.outcome,
      requestId: event.requestId,
      sourceAddress: event.sourceAddress,
      details: event.details ?? {},
    }),
  );
}

export function chainHash(prevHash: string, event: HashedFields): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(canonicalize(event), 'utf8').digest('hex');
}
