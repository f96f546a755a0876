import { AuditCategory, AuditTrail, auditContextOf } from '@harbour/audit';
import { Permission, hasPermission, type Actor } from '@harbour/authz';
import { BadUserInputError, ForbiddenError, type FieldProblem } from '@harbour/graphql-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { ServiceArea } from '../../common/service-area';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ReferralOutcome, ReferralReasonCode, ReferralStatus } from '../referrals';
import { Organization } from '../organizations/organization.entity';
import { Membership } from '../staff/membership.entity';
import { MAX_REPORT_MONTHS, type ReferralReportInput } from './dto/referral-report.input';
import type { ReferralReport } from './models/referral-report.model';
import { buildReportTable, type ReferralFact } from './referral-report-table';
import { ReferralReportDimension } from './referral-report.enums';

/** Where a report was asked for: recorded in its audit event, and how its input fields are named in errors. */
export type ReportFormat = 'GRAPHQL' | 'CSV';

/** One referral as the report reads it: codes, ids and instants — never a client, never free text. */
interface ReferralRow {
  month: string;
  sending_organization_id: string;
  receiving_organization_id: string;
  status: ReferralStatus;
  outcome: ReferralOutcome | null;
  decline_reason: ReferralReasonCode | null;
  declined: boolean;
  sent_at: Date;
  accepted_at: Date | null;
  completed_at: Date | null;
}

interface MonthRange {
  months: string[];
  start: Date;
  /** Exclusive: the first instant after the last month. */
  end: Date;
}

const DAY_MS = 86_400_000;

const ORDER: Partial<Record<ReferralReportDimension, readonly string[]>> = {
  [ReferralReportDimension.STATUS]: Object.values(ReferralStatus),
  [ReferralReportDimension.OUTCOME]: Object.values(ReferralOutcome),
  [ReferralReportDimension.DECLINE_REASON]: Object.values(ReferralReasonCode),
};

/**
 * The referral report (README, "Referral reports"), for GraphQL and for the CSV download alike: the
 * referrals of a service area over whole months, grouped, counted and suppressed. A SERVICE_AREA_LEAD
 * reads the area they lead; the NETWORK_ADMIN any area or all. Every report is audited, in the
 * transaction that reads it: what was asked, never the figures.
 */
@Injectable()
export class ReferralReportsService {
  constructor(
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async report(actor: Actor, input: ReferralReportInput, format: ReportFormat): Promise<ReferralReport> {
    const range = monthRangeOf(input, this.clock.now(), format === 'GRAPHQL' ? 'input.' : '');
    const minimumCellSize = this.config.reports.minimumCellSize;
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const serviceArea = await this.areaFor(em, actor, input.serviceArea ?? null);
      const rows = await em.execute<ReferralRow[]>(
        `select to_char(r.sent_at at time zone 'UTC', 'YYYY-MM') as month,
                r.sending_organization_id, r.receiving_organization_id, r.status, r.outcome, r.sent_at,
                h.decline_reason, h.declined, h.accepted_at, h.completed_at
         from referral r
         join service s on s.id = r.service_id
         -- The referral's history read once: when it was accepted and completed, and its decline.
         cross join lateral (
           select min(t.at) filter (where t.action = 'ACCEPT') as accepted_at,
                  min(t.at) filter (where t.action = 'COMPLETE') as completed_at,
                  (array_agg(t.reason_code) filter (where t.action = 'DECLINE'))[1] as decline_reason,
                  coalesce(bool_or(t.action = 'DECLINE'), false) as declined
           from referral_transition t where t.referral_id = r.id
         ) h
         where r.sent_at >= ? and r.sent_at < ? and (?::text is null or s.service_area::text = ?)`,
        [range.start, range.end, serviceArea, serviceArea],
      );
      const names = await organizationNames(em, rows);
      const table = buildReportTable(rows.map(factOf(range)), {
        groupBy: input.groupBy,
        months: range.months.length,
        minimumCellSize,
        labelOf: (dimension, value) =>
          dimension === ReferralReportDimension.SENDING_ORGANIZATION ||
          dimension === ReferralReportDimension.RECEIVING_ORGANIZATION
            ? names.get(value)
            : undefined,
        orderOf: (dimension) => (dimension === ReferralReportDimension.MONTH ? range.months : ORDER[dimension]),
      });
      audit.record({
        action: 'report.referrals.read',
        category: AuditCategory.READ,
        entityType: 'ReferralReport',
        details: {
          fromMonth: input.fromMonth,
          toMonth: input.toMonth,
          serviceArea: serviceArea ?? 'ALL',
          groupBy: input.groupBy,
          format,
        },
      });
      return {
        fromMonth: input.fromMonth,
        toMonth: input.toMonth,
        serviceArea,
        groupBy: input.groupBy,
        minimumCellSize,
        ...table,
      };
    });
  }

  /** The area the caller may read: any (or all) with REFERRAL_REPORT_NETWORK, else the one they lead. */
  private async areaFor(em: EntityManager, actor: Actor, asked: ServiceArea | null): Promise<ServiceArea | null> {
    if (hasPermission(actor, Permission.REFERRAL_REPORT_NETWORK)) return asked;
    const membership = await em.findOne(Membership, {
      account: actor.id,
      organization: actor.organizationId,
      active: true,
    });
    const led = membership?.leadServiceArea ?? null;
    if (led === null) throw new ForbiddenError('Only a service-area lead or the network administrator reads reports.');
    if (asked !== null && asked !== led)
      throw new ForbiddenError(`A service-area lead reads the report of the area they lead (${led}) only.`);
    return led;
  }
}

