import type { CursorKey } from '@harbour/graphql-kit/pagination/cursor';

/**
 * The MikroORM filter for "rows strictly after this cursor" under an ascending two-column order
 * (a sort column, then the unique id as tie-breaker).
 */
export function afterKey(after: CursorKey | undefined, sortField: string, toValue: (raw: CursorKey[number]) => unknown = (raw) => raw): object {
  if (!after) return {};
  const [sortValue, id] = after;
  return {
    $or: [{ [sortField]: { $gt: toValue(sortValue) } }, { [sortField]: toValue(sortValue), id: { $gt: String(id) } }],
  };
}

export const asDate = (raw: CursorKey[number]): Date => new Date(String(raw));
