/**
 * A response's `Retry-After` (RFC 9110, section 10.2.3): whole seconds, or an HTTP date in the
 * preferred IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`). Anything else — the obsolete date
 * forms included — is ignored, so that the retry schedule applies. A date in the past means no
 * wait; any wait is capped at 24 hours, so that a receiver cannot park a delivery for longer than
 * the schedule itself spans.
 */
export const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** Seconds to wait from `nowMs` (milliseconds since the epoch), or undefined when there is no usable value. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text), MAX_RETRY_AFTER_SECONDS);
  const match = IMF_FIXDATE.exec(text);
  if (!match) return undefined;
  const [day, month, year, hour, minute, second] = [
    Number(match[1]),
    MONTHS.indexOf(match[2]),
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6]),
  ];
  const at = new Date(Date.UTC(year, month, day, hour, minute, second));
  // Date.UTC rolls 31 Feb over into March; such a date is not one.
  if (at.getUTCDate() !== day || at.getUTCMonth() !== month || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  return Math.min(Math.max(0, Math.ceil((at.getTime() - nowMs) / 1000)), MAX_RETRY_AFTER_SECONDS);
}
