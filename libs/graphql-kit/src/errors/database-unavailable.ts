/**
 * Errors that mean "the database cannot be reached right now" rather than "this request is wrong"
 * or "Harbour is broken": the server refused or dropped the connection, is shutting down or
 * starting, has no connection slot left, or no pooled connection came free in time. A caller can
 * retry such a request shortly (with the same idempotency key), so it is answered with its own
 * code instead of being masked as an internal error.
 */

/** The code callers see, with HTTP 503 and `Retry-After`. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
/** How long a caller is told to wait before retrying, in seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/** Node's socket errors and PostgreSQL's SQLSTATEs of a connection that failed or is going away. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, or in recovery)
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
]);

/**
 * What node-postgres and knex say, with no code, when a connection ends or none comes free (knex
 * and MikroORM put the statement in front of the driver's message, so these are not anchored).
 */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/,
  /Client has encountered a connection error and is not queryable/,
  /Timeout acquiring a connection/,
  /timeout exceeded when trying to connect/,
];

/** True when the error, or one it wraps (`cause`, MikroORM's copied driver fields), is a database outage. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, message, name } = current as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (name === 'KnexTimeoutError') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
