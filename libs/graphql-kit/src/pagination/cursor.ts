import { BadUserInputError } from '../errors/domain-error';
import { textProblem } from '../validation/input-safety';

/**
 * Opaque cursors: the sort key of the last row seen, as base64url JSON behind a version tag.
 * Callers must treat them as opaque; we only promise that a cursor from a page of a connection
 * works as `after` for the next page of the same connection with the same arguments.
 */
const VERSION = 'v1';

export type CursorKey = readonly (string | number | boolean | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(`${VERSION}:${JSON.stringify(key)}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, expectedLength: number): CursorKey {
  const invalid = () =>
    new BadUserInputError('The cursor is not valid for this list.', [
      { field: 'after', message: 'not a cursor of this list' },
    ]);
  let text: string;
  try {
    text = Buffer.from(cursor, 'base64url').toString('utf8');
  } catch {
    throw invalid();
  }
  if (!text.startsWith(`${VERSION}:`)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(VERSION.length + 1));
  } catch {
    throw invalid();
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.length === expectedLength &&
    // A string in a cursor goes to SQL as a sort value: the text rule applies to it as to any input.
    parsed.every(
      (v) =>
        v === null || (typeof v === 'string' ? textProblem(v) === undefined : ['number', 'boolean'].includes(typeof v)),
    );
  if (!ok) throw invalid();
  return parsed as CursorKey;
}
