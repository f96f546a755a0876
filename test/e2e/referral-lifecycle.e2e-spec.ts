/**
 * The referral lifecycle (docs/design.md, Referral lifecycle) walked cell by cell through GraphQL:
 * every state × every action × every kind of caller, against the table in docs/design.md written
 * out here by hand. Allowed cells move the referral and leave one history step, one audit event and one outbox
 * row; every other cell is refused and changes nothing: FORBIDDEN (and audited) when the caller's
 * role may not work its side — before the state is looked at, so that it learns nothing of it — and
 * otherwise BAD_USER_INPUT naming the state. Then the reason rules, and two concurrent transitions forced to
 * meet on one referral: one wins, the other gets CONFLICT.
 */
import { ApiScope, Role } from '@harbour/authz';
import { Client as PgClient } from 'pg';
import type { Client } from '../../src/modules/clients/client.entity';
import type { Consent } from '../../src/modules/consent/consent.entity';
import type { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { ReferralReasonCode, ReferralStatus } from '../../src/modules/referrals/referral.enums';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { TEST_ENV } from '../support/test-database';
import { codeOf } from '../support/responses';

type Status = `${ReferralStatus}`;
type UserAction = 'accept' | 'decline' | 'start' | 'hold' | 'resume' | 'complete' | 'closeUnmet' | 'cancel';
type Side = 'R' | 'S';
type ActorName =
  | 'receiving INTAKE'
  | 'sending CASEWORKER'
  | 'receiving CASEWORKER'
  | 'sending INTAKE'
  | 'receiving API client'
  | 'sending API client';

const STATUSES: readonly Status[] = [
  'SENT',
  'ACCEPTED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'UNMET',
  'DECLINED',
  'CANCELLED',
];
const USER_ACTIONS: readonly UserAction[] = [
  'accept',
  'decline',
  'start',
  'hold',
  'resume',
  'complete',
  'closeUnmet',
  'cancel',
];

/**
 * The table in docs/design.md, by hand, for the actions a caller takes (R = the receiving
 * organization, S = the sending organization; Harbour's own steps are not callable through the API).
 */
const DESIGN_TABLE: readonly { from: Status[]; action: UserAction; to: Status; who: Side }[] = [
  { from: ['SENT'], action: 'accept', to: 'ACCEPTED', who: 'R' },
  { from: ['SENT'], action: 'decline', to: 'DECLINED', who: 'R' },
  { from: ['SENT', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'], action: 'cancel', to: 'CANCELLED', who: 'S' },
  { from: ['ACCEPTED'], action: 'start', to: 'IN_PROGRESS', who: 'R' },
  { from: ['ACCEPTED', 'IN_PROGRESS'], action: 'hold', to: 'ON_HOLD', who: 'R' },
  { from: ['ON_HOLD'], action: 'resume', to: 'IN_PROGRESS', who: 'R' },
  { from: ['IN_PROGRESS'], action: 'complete', to: 'COMPLETED', who: 'R' },
  { from: ['ACCEPTED', 'IN_PROGRESS', 'ON_HOLD'], action: 'closeUnmet', to: 'UNMET', who: 'R' },
];

/**
 * Each mutation: its arguments in a cell (a code every action of that kind accepts, so that the
 * state is what decides), the permission its caller needs, and what it leaves behind.
 */
const MUTATIONS: Readonly<
  Record<
    UserAction,
    {
      field: string;
      args: string;
      variables: Record<string, unknown>;
      needs: 'SEND' | 'RECEIVE';
      step: string;
      audit: string;
      outbox: string;
    }
  >
> = {
  accept: {
    field: 'acceptReferral',
    args: '',
    variables: {},
    needs: 'RECEIVE',
    step: 'ACCEPT',
    audit: 'referral.accept',
    outbox: 'referral.accepted',
  },
  decline: {
    field: 'declineReferral',
    args: '$reason: ReferralReasonInput!',
    variables: { reason: { code: 'NO_CAPACITY', text: 'Full until spring' } },
    needs: 'RECEIVE',
    step: 'DECLINE',
    audit: 'referral.decline',
    outbox: 'referral.declined',
  },
  start: {
    field: 'startReferral',
    args: '',
    variables: {},
    needs: 'RECEIVE',
    step: 'START',
    audit: 'referral.start',
    outbox: 'referral.started',
  },
  hold: {
    field: 'holdReferral',
    args: '$reason: ReferralReasonInput!',
    variables: { reason: { code: 'CLIENT_UNREACHABLE', text: 'No answer twice' } },
    needs: 'RECEIVE',
    step: 'HOLD',
    audit: 'referral.hold',
    outbox: 'referral.held',
  },
  resume: {
    field: 'resumeReferral',
    args: '',
    variables: {},
    needs: 'RECEIVE',
    step: 'RESUME',
    audit: 'referral.resume',
    outbox: 'referral.resumed',
  },
  complete: {
    field: 'completeReferral',
    args: '$outcome: ReferralOutcomeInput!',
    variables: { outcome: { code: 'PARTIALLY_PROVIDED', text: 'First two visits done' } },
    needs: 'RECEIVE',
    step: 'COMPLETE',
    audit: 'referral.complete',
    outbox: 'referral.completed',
  },
  closeUnmet: {
    field: 'closeReferralUnmet',
    args: '$reason: ReferralReasonInput!',
    variables: { reason: { code: 'NO_CAPACITY', text: 'Programme closed' } },
    needs: 'RECEIVE',
    step: 'CLOSE_UNMET',
    audit: 'referral.close_unmet',
    outbox: 'referral.closed_unmet',
  },
  cancel: {
    field: 'cancelReferral',
    args: '$reason: ReferralReasonInput!',
    variables: { reason: { code: 'DUPLICATE', text: 'Sent twice' } },
    needs: 'SEND',
    step: 'CANCEL',
    audit: 'referral.cancel',
    outbox: 'referral.cancelled',
  },
};

/** Who calls: the designed actors, and the wrong-side ones (a role or scope that holds the permission, on the other side). */
const ACTORS: Readonly<
  Record<
    ActorName,
    { side: Side; kind: 'STAFF' | 'API_CLIENT'; role: Role | null; holds: readonly ('SEND' | 'RECEIVE')[] }
  >
> = {
  'receiving INTAKE': { side: 'R', kind: 'STAFF', role: Role.INTAKE, holds: ['RECEIVE'] },
  'sending CASEWORKER': { side: 'S', kind: 'STAFF', role: Role.CASEWORKER, holds: ['SEND'] },
  'receiving CASEWORKER': { side: 'R', kind: 'STAFF', role: Role.CASEWORKER, holds: ['SEND'] },
  'sending INTAKE': { side: 'S', kind: 'STAFF', role: Role.INTAKE, holds: ['RECEIVE'] },
  'receiving API client': { side: 'R', kind: 'API_CLIENT', role: null, holds: ['SEND', 'RECEIVE'] },
  'sending API client': { side: 'S', kind: 'API_CLIENT', role: null, holds: ['SEND', 'RECEIVE'] },
};

type Expectation = Status | 'BAD_USER_INPUT' | 'FORBIDDEN';

/** What working each side needs: a role that may not work its own side never learns the state (one order of checks). */
const SIDE_NEEDS: Readonly<Record<Side, 'SEND' | 'RECEIVE'>> = { S: 'SEND', R: 'RECEIVE' };

function expectationOf(from: Status, action: UserAction, actor: ActorName): Expectation {
  const { holds, side } = ACTORS[actor];
  if (!holds.includes(MUTATIONS[action].needs) || !holds.includes(SIDE_NEEDS[side])) return 'FORBIDDEN';
  return (
    DESIGN_TABLE.find((row) => row.action === action && row.from.includes(from) && row.who === ACTORS[actor].side)
      ?.to ?? 'BAD_USER_INPUT'
  );
}

const CELLS = STATUSES.flatMap((from) =>
  USER_ACTIONS.flatMap((action) =>
    (Object.keys(ACTORS) as ActorName[]).map((actor) => ({
      from,
      action,
      actor,
      expected: expectationOf(from, action, actor),
    })),
  ),
);

const TRANSITION_FIELDS =
  'action fromStatus toStatus side actorKind actorRole reasonCode outcome text organization { id }';
const mutationOf = (action: UserAction) => {
  const { field, args } = MUTATIONS[action];
  const argument = args.startsWith('$reason')
    ? ', reason: $reason'
    : args.startsWith('$outcome')
      ? ', outcome: $outcome'
      : '';
  return `mutation ($id: ID!${args ? `, ${args}` : ''}) { ${field}(id: $id${argument}) {
    referral { id status outcome lastTransition { ${TRANSITION_FIELDS} } } warnings { field code } } }`;
};

interface TransitionNode {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  side: string;
  actorKind: string;
  actorRole: string | null;
  reasonCode: string | null;
  outcome: string | null;
  text: string | null;
  organization: { id: string };
}
interface Payload {
  referral: { id: string; status: string; outcome: string | null; lastTransition: TransitionNode };
  warnings: { field: string; code: string }[];
}

interface ReferralRow {
  status: string;
  version: number;
  outcome: string | null;
}
interface TransitionRow {
  action: string;
  from_status: string | null;
  to_status: string;
  side: string;
  organization_id: string;
  actor_kind: string;
  actor_role: string | null;
  actor_id: string | null;
  reason_code: string | null;
  outcome: string | null;
  text: string | null;
}
interface EventRow {
  chain_id: string;
  action: string;
  category: string;
  outcome: string;
  subject_client_id: string | null;
  details: Record<string, unknown>;
}

const fieldsOf = (response: GraphQLResponse<unknown>) =>
  ((response.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((problem) => problem.field);
const sorted = (ids: readonly string[]) => [...ids].sort();

/** The test database as the superuser (the runtime role may not read the outbox): for looking, and for holding a row lock. */
function superuserClient(dbName: string): PgClient {
  const url = new URL(process.env[TEST_ENV.adminUrl]!);
  url.pathname = `/${encodeURIComponent(dbName)}`;
  return new PgClient({ connectionString: url.toString() });
}

describe('Referral lifecycle', () => {
  let t: TestApp;
  let f: Fixtures;
  let db: PgClient;
  let shelter: Organization;
  let clinic: Organization;
  let service: ServiceOffering;
  let client: Client;
  let consent: Consent;
  const callers = {} as Record<ActorName, { token: string; id: string; organizationId: string }>;
  let secondIntake: { token: string; id: string; organizationId: string };

  const referralIn = (status: Status) => f.referral(consent, service, { status: status as ReferralStatus });
  const call = (
    action: UserAction,
    id: string,
    token: string,
    variables: Record<string, unknown> = MUTATIONS[action].variables,
  ) => t.gql<Record<string, Payload>>(mutationOf(action), { id, ...variables }, token);

  /** Everything a transition writes, for one referral. */
  async function stateOf(id: string) {
    const [referral] = (
      await db.query<ReferralRow>('select status, version, outcome from referral where id = $1', [id])
    ).rows;
    const steps = (
      await db.query<TransitionRow>(
        `select action, from_status, to_status, side, organization_id, actor_kind, actor_role, actor_id, reason_code, outcome, text
         from referral_transition where referral_id = $1 order by at, (action = 'SEND') desc`,
        [id],
      )
    ).rows;
    const outbox = (
      await db.query<{ type: string; organization_ids: string[] }>(
        'select type, organization_ids from outbox_event where aggregate_id = $1',
        [id],
      )
    ).rows;
    // Reads of the client's data (the payload's history text) are READ events of their own: not the change.
    const changes = (
      await db.query<EventRow>(
        `select chain_id, action, category, outcome, subject_client_id, details from audit_event where entity_id = $1 and category <> 'READ' order by chain_id, seq`,
        [id],
      )
    ).rows;
    return { referral, steps, outbox, changes };
  }
  const deniedCount = async (chainId: string, action: string) =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*) as n from audit_event where chain_id = $1 and action = $2 and outcome = 'DENIED'`,
          [chainId, action],
        )
      ).rows[0].n,
    );

  /** A refused call left the referral exactly as the fixture stored it. */
  async function expectUnchanged(id: string, status: Status) {
    const after = await stateOf(id);
    expect(after.referral).toEqual({ status, version: 1, outcome: status === 'COMPLETED' ? 'SERVICE_PROVIDED' : null });
    expect(after.steps.map((step) => step.action)).toEqual(['SEND']);
    expect(after.outbox).toEqual([]);
    expect(after.changes).toEqual([]);
  }

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    db = superuserClient(t.database.name);
    await db.connect();
    shelter = await f.organization({ name: 'Shelter' });
    clinic = await f.organization({ name: 'Clinic' });
    service = await f.service(clinic, { name: 'Primary care' });
    client = await f.client(shelter, { preferredName: 'Amina', needs: 'A check-up' });
    consent = await f.consent(client, [clinic]);
    const person = async (organization: Organization, role: Role) => {
      const staff = await f.signedIn(organization, [role]);
      return { token: staff.token, id: staff.accountId, organizationId: organization.id };
    };
    const partner = async (organization: Organization) => {
      const api = await f.apiClient(organization, [ApiScope.REFERRALS_WRITE]);
      return { token: api.key, id: api.id, organizationId: organization.id };
    };
    callers['receiving INTAKE'] = await person(clinic, Role.INTAKE);
    callers['sending CASEWORKER'] = await person(shelter, Role.CASEWORKER);
    callers['receiving CASEWORKER'] = await person(clinic, Role.CASEWORKER);
    callers['sending INTAKE'] = await person(shelter, Role.INTAKE);
    callers['receiving API client'] = await partner(clinic);
    callers['sending API client'] = await partner(shelter);
    secondIntake = await person(clinic, Role.INTAKE);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  describe('the table, cell by cell', () => {
    it('walks 8 states × 8 actions × 6 callers, with allowed cells exactly as in docs/design.md', () => {
      expect(CELLS).toHaveLength(8 * 8 * 6);
      const allowed = CELLS.filter((cell) => cell.expected !== 'BAD_USER_INPUT' && cell.expected !== 'FORBIDDEN');
      // 14 (from, action, side) cells in docs/design.md, each open to its person and its side's partner system.
      expect(allowed).toHaveLength(14 * 2);
    });

    it.each(CELLS)('$from: $action by the $actor → $expected', async ({ from, action, actor, expected }) => {
      const caller = callers[actor];
      const mutation = MUTATIONS[action];
      const referral = await referralIn(from);
      const refused = expected === 'FORBIDDEN' || expected === 'BAD_USER_INPUT';
      const deniedBefore = refused ? await deniedCount(caller.organizationId, `graphql.${mutation.field}`) : 0;

      const response = await call(action, referral.id, caller.token);

      if (expected === 'FORBIDDEN') {
        expect(codeOf(response)).toBe('FORBIDDEN');
        expect(response.data?.[mutation.field] ?? null).toBeNull();
        await expectUnchanged(referral.id, from);
        // Invariant 4: a denied attempt is recorded, after the failed work rolled back.
        expect(await deniedCount(caller.organizationId, `graphql.${mutation.field}`)).toBe(deniedBefore + 1);
        return;
      }
      if (expected === 'BAD_USER_INPUT') {
        expect(codeOf(response)).toBe('BAD_USER_INPUT');
        expect(response.errors?.[0].message).toContain(from);
        expect(response.data?.[mutation.field] ?? null).toBeNull();
        await expectUnchanged(referral.id, from);
        // A refusal by state is a refused attempt too.
        expect(await deniedCount(caller.organizationId, `graphql.${mutation.field}`)).toBe(deniedBefore + 1);
        return;
      }

      const { kind, role } = ACTORS[actor];
      const side = ACTORS[actor].side === 'R' ? 'RECEIVER' : 'SENDER';
      const reason = (mutation.variables.reason ?? null) as { code: string; text: string } | null;
      const outcome = (mutation.variables.outcome ?? null) as { code: string; text: string } | null;
      expect(response.errors).toBeUndefined();
      const payload = response.data![mutation.field];
      expect(payload.warnings).toEqual([]);
      expect(payload.referral).toMatchObject({ id: referral.id, status: expected, outcome: outcome?.code ?? null });
      expect(payload.referral.lastTransition).toEqual({
        action: mutation.step,
        fromStatus: from,
        toStatus: expected,
        side,
        actorKind: kind,
        actorRole: role,
        reasonCode: reason?.code ?? null,
        outcome: outcome?.code ?? null,
        text: reason?.text ?? outcome?.text ?? null,
        organization: { id: caller.organizationId },
      });

      const after = await stateOf(referral.id);
      expect(after.referral).toEqual({ status: expected, version: 2, outcome: outcome?.code ?? null });
      expect(after.steps).toHaveLength(2);
      expect(after.steps[1]).toEqual({
        action: mutation.step,
        from_status: from,
        to_status: expected,
        side,
        organization_id: caller.organizationId,
        actor_kind: kind,
        actor_role: role,
        actor_id: caller.id,
        reason_code: reason?.code ?? null,
        outcome: outcome?.code ?? null,
        text: reason?.text ?? outcome?.text ?? null,
      });
      expect(after.changes).toEqual([
        {
          chain_id: caller.organizationId,
          action: mutation.audit,
          category: 'UPDATE',
          outcome: 'SUCCESS',
          subject_client_id: client.id,
          details: expect.objectContaining({ from, to: expected, side }),
        },
      ]);
      expect(after.outbox).toHaveLength(1);
      expect(after.outbox[0].type).toBe(mutation.outbox);
      expect(sorted(after.outbox[0].organization_ids)).toEqual(sorted([shelter.id, clinic.id]));
    });
  });

  describe('reasons', () => {
    /**
     * The codes each action accepts, by hand from the API's documentation of ReferralReasonCode;
     * Harbour's own codes (CONSENT_WITHDRAWN, CONSENT_EXPIRED) are never among them.
     */
    const REASONS: Readonly<
      Record<'decline' | 'cancel' | 'hold' | 'closeUnmet', { from: Status; by: ActorName; codes: readonly string[] }>
    > = {
      decline: {
        from: 'SENT',
        by: 'receiving INTAKE',
        codes: ['NO_CAPACITY', 'NOT_ELIGIBLE', 'SERVICE_NOT_OFFERED', 'DUPLICATE', 'OTHER'],
      },
      cancel: {
        from: 'ACCEPTED',
        by: 'sending CASEWORKER',
        codes: ['CLIENT_REQUEST', 'NO_LONGER_NEEDED', 'SENT_IN_ERROR', 'DUPLICATE', 'OTHER'],
      },
      hold: {
        from: 'IN_PROGRESS',
        by: 'receiving INTAKE',
        codes: ['NO_CAPACITY', 'WAITLISTED', 'AWAITING_CLIENT', 'CLIENT_UNREACHABLE', 'OTHER'],
      },
      closeUnmet: {
        from: 'ON_HOLD',
        by: 'receiving INTAKE',
        codes: [
          'NO_CAPACITY',
          'NOT_ELIGIBLE',
          'CLIENT_UNREACHABLE',
          'CLIENT_DECLINED_SERVICE',
          'NO_LONGER_NEEDED',
          'OTHER',
        ],
      },
    };
    const REASON_ACTIONS = Object.keys(REASONS) as (keyof typeof REASONS)[];
    const HARBOUR_ONLY = ['CONSENT_WITHDRAWN', 'CONSENT_EXPIRED'];
    const ALL_CODES = Object.values(ReferralReasonCode) as string[];

    const accepted = REASON_ACTIONS.flatMap((action) => REASONS[action].codes.map((code) => ({ action, code })));
    const wrongCode = REASON_ACTIONS.flatMap((action) =>
      ALL_CODES.filter((code) => !REASONS[action].codes.includes(code) && !HARBOUR_ONLY.includes(code)).map((code) => ({
        action,
        code,
      })),
    );
    const harbourOnly = REASON_ACTIONS.flatMap((action) => HARBOUR_ONLY.map((code) => ({ action, code })));

    it.each(accepted)('$action takes $code', async ({ action, code }) => {
      const { from, by } = REASONS[action];
      const referral = await referralIn(from);
      const response = await call(action, referral.id, callers[by].token, {
        reason: { code, text: code === 'OTHER' ? 'Moved away' : null },
      });
      expect(response.errors).toBeUndefined();
      expect(response.data![MUTATIONS[action].field].referral.lastTransition).toMatchObject({
        action: MUTATIONS[action].step,
        reasonCode: code,
      });
    });

    it.each(wrongCode)(
      '$action refuses $code, a reason for other actions (BAD_USER_INPUT on reason.code)',
      async ({ action, code }) => {
        const { from, by } = REASONS[action];
        const referral = await referralIn(from);
        const response = await call(action, referral.id, callers[by].token, { reason: { code, text: 'Because' } });
        expect(codeOf(response)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(response)).toEqual(['reason.code']);
        await expectUnchanged(referral.id, from);
      },
    );

    it.each(harbourOnly)("$action refuses Harbour's own $code from a person", async ({ action, code }) => {
      const { from, by } = REASONS[action];
      const referral = await referralIn(from);
      const response = await call(action, referral.id, callers[by].token, { reason: { code, text: null } });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(response)).toEqual(['reason.code']);
      await expectUnchanged(referral.id, from);
    });

    it.each(HARBOUR_ONLY)("refuses Harbour's own %s from a partner system cancelling", async (code) => {
      const referral = await referralIn('SENT');
      const response = await call('cancel', referral.id, callers['sending API client'].token, { reason: { code } });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(response)).toEqual(['reason.code']);
      await expectUnchanged(referral.id, 'SENT');
    });

    it.each(
      REASON_ACTIONS.flatMap((action) => [null, '', '   '].map((text) => ({ action, text: JSON.stringify(text) }))),
    )('$action refuses OTHER with text $text (BAD_USER_INPUT on reason.text)', async ({ action, text }) => {
      const { from, by } = REASONS[action];
      const referral = await referralIn(from);
      const response = await call(action, referral.id, callers[by].token, {
        reason: { code: 'OTHER', text: JSON.parse(text) as string | null },
      });
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(response)).toEqual(['reason.text']);
      await expectUnchanged(referral.id, from);
    });

    it.each(REASON_ACTIONS)(
      '%s saves a reason that reads like status information, as written, and warns on reason.text',
      async (action) => {
        const { from, by } = REASONS[action];
        const text = 'no papers, undocumented';
        const referral = await referralIn(from);
        const response = await call(action, referral.id, callers[by].token, { reason: { code: 'OTHER', text } });
        expect(response.errors).toBeUndefined();
        const payload = response.data![MUTATIONS[action].field];
        expect(payload.warnings).toEqual([{ field: 'reason.text', code: 'STATUS_INFORMATION' }]);
        expect(payload.referral.lastTransition).toMatchObject({ reasonCode: 'OTHER', text });
        const after = await stateOf(referral.id);
        expect(after.steps[1]).toMatchObject({ reason_code: 'OTHER', text });
        // The words stay in the history (they are the client's): the audit event does not copy them.
        expect(JSON.stringify(after.changes)).not.toContain('undocumented');
      },
    );

    it('warns on outcome.text when a completion reads like status information', async () => {
      const referral = await referralIn('IN_PROGRESS');
      const response = await call('complete', referral.id, callers['receiving INTAKE'].token, {
        outcome: { code: 'SERVICE_PROVIDED', text: 'Helped with the visa forms' },
      });
      expect(response.errors).toBeUndefined();
      expect(response.data!.completeReferral.warnings).toEqual([{ field: 'outcome.text', code: 'STATUS_INFORMATION' }]);
      expect(response.data!.completeReferral.referral).toMatchObject({
        status: 'COMPLETED',
        outcome: 'SERVICE_PROVIDED',
      });
    });
  });

  describe('concurrent transitions', () => {
    const ROUNDS = 20;
    /** Pairs that race: across the two sides, two people of one side, and two partner systems. */
    const PAIRS: readonly [
      { action: UserAction; by: () => { token: string } },
      { action: UserAction; by: () => { token: string } },
    ][] = [
      [
        { action: 'accept', by: () => callers['receiving INTAKE'] },
        { action: 'cancel', by: () => callers['sending CASEWORKER'] },
      ],
      [
        { action: 'accept', by: () => callers['receiving INTAKE'] },
        { action: 'accept', by: () => secondIntake },
      ],
      [
        { action: 'decline', by: () => callers['receiving API client'] },
        { action: 'cancel', by: () => callers['sending API client'] },
      ],
    ];
    const TO: Readonly<Partial<Record<UserAction, Status>>> = {
      accept: 'ACCEPTED',
      cancel: 'CANCELLED',
      decline: 'DECLINED',
    };

    let holder: PgClient;
    let holderPid: number;
    beforeAll(async () => {
      holder = superuserClient(t.database.name);
      await holder.connect();
      holderPid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    });
    afterAll(() => holder?.end());

    /** The application backends now blocked in the version-checked UPDATE of the referral. */
    const blockedUpdates = async () =>
      (
        await db.query<{ pid: number; wait_event: string; blockers: number[] }>(
          `select pid, wait_event, pg_blocking_pids(pid) as blockers from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and pid <> $1
             and wait_event_type = 'Lock' and query ilike 'update "referral" %'`,
          [holderPid],
        )
      ).rows;

    it(`lets exactly one of two transitions forced to meet win, and the other get CONFLICT (${ROUNDS} rounds)`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const [first, second] = PAIRS[round % PAIRS.length];
        const referral = await referralIn('SENT');

        // The barrier. A transition reads the referral with a plain SELECT, inserts its history row
        // and outbox row, then updates the referral `where version = <the version it read>`.
        // Holding the row FOR NO KEY UPDATE blocks that UPDATE but neither the read nor the history
        // insert (whose foreign-key check takes only FOR KEY SHARE, which does not conflict). So
        // once both requests are seen waiting in the UPDATE, both have read the same version; the
        // one that gets the row after the holder lets go wins, and the other's UPDATE, re-checked
        // against the winner's row, matches nothing: OptimisticLockError → CONFLICT.
        await holder.query('begin');
        let responses: GraphQLResponse<Record<string, Payload>>[];
        try {
          await holder.query('select id from referral where id = $1 for no key update', [referral.id]);
          const settled: boolean[] = [false, false];
          const racing = [first, second].map((contender, i) =>
            call(contender.action, referral.id, contender.by().token).finally(() => {
              settled[i] = true;
            }),
          );
          const deadline = Date.now() + 10_000;
          let blocked = await blockedUpdates();
          while (blocked.length < 2) {
            if (settled.some(Boolean))
              throw new Error(
                `round ${round}: a request finished before the barrier released: ${JSON.stringify(await Promise.race(racing))}`,
              );
            if (Date.now() > deadline)
              throw new Error(
                `round ${round}: both requests were not seen waiting in the UPDATE within 10 s: ${JSON.stringify(blocked)}`,
              );
            await new Promise((resolve) => setTimeout(resolve, 5));
            blocked = await blockedUpdates();
          }
          expect(blocked.every((backend) => backend.blockers.length > 0)).toBe(true);
          await holder.query('commit');
          responses = await Promise.all(racing);
        } catch (error) {
          await holder.query('rollback');
          throw error;
        }

        const winners = [0, 1].filter((i) => responses[i].errors === undefined);
        const losers = [0, 1].filter((i) => responses[i].errors !== undefined);
        expect({ round, winners: winners.length, losers: losers.map((i) => codeOf(responses[i])) }).toEqual({
          round,
          winners: 1,
          losers: ['CONFLICT'],
        });
        const winner = [first, second][winners[0]];
        const loser = [first, second][losers[0]];
        expect(responses[winners[0]].data![MUTATIONS[winner.action].field].referral.status).toBe(TO[winner.action]);

        const after = await stateOf(referral.id);
        expect(after.referral).toMatchObject({ status: TO[winner.action], version: 2 });
        expect(after.steps.map((step) => step.action)).toEqual(['SEND', MUTATIONS[winner.action].step]);
        // The loser left nothing behind: no audit event of its change, no outbox row.
        expect(after.changes.map((event) => [event.action, event.outcome])).toEqual([
          [MUTATIONS[winner.action].audit, 'SUCCESS'],
        ]);
        expect(after.outbox.map((row) => row.type)).toEqual([MUTATIONS[winner.action].outbox]);
        if (loser.action !== winner.action)
          expect(after.changes.some((event) => event.action === MUTATIONS[loser.action].audit)).toBe(false);
      }
    });
  });
});
