import { BadUserInputError, INPUT_LIMITS, type CursorKey } from '@harbour/graphql-kit';
import { NETWORK_CHAIN, type AuditEvent } from '@harbour/audit';
import type { FilterQuery } from '@mikro-orm/core';
import { isUUID } from 'class-validator';

/** Reads a cursor's sort value; undefined when the value cannot come from this list. */
export type SortValueParser<T> = (raw: CursorKey[number]) => T | undefined;

export const asString: SortValueParser<string> = (raw) => (typeof raw === 'string' ? raw : undefined);
/** A timestamp the database can hold and Harbour can have written: a forged cursor's year 275760 is refused, not sent to SQL. */
export const asDate: SortValueParser<Date> = (raw) => {
  if (typeof raw !== 'string') return undefined;
  const date = new Date(raw);
  const year = date.getUTCFullYear();
  return Number.isNaN(year) || year < INPUT_LIMITS.minYear || year > INPUT_LIMITS.maxYear ? undefined : date;
};

/**
 * A decoded (sort value, id) cursor key, checked before it reaches SQL: a forged cursor is the
 * caller's mistake (BAD_USER_INPUT), never a database error.
 */
export function readKey<T>(after: CursorKey, parse: SortValueParser<T>): { sort: T; id: string } {
  const [raw, id] = after;
  const sort = parse(raw);
  if (sort === undefined || typeof id !== 'string' || !isUUID(id)) {
    throw new BadUserInputError('The cursor is not valid for this list.', [
      { field: 'after', message: 'not a cursor of this list' },
    ]);
  }
  return { sort, id };
}

/**
 * The MikroORM filter for "rows strictly after this cursor" under an ascending two-column order:
 * a sort column, then the unique id as tie-breaker.
 */
export function afterKey<T>(after: CursorKey | undefined, sortField: string, parse: SortValueParser<T>): object {
  if (!after) return {};
  const { sort, id } = readKey(after, parse);
  return { $or: [{ [sortField]: { $gt: sort } }, { [sortField]: sort, id: { $gt: id } }] };
}

/** Lists ordered by name, then id (unique): the cursor key of a row. */
export function nameIdKey(row: { name: string; id: string }): CursorKey {
  return [row.name, row.id];
}

/** Reads a decoded cursor key back, refusing keys that are not a (name, uuid) pair before they reach SQL. */
export function readNameIdKey(key: CursorKey): { name: string; id: string } {
  const { sort, id } = readKey(key, asString);
  return { name: sort, id };
}

/** MikroORM filter for the rows after a cursor, under the order (name, then id). */
export function afterNameId(after: CursorKey | undefined): object {
  return afterKey(after, 'name', asString);
}

/** Audit events, newest first; chain id and seq make the key unique (two chains may record in the same millisecond). */
export const AUDIT_EVENT_ORDER = [{ recordedAt: 'desc' }, { chainId: 'desc' }, { seq: 'desc' }] as const;

const SEQ = /^[1-9]\d{0,18}$/;
/** A PostgreSQL bigint's largest value: a longer sequence number cannot come from a list of events. */
const MAX_SEQ = 9_223_372_036_854_775_807n;

export function auditEventKey(event: Pick<AuditEvent, 'recordedAt' | 'chainId' | 'seq'>): CursorKey {
  return [event.recordedAt.toISOString(), event.chainId, String(event.seq)];
}

/** Events strictly after the cursor under AUDIT_EVENT_ORDER (all three keys descending), checked before they reach SQL. */
export function afterAuditEvent(after: CursorKey): FilterQuery<AuditEvent> {
  const [rawTime, chainId, seq] = after;
  const recordedAt = asDate(rawTime);
  const valid =
    recordedAt !== undefined &&
    typeof chainId === 'string' &&
    (chainId === NETWORK_CHAIN || isUUID(chainId)) &&
    typeof seq === 'string' &&
    SEQ.test(seq) &&
    BigInt(seq) <= MAX_SEQ;
  if (!valid)
    throw new BadUserInputError('The cursor is not valid for this list.', [
      { field: 'after', message: 'not a cursor of this list' },
    ]);
  return {
    $or: [
      { recordedAt: { $lt: recordedAt } },
      { recordedAt, chainId: { $lt: chainId } },
      { recordedAt, chainId, seq: { $lt: seq } },
    ],
  };
}
