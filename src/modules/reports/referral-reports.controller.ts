import { Controller, Get, Query, Res } from '@nestjs/common';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { InputValidationPipe } from '@harbour/graphql-kit';
import type { FastifyReply } from 'fastify';
import { ReferralReportInput } from './dto/referral-report.input';
import { referralReportCsv } from './referral-report.csv';
import { ReferralReportsService } from './referral-reports.service';

/**
 * `GET /reports/referrals.csv`: the `referralReport` query as a spreadsheet, for city staff, with
 * the same credential (`Authorization: Bearer …`), permissions, area rule, rate limits and audit.
 * Query parameters mirror the GraphQL input: `fromMonth`, `toMonth`, `serviceArea` (optional) and
 * `groupBy` (repeated, or comma-separated). Errors are JSON, like the API's.
 */
@Controller('reports')
export class ReferralReportsController {
  private readonly validation = new InputValidationPipe();

  constructor(private readonly reports: ReferralReportsService) {}

  @Get('referrals.csv')
  @RequirePermission(Permission.REFERRAL_REPORT_AREA, Permission.REFERRAL_REPORT_NETWORK)
  async referralsCsv(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const input = (await this.validation.transform(inputOf(query), {
      type: 'query',
      metatype: ReferralReportInput,
    })) as ReferralReportInput;
    const report = await this.reports.report(actor, input, 'CSV');
    const name = ['referrals', report.serviceArea ?? 'ALL', report.fromMonth, report.toMonth].join('-');
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .header('cache-control', 'no-store');
    return referralReportCsv(report);
  }
}

/** The query string as the GraphQL input: `groupBy` may be repeated or comma-separated. */
function inputOf(query: Record<string, unknown>): Record<string, unknown> {
  const { groupBy, ...rest } = query;
  const values: unknown[] = Array.isArray(groupBy) ? groupBy : groupBy === undefined ? [] : [groupBy];
  const dimensions = values.flatMap((value) =>
    typeof value === 'string' ? value.split(',').map((part) => part.trim()) : [value],
  );
  return { ...rest, groupBy: dimensions };
}
