/**
 * The webhook rules as pure functions and constants: what a body holds, what one attempt's outcome
 * does to its delivery and endpoint, which secrets sign, how far a replay reaches. The services
 * and the worker apply them; the unit tests walk them.
 */
import { type DeliveryErrorClass, type DeliveryOutcome, nextAttemptAt } from '@harbour/webhooks';
import type { FieldProblem } from '@harbour/graphql-kit';
import { WebhookAttemptError, WebhookDeliveryStatus, WebhookEventType } from './webhook.enums';

export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 500;
export const WEBHOOK_EVENT_TYPE_COUNT = Object.values(WebhookEventType).length;
/** Endpoints per organization. */
export const MAX_ENDPOINTS_PER_ORGANIZATION = 20;
/** How long the previous secret keeps signing beside the new one after a rotation. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;
/** An endpoint with no successful delivery for this long after a failure is disabled (FAILING). */
export const FAILING_LIMIT_MS = 5 * 24 * 3600 * 1000;
/** The widest time range one replay covers. */
export const WEBHOOK_REPLAY_MAX_DAYS = 31;

/**
 * The body of every attempt of a delivery, serialised once: the event's type, when it happened and
 * its id-only data (docs/design.md, Partner events). Nothing else — in particular not the other
 * organizations told of the same event.
 */
export function webhookBody(type: string, occurredAt: Date, data: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}

/** Every class of failure the sender reports, as the GraphQL enum names it (the compiler checks that none is missing). */
export const ATTEMPT_ERRORS: { readonly [K in DeliveryErrorClass]: WebhookAttemptError } = {
  URL_REFUSED: WebhookAttemptError.URL_REFUSED,
  ADDRESS_REFUSED: WebhookAttemptError.ADDRESS_REFUSED,
  DNS: WebhookAttemptError.DNS,
  TIMEOUT: WebhookAttemptError.TIMEOUT,
  CONNECTION: WebhookAttemptError.CONNECTION,
  TLS: WebhookAttemptError.TLS,
  PROTOCOL: WebhookAttemptError.PROTOCOL,
  HTTP_3XX: WebhookAttemptError.HTTP_3XX,
  HTTP_4XX: WebhookAttemptError.HTTP_4XX,
  HTTP_410: WebhookAttemptError.HTTP_410,
  HTTP_5XX: WebhookAttemptError.HTTP_5XX,
};

/** What one attempt does to its delivery, and whether the receiver asked to stop (410: the endpoint is disabled, GONE). */
export interface AttemptVerdict {
  readonly status: WebhookDeliveryStatus;
  /** When the next attempt is due; null once the delivery is over. */
  readonly nextAttemptAt: Date | null;
  readonly errorClass: WebhookAttemptError | null;
  readonly succeeded: boolean;
  readonly gone: boolean;
}

/**
 * The outcome of attempt `attemptNumber` (1 for the first of a round) made at `now`: 2xx succeeds;
 * 410 fails the delivery at once; anything else waits for the next attempt of the retry schedule
 * (a 429, 502, 503 or 504's Retry-After may lengthen the wait), or fails the delivery after the last.
 */
export function judgeAttempt(
  outcome: DeliveryOutcome,
  attemptNumber: number,
  now: Date,
  random: () => number = Math.random,
): AttemptVerdict {
  if (outcome.ok) {
    return {
      status: WebhookDeliveryStatus.SUCCEEDED,
      nextAttemptAt: null,
      errorClass: null,
      succeeded: true,
      gone: false,
    };
  }
  const errorClass = outcome.errorClass ? ATTEMPT_ERRORS[outcome.errorClass] : WebhookAttemptError.PROTOCOL;
  if (outcome.gone) {
    return { status: WebhookDeliveryStatus.FAILED, nextAttemptAt: null, errorClass, succeeded: false, gone: true };
  }
  const next = nextAttemptAt(attemptNumber, now, outcome.retryAfterSeconds, random);
  return {
    status: next ? WebhookDeliveryStatus.PENDING : WebhookDeliveryStatus.FAILED,
    nextAttemptAt: next,
    errorClass,
    succeeded: false,
    gone: false,
  };
}

/** Whether an endpoint failing since `failingSince` has failed for too long at `now`. */
export function failingTooLong(failingSince: Date | null, now: Date): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= FAILING_LIMIT_MS;
}

/** The sealed secrets that sign at `now`: the current one, then the previous one until its overlap ends. */
export function liveSealedSecrets(
  endpoint: {
    readonly secretSealed: string;
    readonly previousSecretSealed: string | null;
    readonly previousSecretExpiresAt: Date | null;
  },
  now: Date,
): string[] {
  const previousLive =
    endpoint.previousSecretSealed !== null &&
    endpoint.previousSecretExpiresAt !== null &&
    endpoint.previousSecretExpiresAt.getTime() > now.getTime();
  return previousLive ? [endpoint.secretSealed, endpoint.previousSecretSealed] : [endpoint.secretSealed];
}

/** What is wrong with a replay's time range: `from` before `to`, at most WEBHOOK_REPLAY_MAX_DAYS apart. */
export function replayRangeProblems(from: Date, to: Date): FieldProblem[] {
  if (from.getTime() >= to.getTime()) return [{ field: 'input.to', message: 'must be after input.from' }];
  if (to.getTime() - from.getTime() > WEBHOOK_REPLAY_MAX_DAYS * 86_400_000)
    return [{ field: 'input.to', message: `must be at most ${WEBHOOK_REPLAY_MAX_DAYS} days after input.from` }];
  return [];
}
