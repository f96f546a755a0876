import fc from 'fast-check';
import { ReferralReportDimension as D } from '../../src/modules/reports/referral-report.enums';
import {
  buildReportTable,
  type ReferralFact,
  type ReportFigures,
  type ReportTable,
} from '../../src/modules/reports/referral-report-table';
import { determinedEntries, suppress } from '../../src/modules/reports/report-suppression';

const K = 10;
const ROWS = ['org-a', 'org-b', 'org-c', 'org-d'];
const COLUMNS = ['ACCEPTED', 'DECLINED', 'COMPLETED'];

function fact(month: number, row: string, column: string): ReferralFact {
  return {
    month,
    values: {
      [D.MONTH]: `m${month}`,
      [D.SENDING_ORGANIZATION]: row,
      [D.RECEIVING_ORGANIZATION]: 'receiver',
      [D.STATUS]: column,
      [D.OUTCOME]: null,
      [D.DECLINE_REASON]: null,
    },
    accepted: column !== 'DECLINED',
    declined: column === 'DECLINED',
    daysToAccept: column === 'DECLINED' ? null : 2,
    daysToComplete: column === 'COMPLETED' ? 5 : null,
  };
}

function table(facts: readonly ReferralFact[], months: number, groupBy = [D.SENDING_ORGANIZATION, D.STATUS]) {
  return buildReportTable(facts, {
    groupBy,
    months,
    minimumCellSize: K,
    labelOf: () => undefined,
    orderOf: (dimension) => (dimension === D.STATUS ? COLUMNS : undefined),
  });
}

/** Every published and suppressed figure of a two-dimensional report, keyed by row and column value ('*' = total). */
function entriesOf(report: ReportTable): Map<string, ReportFigures> {
  const entries = new Map<string, ReportFigures>();
  report.rows.forEach((row) => {
    row.cells.forEach((cell, c) => entries.set(`${row.group.value}|${report.columns[c].value}`, cell));
    entries.set(`${row.group.value}|*`, row.total);
  });
  report.columnTotals.forEach((total, c) => entries.set(`*|${report.columns[c].value}`, total));
  entries.set('*|*', report.grandTotal);
  return entries;
}

/** The true counts per month, computed independently of the report. */
function truth(facts: readonly ReferralFact[], months: number): Map<string, number[]> {
  const counts = new Map<string, number[]>();
  const add = (key: string, month: number) => {
    const parts = counts.get(key) ?? new Array<number>(months).fill(0);
    parts[month] += 1;
    counts.set(key, parts);
  };
  for (const f of facts) {
    const row = f.values[D.SENDING_ORGANIZATION] ?? '';
    const column = f.values[D.STATUS] ?? '';
    for (const key of [`${row}|${column}`, `${row}|*`, `*|${column}`, '*|*']) add(key, f.month);
  }
  return counts;
}

/** The equations a reader of a two-dimensional report can write: each row and column adds up to its total. */
function linesOf(report: ReportTable): { members: string[]; total: string }[] {
  const rows = report.rows.map((row) => String(row.group.value));
  const columns = report.columns.map((column) => String(column.value));
  return [
    ...rows.map((r) => ({ members: columns.map((c) => `${r}|${c}`), total: `${r}|*` })),
    ...columns.map((c) => ({ members: rows.map((r) => `${r}|${c}`), total: `*|${c}` })),
    { members: rows.map((r) => `${r}|*`), total: '*|*' },
    { members: columns.map((c) => `*|${c}`), total: '*|*' },
  ];
}

/**
 * The attacker: solve every line with exactly one unknown, again and again, until nothing moves.
 * Returns the suppressed entries it recovered.
 */
function recoverByPeeling(report: ReportTable): string[] {
  const known = new Map<string, number>();
  for (const [key, figures] of entriesOf(report)) if (!figures.suppressed) known.set(key, figures.referralCount ?? 0);
  const recovered: string[] = [];
  for (let progress = true; progress;) {
    progress = false;
    for (const line of linesOf(report)) {
      const all = [...line.members, line.total];
      const unknown = all.filter((key) => !known.has(key));
      if (unknown.length !== 1) continue;
      const [missing] = unknown;
      const members = line.members.reduce((total, key) => total + (known.get(key) ?? 0), 0);
      known.set(missing, missing === line.total ? members : (known.get(line.total) ?? 0) - members);
      recovered.push(missing);
      progress = true;
    }
  }
  return recovered;
}

/** Random tables: each (row, column, month) holds nothing, a few referrals or many, so that small cells sit among large ones. */
const factsArbitrary = (months: number) =>
  fc
    .array(
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: K - 1 }) },
        { weight: 4, arbitrary: fc.integer({ min: K, max: 4 * K }) },
      ),
      { minLength: ROWS.length * COLUMNS.length * months, maxLength: ROWS.length * COLUMNS.length * months },
    )
    .map((counts) =>
      counts.flatMap((count, index) => {
        const month = index % months;
        const column = COLUMNS[Math.floor(index / months) % COLUMNS.length];
        const row = ROWS[Math.floor(index / months / COLUMNS.length)];
        return Array.from({ length: count }, () => ({ month, row, column }));
      }),
    );

