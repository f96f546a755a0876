/**
 * What one delivery attempt came to, as the caller records it: a status, a duration and a class of
 * error — never the response's body or headers, nor any error message (which could repeat the
 * URL's query or what the receiver sent).
 */
import { parseRetryAfter } from './retry-after';

/**
 * - `URL_REFUSED`: the URL breaks the URL policy (checked again at delivery);
 * - `ADDRESS_REFUSED`: the host is, or resolves to, an address the address policy refuses (any
 *   one refused address refuses the delivery); nothing was connected to;
 * - `DNS`: the name did not resolve; `TIMEOUT`: no answer within the time allowed;
 * - `CONNECTION`: refused, reset or unreachable; `TLS`: the handshake or the certificate failed;
 * - `PROTOCOL`: the answer was not HTTP, or had a status outside 200–599;
 * - `HTTP_3XX` (redirects are not followed), `HTTP_4XX`, `HTTP_410` (gone: the receiver asks to
 *   stop; the caller disables the endpoint), `HTTP_5XX`.
 */
export type DeliveryErrorClass =
  | 'URL_REFUSED'
  | 'ADDRESS_REFUSED'
  | 'DNS'
  | 'TIMEOUT'
  | 'CONNECTION'
  | 'TLS'
  | 'PROTOCOL'
  | 'HTTP_3XX'
  | 'HTTP_4XX'
  | 'HTTP_410'
  | 'HTTP_5XX';

export interface DeliveryOutcome {
  /** A 2xx answer. */
  readonly ok: boolean;
  /** The HTTP status, when an answer came. */
  readonly status?: number;
  /** From the start of the attempt, DNS included, to its outcome. */
  readonly durationMs: number;
  /** Why the attempt failed; absent when `ok`. */
  readonly errorClass?: DeliveryErrorClass;
  /** The receiver's Retry-After on a 429, 502, 503 or 504, in seconds, capped at 24 hours. */
  readonly retryAfterSeconds?: number;
  /** True on a 410: the receiver no longer wants deliveries. */
  readonly gone?: boolean;
}

/** The statuses whose Retry-After is read. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export function outcomeOfStatus(
  status: number,
  retryAfter: string | undefined,
  nowMs: number,
): Omit<DeliveryOutcome, 'durationMs'> {
  if (status >= 200 && status <= 299) return { ok: true, status };
  if (status === 410) return { ok: false, status, errorClass: 'HTTP_410', gone: true };
  const errorClass: DeliveryErrorClass =
    status >= 300 && status <= 399
      ? 'HTTP_3XX'
      : status >= 400 && status <= 499
        ? 'HTTP_4XX'
        : status >= 500 && status <= 599
          ? 'HTTP_5XX'
          : 'PROTOCOL';
  const retryAfterSeconds = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(retryAfter, nowMs) : undefined;
  return retryAfterSeconds === undefined
    ? { ok: false, status, errorClass }
    : { ok: false, status, errorClass, retryAfterSeconds };
}
