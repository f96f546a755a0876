import { isUUID } from 'class-validator';
import type { CursorKey } from '@harbour/graphql-kit/pagination/cursor';
import { afterKey, asString, readKey } from '../../database/keyset';

/**
 * `text` → an ILIKE pattern matching it anywhere, with the caller's `%`, `_` and `\` taken
 * literally (backslash is PostgreSQL's default LIKE escape character).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Directory lists are ordered by name, then id (unique): the cursor key of a row. */
export function nameIdKey(row: { name: string; id: string }): CursorKey {
  return [row.name, row.id];
}

/** Reads a decoded cursor key back, refusing keys that are not a (name, uuid) pair before they reach SQL. */
export function readNameIdKey(key: CursorKey): { name: string; id: string } {
  const { sort, id } = readKey(key, asString);
  return { name: sort, id };
}

/** Ids are UUIDs: anything else cannot name an object, so it is simply not found. */
export function isId(id: string): boolean {
  return isUUID(id);
}

/** MikroORM filter for the rows after a cursor, under the directory's order (name, then id). */
export function afterNameId(after: CursorKey | undefined): object {
  return afterKey(after, 'name', asString);
}
