import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { ServiceArea } from '../../../common/service-area';
import { ReferralReportDimension } from '../referral-report.enums';

@ObjectType({
  description:
    'The figures of one cell, one row or column total, or the grand total of a referral report. When `suppressed` is true every figure is null: the cell holds too few referrals to publish (fewer than `minimumCellSize` in one of its months), or is hidden so that such a cell cannot be worked out from the totals.',
})
export class ReferralReportFigures {
  @Field({ description: 'True when every figure is withheld (small-cell suppression).' })
  suppressed: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Referrals sent in the range, in this group. 0 is shown: an empty cell discloses no one.',
  })
  referralCount: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Accepted ÷ decided, from 0 to 1 (three decimals): of the referrals the receiving organization accepted or declined, the share it accepted (an accepted referral counts whatever happened after). Null when fewer than `minimumCellSize` were decided.',
  })
  acceptanceRate: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median days from sending to acceptance, of the accepted referrals (one decimal). Null when fewer than `minimumCellSize` were accepted.',
  })
  medianDaysToAccept: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median days from sending to completion, of the COMPLETED referrals (one decimal). Null when fewer than `minimumCellSize` were completed.',
  })
  medianDaysToComplete: number | null;
}

@ObjectType({ description: 'One value of a dimension: a row or a column of a referral report.' })
export class ReferralReportGroup {
  @Field(() => ReferralReportDimension, { description: 'The dimension this value belongs to.' })
  dimension: ReferralReportDimension;

  @Field(() => String, {
    nullable: true,
    description:
      'The value: a `YYYY-MM` month, an organization id, or a code (`ReferralStatus`, `ReferralOutcome`, `ReferralReasonCode`). Null for referrals without one: no outcome (not COMPLETED) or no decline reason (not DECLINED).',
  })
  value: string | null;

  @Field({
    description: 'How to show it: the organization’s name, the month or the code; `none` when `value` is null.',
  })
  label: string;
}

@ObjectType({ description: 'One row of a referral report: a value of the first dimension.' })
export class ReferralReportRow {
  @Field(() => ReferralReportGroup, { description: 'The row’s value of the first `groupBy` dimension.' })
  group: ReferralReportGroup;

  @Field(() => [ReferralReportFigures], {
    description: 'One cell per entry of `columns`, in that order. Empty when the report is grouped by one dimension.',
  })
  cells: ReferralReportFigures[];

  @Field(() => ReferralReportFigures, { description: 'The whole row (with one dimension, the row’s only figures).' })
  total: ReferralReportFigures;
}

@ObjectType({
  description:
    'Referrals of a service area (or of the whole network) over a range of whole months, grouped by one or two dimensions: counts, acceptance rate and median days to accept and to complete, with small cells suppressed (README, "Referral reports"). Aggregates only: no client, no client id, no free text. Only values that occur are listed. Every report is recorded in the audit log (what was asked, never the figures).',
})
export class ReferralReport {
  @Field({ description: 'The first month of the range (`YYYY-MM`, UTC).' })
  fromMonth: string;

  @Field({ description: 'The last month of the range, included (`YYYY-MM`, UTC).' })
  toMonth: string;

  @Field(() => ServiceArea, { nullable: true, description: 'The service area reported on; null for every area.' })
  serviceArea: ServiceArea | null;

  @Field(() => [ReferralReportDimension], { description: 'The rows’ dimension, then the columns’ (if any).' })
  groupBy: ReferralReportDimension[];

  @Field(() => Int, {
    description:
      'The network’s minimum cell size (`REPORT_MIN_CELL`): no published figure describes fewer referrals in any month.',
  })
  minimumCellSize: number;

  @Field(() => [ReferralReportGroup], {
    description: 'The values of the second dimension, in order. Empty when the report is grouped by one dimension.',
  })
  columns: ReferralReportGroup[];

  @Field(() => [ReferralReportRow], { description: 'One row per value of the first dimension, in order.' })
  rows: ReferralReportRow[];

  @Field(() => [ReferralReportFigures], {
    description: 'One total per entry of `columns`, in that order. Empty when the report is grouped by one dimension.',
  })
  columnTotals: ReferralReportFigures[];

  @Field(() => ReferralReportFigures, { description: 'Every referral of the report.' })
  grandTotal: ReferralReportFigures;
}