describe(suppress.name, () => {
  it('suppresses a cell under k, and a second cell of its row and of its column, so that totals do not give it away', () => {
    const facts = [
      ...Array.from({ length: 30 }, () => fact(0, 'org-a', 'ACCEPTED')),
      ...Array.from({ length: 3 }, () => fact(0, 'org-a', 'DECLINED')),
      ...Array.from({ length: 20 }, () => fact(0, 'org-b', 'ACCEPTED')),
      ...Array.from({ length: 15 }, () => fact(0, 'org-b', 'DECLINED')),
    ];
    const entries = entriesOf(table(facts, 1));
    expect(entries.get('org-a|DECLINED')).toEqual({
      suppressed: true,
      referralCount: null,
      acceptanceRate: null,
      medianDaysToAccept: null,
      medianDaysToComplete: null,
    });
    const suppressed = [...entries].filter(([, figures]) => figures.suppressed).map(([key]) => key);
    expect(suppressed.sort()).toEqual(['org-a|ACCEPTED', 'org-a|DECLINED', 'org-b|ACCEPTED', 'org-b|DECLINED'].sort());
    expect(entries.get('org-a|*')).toMatchObject({ suppressed: false, referralCount: 33 });
    expect(entries.get('*|*')).toMatchObject({ suppressed: false, referralCount: 68 });
    expect(recoverByPeeling(table(facts, 1))).toEqual([]);
  });

  it('shows zeros, and suppresses a cell that is large over the range but small in one of its months', () => {
    const facts = [
      ...Array.from({ length: 40 }, () => fact(0, 'org-a', 'ACCEPTED')),
      ...Array.from({ length: 2 }, () => fact(1, 'org-a', 'ACCEPTED')),
      ...Array.from({ length: 12 }, () => fact(0, 'org-b', 'ACCEPTED')),
      ...Array.from({ length: 12 }, () => fact(1, 'org-b', 'ACCEPTED')),
    ];
    const entries = entriesOf(table(facts, 2, [D.SENDING_ORGANIZATION]));
    expect(entries.get('org-a|*')?.suppressed).toBe(true);
    expect(entries.get('org-b|*')?.suppressed).toBe(true);
    // Two suppressed rows and their published total: only their sum, 66, is known.
    expect(entries.get('*|*')).toMatchObject({ suppressed: false, referralCount: 66 });
  });

  it('refuses a table of more than MAX_REPORT_CELLS cells with BAD_USER_INPUT naming input.groupBy', () => {
    const facts = Array.from({ length: 51 }, (_, r) =>
      Array.from({ length: 50 }, (__, c) => fact(0, `org-${r}`, `STATUS_${c}`)),
    ).flat();
    expect(() => table(facts, 1)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => table(facts.slice(0, 2500), 1)).not.toThrow();
  });

  it('finds a value that "two suppressed per line" would leave recoverable through several lines', () => {
    // Every line holds at least two suppressed entries, yet (0+1) + (2+3) − (0+2) gives 1+3, and
    // with it entry 4 alone.
    const lines = [
      { members: [0, 1], total: 6 },
      { members: [2, 3], total: 7 },
      { members: [0, 2], total: 8 },
      { members: [1, 3, 4], total: 5 },
    ];
    expect(determinedEntries(9, lines, [true, true, true, true, true, false, false, false, false])).toEqual([4]);
  });

  it('leaves no suppressed entry recoverable from row, column or grand totals, on any table', () => {
    fc.assert(
      fc.property(factsArbitrary(3), (drawn) => {
        const report = table(
          drawn.map((d) => fact(d.month, d.row, d.column)),
          3,
        );
        expect(recoverByPeeling(report)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('publishes only entries whose every month is 0 or at least k, and keeps what a line reveals of its suppressed entries 0 or at least k', () => {
    fc.assert(
      fc.property(factsArbitrary(3), (drawn) => {
        const facts = drawn.map((d) => fact(d.month, d.row, d.column));
        const report = table(facts, 3);
        const entries = entriesOf(report);
        const counts = truth(facts, 3);
        for (const [key, figures] of entries) {
          if (figures.suppressed) continue;
          expect(figures.referralCount).toBe((counts.get(key) ?? [0]).reduce((a, b) => a + b, 0));
          for (const part of counts.get(key) ?? []) expect(part === 0 || part >= K).toBe(true);
        }
        for (const line of linesOf(report)) {
          const total = entries.get(line.total);
          if (!total || total.suppressed) continue;
          const hidden = line.members.filter((key) => entries.get(key)?.suppressed);
          const revealed =
            (total.referralCount ?? 0) -
            line.members.reduce(
              (sum, key) => sum + (entries.get(key)?.suppressed ? 0 : (entries.get(key)?.referralCount ?? 0)),
              0,
            );
          expect(hidden.length === 0 ? revealed === 0 : revealed === 0 || revealed >= K).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('cannot be differenced: two reports over overlapping whole-month ranges never isolate fewer than k referrals', () => {
    fc.assert(
      fc.property(factsArbitrary(3), (drawn) => {
        const facts = drawn.map((d) => fact(d.month, d.row, d.column));
        // January to March, and January to February: their difference is March.
        const long = entriesOf(table(facts, 3));
        const short = entriesOf(
          table(
            facts.filter((f) => f.month < 2),
            2,
          ),
        );
        for (const [key, figures] of long) {
          const earlier = short.get(key);
          if (figures.suppressed || (earlier !== undefined && earlier.suppressed)) continue;
          const difference = (figures.referralCount ?? 0) - (earlier?.referralCount ?? 0);
          expect(difference === 0 || difference >= K).toBe(true);
        }
        // And what a line of both reports reveals of March in the entries suppressed in either.
        for (const line of linesOf(table(facts, 3))) {
          const [totalLong, totalShort] = [long.get(line.total), short.get(line.total)];
          if (!totalLong || totalLong.suppressed || (totalShort !== undefined && totalShort.suppressed)) continue;
          let march = (totalLong.referralCount ?? 0) - (totalShort?.referralCount ?? 0);
          for (const key of line.members) {
            const [a, b] = [long.get(key), short.get(key)];
            if (a && !a.suppressed && !(b?.suppressed ?? false))
              march -= (a.referralCount ?? 0) - (b?.referralCount ?? 0);
          }
          expect(march === 0 || march >= K).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
