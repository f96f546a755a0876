import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable, SERVICE_UNAVAILABLE, UNAVAILABLE_RETRY_AFTER_SECONDS } from './database-unavailable';
import { DomainError } from './domain-error';
import { withoutRawInput } from './raw-input';

/**
 * Codes that graphql-js and Apollo attach to problems with the request itself (parse, validation,
 * variable coercion, abuse limits). They are raised before any resolver runs and say nothing about
 * the server's internals, so they reach the caller as they are.
 */
const REQUEST_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // Introspection asked for without a credential where the server requires one.
  'UNAUTHENTICATED',
]);

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** graphql-js's "Did you mean …?" hints would let a prober enumerate fields, arguments and enum values. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * The code of a problem with the request itself. Apollo answers a few of those (a persisted-query
 * hash that does not match its document, an unsupported version) with an HTTP 4xx and no code.
 */
function requestCodeOf(error: unknown): string | undefined {
  const original = unwrapResolverError(error);
  if (!(original instanceof GraphQLError)) return undefined;
  const code = original.extensions.code;
  if (typeof code === 'string') return REQUEST_CODES.has(code) ? code : undefined;
  const status = (original.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'BAD_REQUEST' : undefined;
}

function isPublic(error: unknown): boolean {
  return unwrapResolverError(error) instanceof DomainError || requestCodeOf(error) !== undefined;
}

/** A database outage: answered with its own code so that callers retry; still logged, as the operator must hear of it. */
function isOutage(error: unknown): boolean {
  return isDatabaseUnavailable(unwrapResolverError(error));
}

/**
 * Apollo `formatError`, the one place where errors become what the caller sees. Domain errors keep
 * their code, message and field details; request errors keep graphql-js's message, minus its
 * suggestions and any value it quotes, and their field details; a database outage is
 * SERVICE_UNAVAILABLE with `retryAfter` (HTTP 503, see errorReportingPlugin); everything else is
 * masked as INTERNAL_SERVER_ERROR — whatever NODE_ENV says: no stack, no SQL, no driver text.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return { message: original.message, ...where, extensions: { ...original.details, code: original.code } };
  }
  const requestCode = requestCodeOf(error);
  if (requestCode !== undefined) {
    const fields = formatted.extensions?.fields;
    return {
      message: withoutRawInput(formatted.message.replace(SUGGESTION, '')),
      ...where,
      extensions: { code: requestCode, ...(Array.isArray(fields) ? { fields } : {}) },
    };
  }
  if (isOutage(error))
    return {
      message: `Harbour cannot reach its database at the moment. Retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} second(s), with the same idempotency key for a change.`,
      ...where,
      extensions: { code: SERVICE_UNAVAILABLE, retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS },
    };
  return { message: 'Internal server error.', ...where, extensions: { code: INTERNAL } };
}

export interface ErrorReportingOptions<TContext> {
  requestId(context: TContext): string | undefined;
  /** Receives every masked error with the request id the caller was given. */
  logInternal(entry: { requestId: string | undefined; error: unknown; path?: readonly (string | number)[] }): void;
}

/**
 * Companion of `formatGraphQLError`: logs the originals of masked errors and stamps the request id
 * onto every error in the response, so a caller's report and the server log meet on one id.
 */
export function errorReportingPlugin<TContext extends BaseContext>(
  options: ErrorReportingOptions<TContext>,
): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didEncounterErrors({ errors, contextValue }) {
          const requestId = options.requestId(contextValue);
          for (const error of errors) {
            if (!isPublic(error))
              options.logInternal({ requestId, error: unwrapResolverError(error), path: error.path });
          }
          return Promise.resolve();
        },
        willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return Promise.resolve();
          // An outage answers 503 with Retry-After, as a rate limit answers 429: clients and proxies retry on it.
          if (response.body.singleResult.errors.some((e) => e.extensions?.code === SERVICE_UNAVAILABLE)) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
          }
          const requestId = options.requestId(contextValue);
          if (requestId === undefined) return Promise.resolve();
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
            ...e,
            message:
              e.extensions?.code === INTERNAL
                ? `Internal server error. Quote request id ${requestId} when reporting it.`
                : e.message,
            extensions: { ...e.extensions, requestId },
          }));
          return Promise.resolve();
        },
      });
    },
  };
}
