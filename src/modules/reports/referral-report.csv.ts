import type { ReferralReport, ReferralReportFigures, ReferralReportGroup } from './models/referral-report.model';

/**
 * A referral report as CSV (RFC 4180, CRLF), for spreadsheets: a header row, then one line per
 * cell, row total, column total and the grand total (`scope` says which). Suppressed figures are
 * empty with `suppressed` = true. Text that a spreadsheet would run as a formula (starting with
 * = + - @, a tab or a carriage return) is prefixed with an apostrophe.
 */
export function referralReportCsv(report: ReferralReport): string {
  const dimensions = report.groupBy.map((dimension) => dimension.toLowerCase());
  const header = [
    'scope',
    ...dimensions,
    'referrals',
    'acceptance_rate',
    'median_days_to_accept',
    'median_days_to_complete',
    'suppressed',
  ];
  const lines: (string | number | boolean | null)[][] = [header];
  const line = (scope: string, groups: (ReferralReportGroup | null)[], figures: ReferralReportFigures) =>
    lines.push([
      scope,
      ...groups.map((group) => group?.label ?? ''),
      figures.referralCount,
      figures.acceptanceRate,
      figures.medianDaysToAccept,
      figures.medianDaysToComplete,
      figures.suppressed,
    ]);
  const twoDimensions = report.groupBy.length === 2;
  for (const row of report.rows) {
    row.cells.forEach((cell, c) => line('CELL', [row.group, report.columns[c]], cell));
    line('ROW_TOTAL', twoDimensions ? [row.group, null] : [row.group], row.total);
  }
  report.columnTotals.forEach((total, c) => line('COLUMN_TOTAL', [null, report.columns[c]], total));
  line('GRAND_TOTAL', twoDimensions ? [null, null] : [null], report.grandTotal);
  return lines.map((values) => values.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: null empty, text defused against formulas and quoted when it must be. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
