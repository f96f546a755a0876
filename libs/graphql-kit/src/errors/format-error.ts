import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from './domain-error';

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
]);

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** graphql-js's "Did you mean …?" hints would let a prober enumerate fields, arguments and enum values. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

function isPublic(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) return true;
  const code = original instanceof GraphQLError ? original.extensions.code : undefined;
  return typeof code === 'string' && REQUEST_CODES.has(code);
}

/**
 * Apollo `formatError`, the one place where errors become what the caller sees. Domain errors keep
 * their code, message and field details; request errors keep graphql-js's message, minus its
 * suggestions; everything else is masked as INTERNAL_SERVER_ERROR — whatever NODE_ENV says: no
 * stack, no SQL, no driver text.
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
  if (isPublic(error)) {
    return { message: formatted.message.replace(SUGGESTION, ''), ...where, extensions: { code: formatted.extensions?.code } };
  }
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
            if (!isPublic(error)) options.logInternal({ requestId, error: unwrapResolverError(error), path: error.path });
          }
          return Promise.resolve();
        },
        willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return Promise.resolve();
          const requestId = options.requestId(contextValue);
          if (requestId === undefined) return Promise.resolve();
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
            ...e,
            message: e.extensions?.code === INTERNAL ? `Internal server error. Quote request id ${requestId} when reporting it.` : e.message,
            extensions: { ...e.extensions, requestId },
          }));
          return Promise.resolve();
        },
      });
    },
  };
}
