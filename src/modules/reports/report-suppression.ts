/**
 * Small-cell suppression of a report's table, decided month by month (README, "Referral reports").
 *
 * A table is a list of entries — its cells, its row and column totals and its grand total — each
 * holding its count per month of the range, and a list of lines: "these entries add up to that
 * total". An entry is published only when:
 *
 * 1. every month's part of it is 0 or at least k (primary suppression, month by month, so that the
 *    difference of two reports over overlapping whole-month ranges is a sum of such parts: 0 or ≥ k);
 * 2. in a line whose total is published, the suppressed entries together hold, in every month,
 *    0 or at least k (what the line gives away about them as a group is never a small number);
 * 3. no suppressed entry can be worked out exactly from the published ones through the lines, by any
 *    combination of them (checked by linear algebra, not just "two per line").
 *
 * While a rule fails, the smallest non-zero published entry of the offending line is suppressed too
 * (complementary suppression; a zero is never picked: it may be known to be zero), or the line's
 * total when none is left, until the table is stable. Zeros are shown: an empty cell discloses no one.
 */

export interface SuppressionLine {
  /** Entries that add up to `total`. */
  members: readonly number[];
  total: number;
}

export interface SuppressionTable {
  /** Each entry's count per month of the range, in month order. */
  entries: readonly (readonly number[])[];
  lines: readonly SuppressionLine[];
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const isSmall = (count: number, k: number) => count > 0 && count < k;

/** Which entries are suppressed (true) under the minimum cell size `k`. */
export function suppress(table: SuppressionTable, k: number): boolean[] {
  const { entries, lines } = table;
  const counts = entries.map((months) => sum(months));
  const suppressed = entries.map((months) => months.some((count) => isSmall(count, k)));

  const smallestPublishedMember = (line: SuppressionLine): number | undefined =>
    line.members
      .filter((entry) => !suppressed[entry] && counts[entry] > 0)
      .reduce<number | undefined>(
        (best, entry) => (best === undefined || counts[entry] < counts[best] ? entry : best),
        undefined,
      );
  /** Suppresses one more entry of these lines: the smallest non-zero member of the first that has one, else a total. */
  const suppressOneMore = (candidates: readonly SuppressionLine[], totals = true): boolean => {
    for (const line of candidates) {
      const member = smallestPublishedMember(line);
      if (member !== undefined) return (suppressed[member] = true);
    }
    if (!totals) return false;
    const total = candidates.find((line) => !suppressed[line.total]);
    if (total) return (suppressed[total.total] = true);
    return false;
  };

  // Each pass settles every leaky line, then answers every determined entry at once (one linear
  // algebra check per pass, not per added suppression), until a pass changes nothing.
  for (;;) {
    for (const line of lines) {
      while (!suppressed[line.total] && groupIsSmall(line, entries, suppressed, k)) {
        if (!suppressOneMore([line])) return suppressed.fill(true);
      }
    }
    const recoverable = determinedEntries(entries.length, lines, suppressed);
    if (recoverable.length === 0) return suppressed;
    // Lines that gained a suppression in this pass: their determined entries may be free now. Totals
    // are the last resort: hidden only when no determined entry could be answered with a cell.
    const changed = new Set<SuppressionLine>();
    const linesOf = (entry: number) => lines.filter((line) => line.total === entry || line.members.includes(entry));
    for (const entry of recoverable) {
      const touching = linesOf(entry);
      if (touching.some((line) => changed.has(line))) continue;
      const before = suppressed.slice();
      if (!suppressOneMore(touching, false)) continue;
      const added = suppressed.findIndex((value, index) => value && !before[index]);
      linesOf(added).forEach((line) => changed.add(line));
    }
    if (changed.size === 0 && !suppressOneMore(linesOf(recoverable[0]))) return suppressed.fill(true);
  }
}

/** The suppressed members of a line, taken together, hold a small number in some month. */
function groupIsSmall(
  line: SuppressionLine,
  entries: readonly (readonly number[])[],
  suppressed: readonly boolean[],
  k: number,
): boolean {
  const hidden = line.members.filter((entry) => suppressed[entry]);
  if (hidden.length === 0) return false;
  const months = entries[hidden[0]].length;
  for (let month = 0; month < months; month++) {
    if (isSmall(sum(hidden.map((entry) => entries[entry][month])), k)) return true;
  }
  return false;
}

const EPSILON = 1e-9;

/**
 * The suppressed entries whose value the published entries and the lines determine exactly: with
 * the published values known, each line is an equation over the suppressed ones; an unknown is
 * determined when the reduced row echelon form of that system has a row holding it alone.
 */
export function determinedEntries(
  entryCount: number,
  lines: readonly SuppressionLine[],
  suppressed: readonly boolean[],
): number[] {
  const unknowns = Array.from({ length: entryCount }, (_, entry) => entry).filter((entry) => suppressed[entry]);
  if (unknowns.length === 0) return [];
  const column = new Map(unknowns.map((entry, index) => [entry, index]));
  const rows = lines
    .map((line) => {
      const row = new Array<number>(unknowns.length).fill(0);
      for (const member of line.members) {
        const index = column.get(member);
        if (index !== undefined) row[index] += 1;
      }
      const totalIndex = column.get(line.total);
      if (totalIndex !== undefined) row[totalIndex] -= 1;
      return row;
    })
    .filter((row) => row.some((value) => value !== 0));

  const pivots: number[] = [];
  let rank = 0;
  for (let col = 0; col < unknowns.length && rank < rows.length; col++) {
    let pivot = -1;
    for (let r = rank; r < rows.length; r++) if (Math.abs(rows[r][col]) > EPSILON) pivot = pivot < 0 ? r : pivot;
    if (pivot < 0) continue;
    [rows[rank], rows[pivot]] = [rows[pivot], rows[rank]];
    const lead = rows[rank][col];
    rows[rank] = rows[rank].map((value) => value / lead);
    for (let r = 0; r < rows.length; r++) {
      if (r === rank || Math.abs(rows[r][col]) <= EPSILON) continue;
      const factor = rows[r][col];
      rows[r] = rows[r].map((value, c) => value - factor * rows[rank][c]);
    }
    pivots.push(col);
    rank++;
  }
  return pivots
    .filter((col, r) => rows[r].every((value, c) => c === col || Math.abs(value) <= EPSILON))
    .map((col) => unknowns[col]);
}