/** The months of the input's range, checked: in order, at most MAX_REPORT_MONTHS, all of them over. */
export function monthRangeOf(
  input: Pick<ReferralReportInput, 'fromMonth' | 'toMonth'>,
  now: Date,
  fieldPrefix: string,
): MonthRange {
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
  const from = index(input.fromMonth);
  const to = index(input.toMonth);
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const problems: FieldProblem[] = [];
  if (to < from) problems.push({ field: `${fieldPrefix}toMonth`, message: 'must not be before fromMonth' });
  else if (to - from + 1 > MAX_REPORT_MONTHS)
    problems.push({
      field: `${fieldPrefix}toMonth`,
      message: `must be at most ${MAX_REPORT_MONTHS} months after fromMonth`,
    });
  if (to >= current)
    problems.push({
      field: `${fieldPrefix}toMonth`,
      message: 'must be a month that has ended: the current month’s figures still change',
    });
  if (problems.length > 0)
    throw new BadUserInputError(
      `Invalid input. ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      problems,
    );
  const monthStart = (value: number) => new Date(Date.UTC(Math.floor(value / 12), value % 12, 1));
  const months = Array.from({ length: to - from + 1 }, (_, offset) =>
    monthStart(from + offset)
      .toISOString()
      .slice(0, 7),
  );
  return { months, start: monthStart(from), end: monthStart(to + 1) };
}

function factOf(range: MonthRange): (row: ReferralRow) => ReferralFact {
  const monthIndex = new Map(range.months.map((month, index) => [month, index]));
  const days = (at: Date | null, sentAt: Date) =>
    at === null ? null : (new Date(at).getTime() - new Date(sentAt).getTime()) / DAY_MS;
  return (row) => ({
    month: monthIndex.get(row.month) ?? 0,
    values: {
      [ReferralReportDimension.MONTH]: row.month,
      [ReferralReportDimension.SENDING_ORGANIZATION]: row.sending_organization_id,
      [ReferralReportDimension.RECEIVING_ORGANIZATION]: row.receiving_organization_id,
      [ReferralReportDimension.STATUS]: row.status,
      [ReferralReportDimension.OUTCOME]: row.outcome,
      [ReferralReportDimension.DECLINE_REASON]: row.decline_reason,
    },
    accepted: row.accepted_at !== null,
    declined: row.declined,
    daysToAccept: days(row.accepted_at, row.sent_at),
    daysToComplete: days(row.completed_at, row.sent_at),
  });
}

/** Organization names for the labels: public directory facts. */
async function organizationNames(em: EntityManager, rows: readonly ReferralRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((row) => [row.sending_organization_id, row.receiving_organization_id]))];
  if (ids.length === 0) return new Map();
  const found = await em.find(Organization, { id: { $in: ids } }, { fields: ['name'], disableIdentityMap: true });
  return new Map(found.map((row) => [row.id, row.name]));
}
