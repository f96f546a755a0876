/**
 * The referral report (docs/design.md, Accountability; README, "Referral reports"): aggregate
 * figures of a service area over whole months, for its lead and the network admin, with small
 * cells suppressed so that neither the totals nor two overlapping reports give a few referrals
 * away; the same report as CSV; every report audited.
 */
import { AuditEvent, AuditOutcome } from '@harbour/audit';
import { ApiScope, Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { ServiceArea } from '../../src/common/service-area';
import { Consent } from '../../src/modules/consent/consent.entity';
import { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Referral, ReferralTransition } from '../../src/modules/referrals/referral.entity';
import {
  ReferralAction,
  ReferralActorKind,
  ReferralOutcome,
  ReferralPriority,
  ReferralReasonCode,
  ReferralSide,
  ReferralStatus,
} from '../../src/modules/referrals/referral.enums';
import { Client } from '../../src/modules/clients/client.entity';
import { Fixtures, type StaffFixture } from '../support/fixtures';
import { codeOf, dataOf } from '../support/responses';
import { startTestApp, type TestApp } from '../support/test-app';

const REPORT = `query ($input: ReferralReportInput!) { referralReport(input: $input) {
  fromMonth toMonth serviceArea groupBy minimumCellSize
  columns { dimension value label }
  rows { group { dimension value label } cells { ...figures } total { ...figures } }
  columnTotals { ...figures }
  grandTotal { ...figures }
} }
fragment figures on ReferralReportFigures { suppressed referralCount acceptanceRate medianDaysToAccept medianDaysToComplete }`;

interface Figures {
  suppressed: boolean;
  referralCount: number | null;
  acceptanceRate: number | null;
  medianDaysToAccept: number | null;
  medianDaysToComplete: number | null;
}
interface Group {
  dimension: string;
  value: string | null;
  label: string;
}
interface Report {
  fromMonth: string;
  toMonth: string;
  serviceArea: string | null;
  groupBy: string[];
  minimumCellSize: number;
  columns: Group[];
  rows: { group: Group; cells: Figures[]; total: Figures }[];
  columnTotals: Figures[];
  grandTotal: Figures;
}

const DAY_MS = 86_400_000;
const K = 10;

/** Every entry of a report keyed by row and column label ('*' = total). */
function entriesOf(report: Report): Map<string, Figures> {
  const entries = new Map<string, Figures>();
  for (const row of report.rows) {
    row.cells.forEach((cell, c) => entries.set(`${row.group.label}|${report.columns[c].label}`, cell));
    entries.set(`${row.group.label}|*`, row.total);
  }
  report.columnTotals.forEach((total, c) => entries.set(`*|${report.columns[c].label}`, total));
  entries.set('*|*', report.grandTotal);
  return entries;
}

/** The attacker: every row and column adds up to its total; solve each line left with one unknown, until stuck. */
function recoverFromTotals(report: Report): string[] {
  const known = new Map<string, number>();
  for (const [key, figures] of entriesOf(report)) if (!figures.suppressed) known.set(key, figures.referralCount!);
  const rows = report.rows.map((row) => row.group.label);
  const columns = report.columns.map((column) => column.label);
  const lines = [
    { members: rows.map((r) => `${r}|*`), total: '*|*' },
    ...(columns.length === 0
      ? []
      : [
          { members: columns.map((c) => `*|${c}`), total: '*|*' },
          ...rows.map((r) => ({ members: columns.map((c) => `${r}|${c}`), total: `${r}|*` })),
          ...columns.map((c) => ({ members: rows.map((r) => `${r}|${c}`), total: `*|${c}` })),
        ]),
  ];
  const recovered: string[] = [];
  for (let progress = true; progress;) {
    progress = false;
    for (const { members, total } of lines) {
      const unknown = [...members, total].filter((key) => !known.has(key));
      if (unknown.length !== 1) continue;
      const sum = members.reduce((acc, key) => acc + (known.get(key) ?? 0), 0);
      known.set(unknown[0], unknown[0] === total ? sum : known.get(total)! - sum);
      recovered.push(unknown[0]);
      progress = true;
    }
  }
  return recovered;
}

describe('Referral reports', () => {
  let t: TestApp;
  let f: Fixtures;
  let admin: StaffFixture & { token: string };
  let healthLead: StaffFixture & { token: string };
  let shelter: Organization;
  let settlement: Organization;
  let clinic: Organization;
  let legal: Organization;
  let walkIn: ServiceOffering;
  let legalAdvice: ServiceOffering;
  const consents = new Map<string, Consent>();

  /** `count` referrals sent on `day` of `month`, stored with the steps that led to their status. */
  async function referrals(
    count: number,
    from: Organization,
    service: ServiceOffering,
    month: string,
    status: ReferralStatus,
    options: { day?: number; acceptAfterDays?: number; completeAfterDays?: number } = {},
  ) {
    const em = t.orm.em.fork();
    const consent = consents.get(from.id)!;
    for (let i = 0; i < count; i++) {
      const sentAt = new Date(`${month}-${String(options.day ?? 5).padStart(2, '0')}T12:00:00Z`);
      const referral = em.create(Referral, {
        client: em.getReference(Client, consent.client.id),
        sendingOrganization: em.getReference(Organization, from.id),
        receivingOrganization: em.getReference(Organization, service.organization.id),
        service: em.getReference(ServiceOffering, service.id),
        consent: em.getReference(Consent, consent.id),
        status,
        outcome: status === ReferralStatus.COMPLETED ? ReferralOutcome.SERVICE_PROVIDED : null,
        priority: ReferralPriority.ROUTINE,
        reason: 'Needs the service',
        sentBy: randomUUID(),
        sentAt,
        updatedAt: sentAt,
      });
      const step = (action: ReferralAction, toStatus: ReferralStatus, days: number, extra = {}) =>
        em.create(ReferralTransition, {
          referral,
          action,
          toStatus,
          side: action === ReferralAction.SEND ? ReferralSide.SENDER : ReferralSide.RECEIVER,
          organization: em.getReference(
            Organization,
            action === ReferralAction.SEND ? from.id : service.organization.id,
          ),
          actorKind: ReferralActorKind.STAFF,
          actorId: randomUUID(),
          at: new Date(sentAt.getTime() + days * DAY_MS),
          ...extra,
        });
      step(ReferralAction.SEND, ReferralStatus.SENT, 0);
      if (status === ReferralStatus.DECLINED)
        step(ReferralAction.DECLINE, ReferralStatus.DECLINED, 1, { reasonCode: ReferralReasonCode.NO_CAPACITY });
      if (status === ReferralStatus.ACCEPTED || status === ReferralStatus.COMPLETED)
        step(ReferralAction.ACCEPT, ReferralStatus.ACCEPTED, options.acceptAfterDays ?? 2);
      if (status === ReferralStatus.COMPLETED)
        step(ReferralAction.COMPLETE, ReferralStatus.COMPLETED, options.completeAfterDays ?? 10, {
          outcome: ReferralOutcome.SERVICE_PROVIDED,
        });
    }
    await em.flush();
  }

  const report = (input: Record<string, unknown>, token = healthLead.token) =>
    t.gql<{ referralReport: Report }>(REPORT, { input }, token);
  const csv = (query: string, token?: string) => {
    const call = t.http().get(`/reports/referrals.csv${query}`);
    if (token) void call.set('authorization', `Bearer ${token}`);
    return call;
  };

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    const operator = await f.operator();
    admin = await f.signedIn(operator, [Role.NETWORK_ADMIN]);
    healthLead = await f.signedIn(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.HEALTH });
    shelter = await f.organization({ name: 'City shelter' });
    settlement = await f.organization({ name: '=HYPERLINK("https://evil.example","Newcomer"), settlement' });
    clinic = await f.organization({ name: 'Public-health clinic' });
    legal = await f.organization({ name: 'Legal clinic' });
    walkIn = await f.service(clinic, { serviceArea: ServiceArea.HEALTH });
    legalAdvice = await f.service(legal, { serviceArea: ServiceArea.LEGAL });
    for (const sender of [shelter, settlement]) {
      consents.set(sender.id, await f.consent(await f.client(sender), [clinic, legal]));
    }
    // HEALTH, January to March 2026. The shelter's declines: 10 in January, 2 in March — a naive
    // range rule would publish 12 for January–March and 10 for January–February, isolating March's 2.
    await referrals(12, shelter, walkIn, '2026-01', ReferralStatus.COMPLETED, { acceptAfterDays: 2 });
    await referrals(10, shelter, walkIn, '2026-01', ReferralStatus.DECLINED);
    await referrals(15, shelter, walkIn, '2026-02', ReferralStatus.COMPLETED, { acceptAfterDays: 4 });
    await referrals(11, shelter, walkIn, '2026-03', ReferralStatus.COMPLETED, { acceptAfterDays: 3 });
    await referrals(2, shelter, walkIn, '2026-03', ReferralStatus.DECLINED);
    await referrals(14, settlement, walkIn, '2026-01', ReferralStatus.ACCEPTED, { acceptAfterDays: 1 });
    await referrals(10, settlement, walkIn, '2026-03', ReferralStatus.ACCEPTED, { acceptAfterDays: 1 });
    // LEGAL: not the health lead's to see.
    await referrals(12, shelter, legalAdvice, '2026-01', ReferralStatus.SENT);
    // Outside the range, on either side.
    await referrals(20, shelter, walkIn, '2025-12', ReferralStatus.SENT, { day: 31 });
    await referrals(20, shelter, walkIn, '2026-04', ReferralStatus.SENT, { day: 1 });
  });
  afterAll(() => t.close());

  describe('referralReport', () => {
    it('counts the lead’s area over whole months, with rates and medians, and suppresses small cells', async () => {
      const { referralReport } = dataOf(await report({ fromMonth: '2026-01', toMonth: '2026-03', groupBy: ['MONTH'] }));
      expect(referralReport).toMatchObject({
        fromMonth: '2026-01',
        toMonth: '2026-03',
        serviceArea: 'HEALTH',
        groupBy: ['MONTH'],
        minimumCellSize: K,
        columns: [],
        columnTotals: [],
      });
      expect(referralReport.rows.map((row) => [row.group.value, row.total.referralCount])).toEqual([
        ['2026-01', 36],
        ['2026-02', 15],
        ['2026-03', 23],
      ]);
      // January: 12 completed + 14 accepted of 36 decided-or-not; 10 declined.
      expect(referralReport.rows[0].total).toEqual({
        suppressed: false,
        referralCount: 36,
        acceptanceRate: 0.722,
        medianDaysToAccept: 1,
        medianDaysToComplete: 10,
      });
      // February: 15 decided, so a rate and a median to accept.
      expect(referralReport.rows[1].total).toMatchObject({ acceptanceRate: 1, medianDaysToAccept: 4 });
      expect(referralReport.grandTotal).toMatchObject({ suppressed: false, referralCount: 74 });
    });

    it('hides every figure of a suppressed cell, and leaves no suppressed cell recoverable from the totals', async () => {
      const { referralReport } = dataOf(
        await report({ fromMonth: '2026-01', toMonth: '2026-03', groupBy: ['SENDING_ORGANIZATION', 'STATUS'] }),
      );
      const entries = entriesOf(referralReport);
      // The shelter's declines: 10 in January but 2 in March, so suppressed over the range.
      expect(entries.get('City shelter|DECLINED')).toEqual({
        suppressed: true,
        referralCount: null,
        acceptanceRate: null,
        medianDaysToAccept: null,
        medianDaysToComplete: null,
      });
      expect([...entries.values()].some((figures) => !figures.suppressed)).toBe(true);
      expect(recoverFromTotals(referralReport)).toEqual([]);
    });

    it('cannot be differenced: January–March minus January–February never isolates March’s few referrals', async () => {
      for (const groupBy of [['STATUS'], ['SENDING_ORGANIZATION', 'STATUS'], ['MONTH', 'STATUS']]) {
        const long = entriesOf(
          dataOf(await report({ fromMonth: '2026-01', toMonth: '2026-03', groupBy })).referralReport,
        );
        const short = entriesOf(
          dataOf(await report({ fromMonth: '2026-01', toMonth: '2026-02', groupBy })).referralReport,
        );
        if (groupBy.length === 1) {
          // January–February publishes the shelter's 10 declines; January–March cannot publish 12.
          expect(short.get('DECLINED|*')).toMatchObject({ suppressed: false, referralCount: 10 });
          expect(long.get('DECLINED|*')?.suppressed).toBe(true);
        }
        for (const [key, figures] of long) {
          const earlier = short.get(key);
          if (figures.suppressed || earlier?.suppressed) continue;
          const march = figures.referralCount! - (earlier?.referralCount ?? 0);
          expect([groupBy, key, march === 0 || march >= K]).toEqual([groupBy, key, true]);
        }
      }
    });

    it('lets the NETWORK_ADMIN read any area, or every area at once', async () => {
      const legalReport = dataOf(
        await report(
          { fromMonth: '2026-01', toMonth: '2026-01', serviceArea: 'LEGAL', groupBy: ['STATUS'] },
          admin.token,
        ),
      ).referralReport;
      expect(legalReport.serviceArea).toBe('LEGAL');
      expect(legalReport.grandTotal.referralCount).toBe(12);
      const all = dataOf(
        await report({ fromMonth: '2026-01', toMonth: '2026-01', groupBy: ['RECEIVING_ORGANIZATION'] }, admin.token),
      ).referralReport;
      expect(all.serviceArea).toBeNull();
      expect(all.rows.map((row) => [row.group.label, row.total.referralCount])).toEqual([
        ['Legal clinic', 12],
        ['Public-health clinic', 36],
      ]);
      expect(all.rows[0].group.value).toBe(legal.id);
    });

    it('refuses a lead another area with FORBIDDEN, and records the denial', async () => {
      const response = await report({
        fromMonth: '2026-01',
        toMonth: '2026-01',
        serviceArea: 'LEGAL',
        groupBy: ['STATUS'],
      });
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.errors?.[0].message).toContain('HEALTH');
      const denied = await t.orm.em.fork().find(AuditEvent, {
        actorId: healthLead.accountId,
        action: 'graphql.referralReport',
        outcome: AuditOutcome.DENIED,
      });
      expect(denied).toHaveLength(1);
    });

    it('answers a lead who names their own area like one who omits it', async () => {
      const named = await report({
        fromMonth: '2026-02',
        toMonth: '2026-02',
        serviceArea: 'HEALTH',
        groupBy: ['STATUS'],
      });
      expect(dataOf(named).referralReport.grandTotal.referralCount).toBe(15);
    });

    it.each([
      ['ORG_ADMIN', [Role.ORG_ADMIN]],
      ['CASEWORKER', [Role.CASEWORKER]],
      ['INTAKE', [Role.INTAKE]],
      ['AUDITOR', [Role.AUDITOR]],
    ])('refuses a member organization’s %s with FORBIDDEN', async (_name, roles) => {
      const person = await f.signedIn(clinic, roles);
      const response = await report({ fromMonth: '2026-01', toMonth: '2026-01', groupBy: ['STATUS'] }, person.token);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.data?.referralReport ?? null).toBeNull();
    });

    it('refuses the operator’s AUDITOR and a partner system with every scope', async () => {
      const auditor = await f.signedIn(await f.operator(), [Role.AUDITOR]);
      const partner = await f.apiClient(clinic, Object.values(ApiScope));
      for (const token of [auditor.token, partner.key]) {
        expect(codeOf(await report({ fromMonth: '2026-01', toMonth: '2026-01', groupBy: ['STATUS'] }, token))).toBe(
          'FORBIDDEN',
        );
      }
    });

    it.each([
      [{ fromMonth: '2026-1', toMonth: '2026-03', groupBy: ['MONTH'] }, 'input.fromMonth'],
      [{ fromMonth: '2026-03', toMonth: '2026-13', groupBy: ['MONTH'] }, 'input.toMonth'],
      [{ fromMonth: '2026-03', toMonth: '2026-01', groupBy: ['MONTH'] }, 'input.toMonth'],
      [{ fromMonth: '2023-01', toMonth: '2026-01', groupBy: ['MONTH'] }, 'input.toMonth'],
      [{ fromMonth: '2026-01', toMonth: '2999-01', groupBy: ['MONTH'] }, 'input.toMonth'],
      [{ fromMonth: '2026-01', toMonth: '2026-02', groupBy: [] }, 'input.groupBy'],
      [{ fromMonth: '2026-01', toMonth: '2026-02', groupBy: ['MONTH', 'MONTH'] }, 'input.groupBy'],
      [{ fromMonth: '2026-01', toMonth: '2026-02', groupBy: ['MONTH', 'STATUS', 'OUTCOME'] }, 'input.groupBy'],
    ])('refuses %p with BAD_USER_INPUT naming %s', async (input, field) => {
      const response = await report(input);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect((response.errors?.[0].extensions?.fields as { field: string }[]).map((p) => p.field)).toContain(field);
    });

    it('refuses the current month: its figures still grow, and two reports a day apart would isolate the day', async () => {
      const now = new Date();
      const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
      const response = await report({ fromMonth: month, toMonth: month, groupBy: ['MONTH'] });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].message).toContain('has ended');
    });

    it('records what was asked, never the figures, and holds no client id or free text', async () => {
      const response = await report({
        fromMonth: '2026-01',
        toMonth: '2026-03',
        groupBy: ['OUTCOME', 'DECLINE_REASON'],
      });
      const body = JSON.stringify(dataOf(response));
      for (const consent of consents.values()) expect(body).not.toContain(consent.client.id);
      expect(body).not.toContain('Needs the service');
      const events = await t.orm.em
        .fork()
        .find(
          AuditEvent,
          { actorId: healthLead.accountId, action: 'report.referrals.read' },
          { orderBy: { seq: 'desc' } },
        );
      expect(events[0]).toMatchObject({
        outcome: AuditOutcome.SUCCESS,
        entityType: 'ReferralReport',
        subjectClientId: null,
        details: {
          fromMonth: '2026-01',
          toMonth: '2026-03',
          serviceArea: 'HEALTH',
          groupBy: ['OUTCOME', 'DECLINE_REASON'],
          format: 'GRAPHQL',
        },
      });
    });
  });

  describe('GET /reports/referrals.csv', () => {
    it('answers the same report as CSV: a header, one line per cell and total, suppressed cells empty', async () => {
      const response = await csv(
        '?fromMonth=2026-01&toMonth=2026-03&groupBy=SENDING_ORGANIZATION,STATUS',
        healthLead.token,
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="referrals-HEALTH-2026-01-2026-03.csv"',
      );
      const lines = response.text.split('\r\n');
      expect(lines[0]).toBe(
        'scope,sending_organization,status,referrals,acceptance_rate,median_days_to_accept,median_days_to_complete,suppressed',
      );
      expect(lines).toContain('CELL,City shelter,DECLINED,,,,,true');
      expect(lines.at(-1)).toBe('');
      const graph = dataOf(
        await report({ fromMonth: '2026-01', toMonth: '2026-03', groupBy: ['SENDING_ORGANIZATION', 'STATUS'] }),
      ).referralReport;
      const grand = graph.grandTotal;
      expect(lines.at(-2)).toBe(
        `GRAND_TOTAL,,,${grand.referralCount},${grand.acceptanceRate},${grand.medianDaysToAccept},${grand.medianDaysToComplete ?? ''},false`,
      );
      const cells = graph.rows.length * graph.columns.length;
      expect(lines).toHaveLength(1 + cells + graph.rows.length + graph.columns.length + 1 + 1);
    });

    it('defuses text a spreadsheet would run as a formula, and escapes quotes and commas', async () => {
      const response = await csv('?fromMonth=2026-01&toMonth=2026-01&groupBy=SENDING_ORGANIZATION', healthLead.token);
      expect(response.text).toContain(`ROW_TOTAL,"'=HYPERLINK(""https://evil.example"",""Newcomer""), settlement",14,`);
    });

    it('takes groupBy repeated as well as comma-separated, and audits the download', async () => {
      const response = await csv('?fromMonth=2026-02&toMonth=2026-02&groupBy=MONTH&groupBy=STATUS', admin.token);
      expect(response.status).toBe(200);
      const [event] = await t.orm.em
        .fork()
        .find(AuditEvent, { actorId: admin.accountId, action: 'report.referrals.read' }, { orderBy: { seq: 'desc' } });
      expect(event.details).toMatchObject({ serviceArea: 'ALL', groupBy: ['MONTH', 'STATUS'], format: 'CSV' });
    });

    it('refuses without a credential (401), with a bad one (401), without the permission (403) and another area (403)', async () => {
      const caseworker = await f.signedIn(shelter, [Role.CASEWORKER]);
      const query = '?fromMonth=2026-01&toMonth=2026-01&groupBy=STATUS';
      const cases: [string | undefined, string, number, string][] = [
        [undefined, query, 401, 'UNAUTHENTICATED'],
        ['not-a-token', query, 401, 'UNAUTHENTICATED'],
        [caseworker.token, query, 403, 'FORBIDDEN'],
        [healthLead.token, `${query}&serviceArea=LEGAL`, 403, 'FORBIDDEN'],
      ];
      for (const [token, q, status, code] of cases) {
        const response = await csv(q, token);
        expect([status, response.status]).toEqual([status, status]);
        expect(response.headers['content-type']).toContain('application/json');
        const body = response.body as { errors: { extensions: { code: string } }[] };
        expect(body.errors[0].extensions.code).toBe(code);
      }
      const denied = await t.orm.em.fork().find(AuditEvent, {
        actorId: caseworker.accountId,
        action: 'http.GET /reports/referrals.csv',
        outcome: AuditOutcome.DENIED,
      });
      expect(denied).toHaveLength(1);
    });

    it.each([
      ['?toMonth=2026-01&groupBy=STATUS', 'fromMonth'],
      ['?fromMonth=2026-01&toMonth=2026-01', 'groupBy'],
      ['?fromMonth=2026-01&toMonth=2026-01&groupBy=CLIENT', 'groupBy'],
      ['?fromMonth=2026-01&toMonth=2026-01&groupBy=STATUS&serviceArea=MOON', 'serviceArea'],
      ['?fromMonth=2026-01&toMonth=2026-01&groupBy=STATUS&clientId=1', 'clientId'],
      ['?fromMonth=2026-02&toMonth=2026-01&groupBy=STATUS', 'toMonth'],
    ])('refuses %s with 400 BAD_USER_INPUT naming %s', async (query, field) => {
      const response = await csv(query, healthLead.token);
      expect(response.status).toBe(400);
      const body = response.body as { errors: { extensions: { code: string; fields: { field: string }[] } }[] };
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].extensions.fields.map((p) => p.field)).toContain(field);
    });
  });
});
