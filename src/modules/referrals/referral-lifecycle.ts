import { Permission } from '@harbour/authz';
import { ReferralAction, ReferralReasonCode, ReferralSide, ReferralStatus } from './referral.enums';

/**
 * The referral lifecycle of docs/design.md, as one table — the only place that says which transitions
 * exist, who may take them and what they must say. Every mutation that moves a referral, and
 * Harbour's own revocation and expiry steps, ask `decideTransition`.
 */

/** What the actor must give with the action. */
export enum ReasonRequirement {
  NONE = 'NONE',
  /** A reason code (with text when the code is OTHER). */
  REASON = 'REASON',
  /** An outcome code. */
  OUTCOME = 'OUTCOME',
}

export interface Transition {
  readonly from: readonly ReferralStatus[];
  readonly action: ReferralAction;
  readonly to: ReferralStatus;
  /** R = the receiving organization's INTAKE, S = the sending organization's CASEWORKER, SYSTEM = Harbour. */
  readonly by: readonly ReferralSide[];
  readonly requires: ReasonRequirement;
}

const { SENT, ACCEPTED, IN_PROGRESS, ON_HOLD, COMPLETED, UNMET, DECLINED, CANCELLED } = ReferralStatus;
const R = ReferralSide.RECEIVER;
const S = ReferralSide.SENDER;
const SYSTEM = ReferralSide.SYSTEM;
const { NONE, REASON, OUTCOME } = ReasonRequirement;

/** docs/design.md, Referral lifecycle, row by row. */
export const TRANSITIONS: readonly Transition[] = [
  { from: [SENT], action: ReferralAction.ACCEPT, to: ACCEPTED, by: [R], requires: NONE },
  { from: [SENT], action: ReferralAction.DECLINE, to: DECLINED, by: [R], requires: REASON },
  {
    from: [SENT, ACCEPTED, IN_PROGRESS, ON_HOLD],
    action: ReferralAction.CANCEL,
    to: CANCELLED,
    by: [S, SYSTEM],
    requires: REASON,
  },
  { from: [SENT], action: ReferralAction.EXPIRE, to: CANCELLED, by: [SYSTEM], requires: REASON },
  { from: [ACCEPTED], action: ReferralAction.START, to: IN_PROGRESS, by: [R], requires: NONE },
  { from: [ACCEPTED, IN_PROGRESS], action: ReferralAction.HOLD, to: ON_HOLD, by: [R], requires: REASON },
  { from: [ON_HOLD], action: ReferralAction.RESUME, to: IN_PROGRESS, by: [R], requires: NONE },
  { from: [IN_PROGRESS], action: ReferralAction.COMPLETE, to: COMPLETED, by: [R], requires: OUTCOME },
  { from: [ACCEPTED, IN_PROGRESS, ON_HOLD], action: ReferralAction.CLOSE_UNMET, to: UNMET, by: [R], requires: REASON },
];

export const TERMINAL_STATUSES: ReadonlySet<ReferralStatus> = new Set([COMPLETED, UNMET, DECLINED, CANCELLED]);
export const OPEN_STATUSES: readonly ReferralStatus[] = Object.values(ReferralStatus).filter(
  (status) => !TERMINAL_STATUSES.has(status),
);

/** What each side needs to see and to act: a side is a role within the organization (or a partner system's scope). */
export const SIDE_PERMISSIONS: Readonly<
  Record<Exclude<ReferralSide, ReferralSide.SYSTEM>, { read: Permission; act: Permission }>
> = {
  [ReferralSide.SENDER]: { read: Permission.REFERRAL_OUTBOX_READ, act: Permission.REFERRAL_SEND },
  [ReferralSide.RECEIVER]: { read: Permission.REFERRAL_INBOX_READ, act: Permission.REFERRAL_RECEIVE },
};

const {
  NO_CAPACITY,
  NOT_ELIGIBLE,
  SERVICE_NOT_OFFERED,
  DUPLICATE,
  WAITLISTED,
  AWAITING_CLIENT,
  CLIENT_UNREACHABLE,
  CLIENT_DECLINED_SERVICE,
  CLIENT_REQUEST,
  NO_LONGER_NEEDED,
  SENT_IN_ERROR,
  OTHER,
} = ReferralReasonCode;

/** The reason codes a person or partner system may give with each action; Harbour's own codes are never among them. */
export const REASON_CODES: Readonly<Partial<Record<ReferralAction, readonly ReferralReasonCode[]>>> = {
  [ReferralAction.DECLINE]: [NO_CAPACITY, NOT_ELIGIBLE, SERVICE_NOT_OFFERED, DUPLICATE, OTHER],
  [ReferralAction.CANCEL]: [CLIENT_REQUEST, NO_LONGER_NEEDED, SENT_IN_ERROR, DUPLICATE, OTHER],
  [ReferralAction.HOLD]: [NO_CAPACITY, WAITLISTED, AWAITING_CLIENT, CLIENT_UNREACHABLE, OTHER],
  [ReferralAction.CLOSE_UNMET]: [
    NO_CAPACITY,
    NOT_ELIGIBLE,
    CLIENT_UNREACHABLE,
    CLIENT_DECLINED_SERVICE,
    NO_LONGER_NEEDED,
    OTHER,
  ],
};

export type TransitionDecision =
  { readonly allowed: true; readonly transition: Transition } | { readonly allowed: false; readonly message: string };

const VERB: Readonly<Record<ReferralAction, string>> = {
  [ReferralAction.SEND]: 'sent',
  [ReferralAction.ACCEPT]: 'accepted',
  [ReferralAction.DECLINE]: 'declined',
  [ReferralAction.CANCEL]: 'cancelled',
  [ReferralAction.START]: 'started',
  [ReferralAction.HOLD]: 'put on hold',
  [ReferralAction.RESUME]: 'resumed',
  [ReferralAction.COMPLETE]: 'completed',
  [ReferralAction.CLOSE_UNMET]: 'closed unmet',
  [ReferralAction.EXPIRE]: 'expired',
};

const SIDE_NAME: Readonly<Record<ReferralSide, string>> = {
  [ReferralSide.SENDER]: 'the sending organization',
  [ReferralSide.RECEIVER]: 'the receiving organization',
  [ReferralSide.SYSTEM]: 'Harbour',
};

/** Whether `side` may take `action` on a referral in `status`; when not, a message naming the current state. */
export function decideTransition(
  status: ReferralStatus,
  action: ReferralAction,
  side: ReferralSide,
): TransitionDecision {
  const transition = TRANSITIONS.find((t) => t.action === action && t.from.includes(status) && t.by.includes(side));
  if (transition) return { allowed: true, transition };
  const fromHere = TRANSITIONS.find((t) => t.action === action && t.from.includes(status));
  if (fromHere) {
    return {
      allowed: false,
      message: `The referral is ${status}: it can be ${VERB[action]} only by ${fromHere.by.map((s) => SIDE_NAME[s]).join(' or ')}, not by ${SIDE_NAME[side]}.`,
    };
  }
  const states = TRANSITIONS.filter((t) => t.action === action).flatMap((t) => t.from);
  const terminal = TERMINAL_STATUSES.has(status) ? ' (a terminal state: send a new referral based on it instead)' : '';
  return {
    allowed: false,
    message: `The referral is ${status}${terminal}: it can be ${VERB[action]} only when ${states.join(' or ')}.`,
  };
}
