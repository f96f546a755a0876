import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { ReferralReportInput } from './dto/referral-report.input';
import { ReferralReport } from './models/referral-report.model';
import { ReferralReportsService } from './referral-reports.service';

@Resolver(() => ReferralReport)
export class ReferralReportsResolver {
  constructor(private readonly reports: ReferralReportsService) {}

  @Query(() => ReferralReport, {
    description:
      'Referrals of a service area over a range of whole months, grouped by one or two dimensions, with small cells suppressed (README, "Referral reports"). A SERVICE_AREA_LEAD reads the area they lead (another area is FORBIDDEN); the NETWORK_ADMIN reads any area, or the whole network. Aggregates only: no client, no client id, no free text. Audited. The same report as CSV: `GET /reports/referrals.csv`.',
  })
  @RequirePermission(Permission.REFERRAL_REPORT_AREA, Permission.REFERRAL_REPORT_NETWORK)
  referralReport(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The range of months, the area and the grouping.' }) input: ReferralReportInput,
  ): Promise<ReferralReport> {
    return this.reports.report(actor, input, 'GRAPHQL');
  }
}
