/**
 * The referral lifecycle table (docs/design.md, Referral lifecycle) against the code's one table.
 * The expectation is the table in docs/design.md copied out by hand: nothing here is derived from
 * TRANSITIONS, so that an edit of the code's table that the design does not make fails.
 */
import { Permission, ROLE_PERMISSIONS, Role } from '@harbour/authz';
import {
  decideTransition,
  OPEN_STATUSES,
  REASON_CODES,
  ReasonRequirement,
  SIDE_PERMISSIONS,
  TERMINAL_STATUSES,
  TRANSITIONS,
} from '../../src/modules/referrals/referral-lifecycle';
import {
  ReferralAction,
  ReferralReasonCode,
  ReferralSide,
  ReferralStatus,
} from '../../src/modules/referrals/referral.enums';

const { SENT, ACCEPTED, IN_PROGRESS, ON_HOLD, COMPLETED, UNMET, DECLINED, CANCELLED } = ReferralStatus;
const { ACCEPT, DECLINE, CANCEL, EXPIRE, START, HOLD, RESUME, COMPLETE, CLOSE_UNMET } = ReferralAction;
const R = ReferralSide.RECEIVER;
const S = ReferralSide.SENDER;
const SYSTEM = ReferralSide.SYSTEM;
const { NONE, REASON, OUTCOME } = ReasonRequirement;

interface Row {
  readonly from: readonly ReferralStatus[];
  readonly action: ReferralAction;
  readonly to: ReferralStatus;
  readonly who: readonly ReferralSide[];
  readonly requires: ReasonRequirement;
}

/** The table in docs/design.md, row by row: from, action, to, who, reason required. */
const DESIGN_TABLE: readonly Row[] = [
  { from: [SENT], action: ACCEPT, to: ACCEPTED, who: [R], requires: NONE },
  { from: [SENT], action: DECLINE, to: DECLINED, who: [R], requires: REASON },
  { from: [SENT, ACCEPTED, IN_PROGRESS, ON_HOLD], action: CANCEL, to: CANCELLED, who: [S, SYSTEM], requires: REASON },
  // "(consent expired)": Harbour's own step, whose reason is CONSENT_EXPIRED.
  { from: [SENT], action: EXPIRE, to: CANCELLED, who: [SYSTEM], requires: REASON },
  { from: [ACCEPTED], action: START, to: IN_PROGRESS, who: [R], requires: NONE },
  { from: [ACCEPTED, IN_PROGRESS], action: HOLD, to: ON_HOLD, who: [R], requires: REASON },
  { from: [ON_HOLD], action: RESUME, to: IN_PROGRESS, who: [R], requires: NONE },
  { from: [IN_PROGRESS], action: COMPLETE, to: COMPLETED, who: [R], requires: OUTCOME },
  { from: [ACCEPTED, IN_PROGRESS, ON_HOLD], action: CLOSE_UNMET, to: UNMET, who: [R], requires: REASON },
];

const CODE_TABLE: readonly Row[] = TRANSITIONS.map((t) => ({
  from: t.from,
  action: t.action,
  to: t.to,
  who: t.by,
  requires: t.requires,
}));

const STATUSES = Object.values(ReferralStatus);
/** Every action that moves an existing referral (SEND creates one and is no transition). */
const ACTIONS = Object.values(ReferralAction).filter((action) => action !== ReferralAction.SEND);
const SIDES = Object.values(ReferralSide);

/** One line per (from, action, who) cell, so that two tables compare cell by cell. */
const cellsOf = (rows: readonly Row[]) =>
  rows
    .flatMap((row) =>
      row.from.flatMap((from) =>
        row.who.map((side) => `${from} ${row.action} by ${side} -> ${row.to} (${row.requires})`),
      ),
    )
    .sort();
/** A row in a canonical form (lists sorted), so that two tables compare row by row whatever their order. */
const rowsOf = (rows: readonly Row[]) =>
  rows
    .map((row) => ({ ...row, from: [...row.from].sort(), who: [...row.who].sort() }))
    .sort((a, b) => a.action.localeCompare(b.action));

const designRow = (status: ReferralStatus, action: ReferralAction, side: ReferralSide) =>
  DESIGN_TABLE.find((row) => row.action === action && row.from.includes(status) && row.who.includes(side));

const EVERY_CELL = STATUSES.flatMap((status) =>
  ACTIONS.flatMap((action) => SIDES.map((side) => [status, action, side] as const)),
);

describe('TRANSITIONS', () => {
  it('is the table in docs/design.md, row by row', () => {
    expect(rowsOf(CODE_TABLE)).toEqual(rowsOf(DESIGN_TABLE));
  });

  it('is the table in docs/design.md, cell by cell', () => {
    expect(cellsOf(CODE_TABLE)).toEqual(cellsOf(DESIGN_TABLE));
  });

  it('decides every (state, action, side) cell by at most one row', () => {
    const decided = cellsOf(CODE_TABLE).map((cell) => cell.split(' -> ')[0]);
    expect(new Set(decided).size).toBe(decided.length);
  });

  it('keeps the expiry step for Harbour alone, and Harbour off the receiving side', () => {
    expect(TRANSITIONS.filter((t) => t.action === EXPIRE).map((t) => t.by)).toEqual([[SYSTEM]]);
    expect(
      TRANSITIONS.filter((t) => t.by.includes(SYSTEM))
        .map((t) => t.action)
        .sort(),
    ).toEqual([CANCEL, EXPIRE].sort());
  });
});

