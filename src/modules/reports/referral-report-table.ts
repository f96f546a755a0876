import { BadUserInputError } from '@harbour/graphql-kit';
import { ReferralReportDimension } from './referral-report.enums';
import { suppress, type SuppressionLine } from './report-suppression';

/**
 * A referral report's table, built from one fact per referral (never returned) and suppressed
 * (report-suppression.ts). Pure, so that the rules are tested without a database.
 */

/** What the report knows of one referral: codes, organization ids, a month and two durations. */
export interface ReferralFact {
  /** The month the referral was sent in, as an index into the report's range. */
  month: number;
  /** The referral's value for each dimension; null where it has none (no outcome, not declined). */
  values: Readonly<Record<ReferralReportDimension, string | null>>;
  accepted: boolean;
  declined: boolean;
  daysToAccept: number | null;
  daysToComplete: number | null;
}

export interface ReportFigures {
  suppressed: boolean;
  referralCount: number | null;
  acceptanceRate: number | null;
  medianDaysToAccept: number | null;
  medianDaysToComplete: number | null;
}

export interface ReportGroup {
  dimension: ReferralReportDimension;
  /** A code, a `YYYY-MM` month or an organization id; null for referrals without a value (no outcome). */
  value: string | null;
  label: string;
}

export interface ReportRow {
  group: ReportGroup;
  /** One per column, in `columns` order; empty when the report groups by one dimension. */
  cells: ReportFigures[];
  total: ReportFigures;
}

export interface ReportTable {
  rows: ReportRow[];
  columns: ReportGroup[];
  columnTotals: ReportFigures[];
  grandTotal: ReportFigures;
}

export interface TableOptions {
  groupBy: readonly ReferralReportDimension[];
  months: number;
  minimumCellSize: number;
  /** How a group's value is shown (organization names); the value itself when absent. */
  labelOf: (dimension: ReferralReportDimension, value: string) => string | undefined;
  /** The order of a dimension's values (the enum's, or chronological); by label when absent. */
  orderOf: (dimension: ReferralReportDimension) => readonly string[] | undefined;
}

const NO_VALUE_LABEL = 'none';
/** The most cells one report holds: beyond it, suppression would hide nearly everything and cost seconds. */
export const MAX_REPORT_CELLS = 2500;

export function buildReportTable(facts: readonly ReferralFact[], options: TableOptions): ReportTable {
  const [rowDimension, columnDimension] = options.groupBy;
  const rowGroups = groupsOf(facts, rowDimension, options);
  const columnGroups = columnDimension === undefined ? [] : groupsOf(facts, columnDimension, options);
  const rowsN = rowGroups.length;
  const columnsN = columnGroups.length;
  if (rowsN * Math.max(columnsN, 1) > MAX_REPORT_CELLS)
    throw new BadUserInputError(
      `Invalid input. input.groupBy: the report would have ${rowsN * columnsN} cells, more than ${MAX_REPORT_CELLS}: narrow the range or the area, or group by one dimension.`,
      [{ field: 'input.groupBy', message: `must give at most ${MAX_REPORT_CELLS} cells` }],
    );

  // Entries: the cells (two dimensions only), then the row totals, the column totals and the grand total.
  const cellsN = columnDimension === undefined ? 0 : rowsN * columnsN;
  const cell = (r: number, c: number) => r * columnsN + c;
  const rowTotal = (r: number) => cellsN + r;
  const columnTotal = (c: number) => cellsN + rowsN + c;
  const grand = cellsN + rowsN + columnsN;
  const entryFacts: ReferralFact[][] = Array.from({ length: grand + 1 }, () => []);
  const rowIndex = new Map(rowGroups.map((group, index) => [group.value, index]));
  const columnIndex = new Map(columnGroups.map((group, index) => [group.value, index]));
  for (const fact of facts) {
    const r = rowIndex.get(fact.values[rowDimension]) ?? 0;
    entryFacts[rowTotal(r)].push(fact);
    entryFacts[grand].push(fact);
    if (columnDimension === undefined) continue;
    const c = columnIndex.get(fact.values[columnDimension]) ?? 0;
    entryFacts[cell(r, c)].push(fact);
    entryFacts[columnTotal(c)].push(fact);
  }

  const lines: SuppressionLine[] = [{ members: rowGroups.map((_, r) => rowTotal(r)), total: grand }];
  if (columnDimension !== undefined) {
    lines.push({ members: columnGroups.map((_, c) => columnTotal(c)), total: grand });
    rowGroups.forEach((_, r) => lines.push({ members: columnGroups.map((__, c) => cell(r, c)), total: rowTotal(r) }));
    columnGroups.forEach((_, c) =>
      lines.push({ members: rowGroups.map((__, r) => cell(r, c)), total: columnTotal(c) }),
    );
  }
  const entries = entryFacts.map((list) => {
    const months = new Array<number>(options.months).fill(0);
    for (const fact of list) months[fact.month] += 1;
    return months;
  });
  const suppressed = suppress({ entries, lines }, options.minimumCellSize);
  const figures = entryFacts.map((list, entry) => figuresOf(list, suppressed[entry], options.minimumCellSize));

  return {
    rows: rowGroups.map((group, r) => ({
      group,
      cells: columnGroups.map((_, c) => figures[cell(r, c)]),
      total: figures[rowTotal(r)],
    })),
    columns: columnGroups,
    columnTotals: columnGroups.map((_, c) => figures[columnTotal(c)]),
    grandTotal: figures[grand],
  };
}

function groupsOf(
  facts: readonly ReferralFact[],
  dimension: ReferralReportDimension,
  options: TableOptions,
): ReportGroup[] {
  const values = [...new Set(facts.map((fact) => fact.values[dimension]))];
  const groups = values.map((value) => ({
    dimension,
    value,
    label: value === null ? NO_VALUE_LABEL : (options.labelOf(dimension, value) ?? value),
  }));
  const order = options.orderOf(dimension);
  const rank = (group: ReportGroup) =>
    group.value === null ? Number.MAX_SAFE_INTEGER : (order?.indexOf(group.value) ?? 0);
  return groups.sort(
    (a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label) || String(a.value).localeCompare(String(b.value)),
  );
}

const SUPPRESSED: ReportFigures = {
  suppressed: true,
  referralCount: null,
  acceptanceRate: null,
  medianDaysToAccept: null,
  medianDaysToComplete: null,
};

/**
 * A published entry's figures. A rate or a median stands on at least k referrals of its own
 * (decided ones, accepted ones, completed ones), or is null: it would describe a few people.
 */
function figuresOf(facts: readonly ReferralFact[], suppressed: boolean, k: number): ReportFigures {
  if (suppressed) return SUPPRESSED;
  const accepted = facts.filter((fact) => fact.accepted).length;
  const decided = accepted + facts.filter((fact) => fact.declined).length;
  const toAccept = facts.flatMap((fact) => (fact.daysToAccept === null ? [] : [fact.daysToAccept]));
  const toComplete = facts.flatMap((fact) => (fact.daysToComplete === null ? [] : [fact.daysToComplete]));
  return {
    suppressed: false,
    referralCount: facts.length,
    acceptanceRate: decided >= k ? Math.round((accepted / decided) * 1000) / 1000 : null,
    medianDaysToAccept: toAccept.length >= k ? median(toAccept) : null,
    medianDaysToComplete: toComplete.length >= k ? median(toComplete) : null,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return Math.round(value * 10) / 10;
}
