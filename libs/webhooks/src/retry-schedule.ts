/**
 * When a failed delivery is tried again: the Standard Webhooks schedule, ten attempts in all — at
 * once, then 5 seconds, 5 minutes, 30 minutes, 2, 5, 10, 14, 20 and 24 hours after the attempt
 * before — about three days end to end. Each wait varies by up to ±10% (jitter), so that the
 * deliveries that failed together, when a receiver was down, do not all come back at the same
 * instant.
 *
 * A receiver's Retry-After can only lengthen a wait, never shorten it: the schedule is the floor,
 * so that a receiver cannot make Harbour retry faster than it would, and a wait is capped at 24
 * hours. A Retry-After does not add attempts. Pure: the clock is an argument and the random
 * source can be given.
 */
import { MAX_RETRY_AFTER_SECONDS } from './retry-after';

/** The wait before each attempt, in seconds; the first attempt is immediate. */
export const RETRY_DELAYS_SECONDS: readonly number[] = [
  0,
  5,
  5 * 60,
  30 * 60,
  2 * 3600,
  5 * 3600,
  10 * 3600,
  14 * 3600,
  20 * 3600,
  24 * 3600,
];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length;
/** A wait is its scheduled length times a factor between 1 - JITTER and 1 + JITTER. */
export const JITTER = 0.1;

/**
 * When attempt `attemptNumber + 1` is due, given that attempt `attemptNumber` (1 for the first)
 * failed at `now`; null when that was the last attempt and the delivery gives up. `random` returns
 * a number in [0, 1), as Math.random does.
 */
export function nextAttemptAt(
  attemptNumber: number,
  now: Date,
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): Date | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError('attemptNumber counts attempts from 1');
  }
  if (attemptNumber >= MAX_ATTEMPTS) return null;
  const draw = Math.min(Math.max(random(), 0), 1);
  const scheduled = RETRY_DELAYS_SECONDS[attemptNumber] * (1 + JITTER * (2 * draw - 1));
  const asked =
    retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds)
      ? Math.min(Math.max(retryAfterSeconds, 0), MAX_RETRY_AFTER_SECONDS)
      : 0;
  return new Date(now.getTime() + Math.round(Math.max(scheduled, asked) * 1000));
}
