import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsOptional, Matches } from 'class-validator';
import { ServiceArea } from '../../../common/service-area';
import { ReferralReportDimension } from '../referral-report.enums';

/** `YYYY-MM`, years 2000 to 9999. */
export const MONTH_PATTERN = /^(2\d{3}|[3-9]\d{3})-(0[1-9]|1[0-2])$/;
/** The longest range one report covers. */
export const MAX_REPORT_MONTHS = 24;

@InputType({
  description:
    'What a referral report covers and how it is grouped. A referral belongs to the month (UTC) it was sent in and to the service area of the service it was sent to.',
})
export class ReferralReportInput {
  @Field({
    description:
      'The first month of the range, as `YYYY-MM` (UTC). Ranges are whole months, so that two reports cannot be differenced down to a few days.',
  })
  @Matches(MONTH_PATTERN, { message: 'must be a month written YYYY-MM, e.g. 2026-01' })
  fromMonth: string;

  @Field({
    description: `The last month of the range, included, as \`YYYY-MM\` (UTC): not before \`fromMonth\`, at most ${MAX_REPORT_MONTHS} months after it, and a month that has ended (the current month is refused: its figures would still grow, and two reports a day apart would isolate the day's referrals).`,
  })
  @Matches(MONTH_PATTERN, { message: 'must be a month written YYYY-MM, e.g. 2026-06' })
  toMonth: string;

  @Field(() => ServiceArea, {
    nullable: true,
    description:
      'The service area to report on. A SERVICE_AREA_LEAD may ask only for the area they lead, and omitting it means that area; the NETWORK_ADMIN may ask for any area, and omitting it means every area of the network.',
  })
  @IsOptional()
  @IsEnum(ServiceArea)
  serviceArea?: ServiceArea | null;

  @Field(() => [ReferralReportDimension], {
    description:
      'One or two different dimensions: the first gives the rows, the second (if any) the columns. Each row, each column and the whole table also get a total. A report holds at most 2,500 cells (BAD_USER_INPUT beyond).',
  })
  @ArrayMinSize(1, { message: 'must name one or two dimensions' })
  @ArrayMaxSize(2, { message: 'must name one or two dimensions' })
  @ArrayUnique({ message: 'must name two different dimensions' })
  @IsEnum(ReferralReportDimension, { each: true })
  groupBy: ReferralReportDimension[];
}
