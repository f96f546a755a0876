import { BadUserInputError } from '@harbour/graphql-kit/errors/domain-error';
import type { CursorKey } from '@harbour/graphql-kit/pagination/cursor';
import { isUUID } from 'class-validator';

/** Reads a cursor's sort value; undefined when the value cannot come from this list. */
export type SortValueParser<T> = (raw: CursorKey[number]) => T | undefined;

export const asString: SortValueParser<string> = (raw) => (typeof raw === 'string' ? raw : undefined);
export const asDate: SortValueParser<Date> = (raw) => (typeof raw === 'string' && !Number.isNaN(Date.parse(raw)) ? new Date(raw) : undefined);

/**
 * A decoded (sort value, id) cursor key, checked before it reaches SQL: a forged cursor is the
 * caller's mistake (BAD_USER_INPUT), never a database error.
 */
export function readKey<T>(after: CursorKey, parse: SortValueParser<T>): { sort: T; id: string } {
  const [raw, id] = after;
  const sort = parse(raw);
  if (sort === undefined || typeof id !== 'string' || !isUUID(id)) {
    throw new BadUserInputError('The cursor is not valid for this list.', [{ field: 'after', message: 'not a cursor of this list' }]);
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
