/**
 * The reports module: aggregate, small-cell-suppressed referral reports for service-area leads and
 * the network operator (docs/design.md, Accountability), in GraphQL and as CSV.
 */
export * from './models/referral-report.model';
export * from './referral-report.enums';
export * from './reports.module';