describe('terminal states', () => {
  it('are exactly COMPLETED, UNMET, DECLINED and CANCELLED; the rest are open', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual([CANCELLED, COMPLETED, DECLINED, UNMET]);
    expect([...OPEN_STATUSES].sort()).toEqual([ACCEPTED, IN_PROGRESS, ON_HOLD, SENT]);
  });

  it.each([COMPLETED, UNMET, DECLINED, CANCELLED])('%s has no outgoing transition', (status) => {
    expect(TRANSITIONS.filter((t) => t.from.includes(status))).toEqual([]);
    for (const action of ACTIONS) {
      for (const side of SIDES) {
        const decision = decideTransition(status, action, side);
        expect(decision.allowed).toBe(false);
        if (!decision.allowed) expect(decision.message).toContain('terminal');
      }
    }
  });

  it('is where every transition ends or leads on to another row', () => {
    for (const t of TRANSITIONS)
      expect(TERMINAL_STATUSES.has(t.to) || TRANSITIONS.some((next) => next.from.includes(t.to))).toBe(true);
  });
});

describe(decideTransition.name, () => {
  it.each(EVERY_CELL)('%s, %s by %s: as docs/design.md says', (status, action, side) => {
    const row = designRow(status, action, side);
    const decision = decideTransition(status, action, side);
    if (row) {
      expect(decision).toEqual({
        allowed: true,
        transition: expect.objectContaining({ action, to: row.to, requires: row.requires }),
      });
    } else {
      expect(decision.allowed).toBe(false);
      // The message names the current state (docs/design.md, Referral lifecycle: refused with BAD_USER_INPUT naming the current state).
      if (!decision.allowed) expect(decision.message).toContain(`The referral is ${status}`);
    }
  });

  it('tells the wrong side who may take the step', () => {
    const decision = decideTransition(SENT, ACCEPT, S);
    expect(decision).toEqual({ allowed: false, message: expect.stringContaining('the receiving organization') });
    const cancel = decideTransition(IN_PROGRESS, CANCEL, R);
    expect(cancel).toEqual({ allowed: false, message: expect.stringContaining('the sending organization') });
  });

  it('tells from which states a step can be taken', () => {
    const decision = decideTransition(SENT, COMPLETE, R);
    expect(decision).toEqual({ allowed: false, message: expect.stringContaining(IN_PROGRESS) });
  });
});

describe('REASON_CODES', () => {
  const HARBOUR_ONLY = [ReferralReasonCode.CONSENT_WITHDRAWN, ReferralReasonCode.CONSENT_EXPIRED];

  it.each(Object.entries(REASON_CODES))(
    "never offers Harbour's own codes to a person or partner system (%s)",
    (_action, codes) => {
      for (const code of HARBOUR_ONLY) expect(codes).not.toContain(code);
    },
  );

  it('offers codes exactly for the actions a person takes with a reason, OTHER among them', () => {
    expect(Object.keys(REASON_CODES).sort()).toEqual([CANCEL, CLOSE_UNMET, DECLINE, HOLD].sort());
    for (const codes of Object.values(REASON_CODES)) expect(codes).toContain(ReferralReasonCode.OTHER);
  });

  it('has no code for actions that take none or take an outcome', () => {
    for (const action of [ACCEPT, START, RESUME, COMPLETE, EXPIRE]) expect(REASON_CODES[action]).toBeUndefined();
  });
});

describe('SIDE_PERMISSIONS', () => {
  it('follows docs/design.md: "S = the sending organization\'s CASEWORKER, R = the receiving organization\'s INTAKE"', () => {
    expect(SIDE_PERMISSIONS[S].act).toBe(Permission.REFERRAL_SEND);
    expect(SIDE_PERMISSIONS[R].act).toBe(Permission.REFERRAL_RECEIVE);
    expect(ROLE_PERMISSIONS[Role.CASEWORKER]).toEqual(
      expect.arrayContaining([Permission.REFERRAL_SEND, Permission.REFERRAL_OUTBOX_READ]),
    );
    expect(ROLE_PERMISSIONS[Role.CASEWORKER]).not.toContain(Permission.REFERRAL_RECEIVE);
    expect(ROLE_PERMISSIONS[Role.INTAKE]).toEqual(
      expect.arrayContaining([Permission.REFERRAL_RECEIVE, Permission.REFERRAL_INBOX_READ]),
    );
    expect(ROLE_PERMISSIONS[Role.INTAKE]).not.toContain(Permission.REFERRAL_SEND);
  });

  it('lets no other role act on either side', () => {
    const acting = Object.values(Role).filter((role) =>
      ROLE_PERMISSIONS[role].some((p) => p === Permission.REFERRAL_SEND || p === Permission.REFERRAL_RECEIVE),
    );
    expect(acting.sort()).toEqual([Role.CASEWORKER, Role.INTAKE]);
  });
});
