import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Logger as ApolloLogger } from '@apollo/utils.logger';
import { NETWORK_CHAIN } from '@harbour/audit';
import {
  ABUSE_LIMITS,
  INPUT_LIMITS,
  abuseLimits,
  describeRootTypes,
  errorReportingPlugin,
  formatGraphQLError,
  inputSafetyPlugin,
  introspectionGatePlugin,
  loggableError,
  readGatePlugin,
  type ErrorReportingOptions,
  type TrustedDocuments,
} from '@harbour/graphql-kit';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { actorOf } from '../auth/request-authentication.hook';
import type { GraphQLContext } from '../auth/request-context';
import type { HarbourEnv } from '../config/app-config';
import { GRAPHQL_PATH, graphqlWsOptions } from './graphql-ws';
import type { LiveConnections } from './live-connections';

export interface GraphQLServerOptions {
  env: HarbourEnv;
  /** When set, only these documents run (and persisted queries look them up by hash). */
  trustedDocuments?: TrustedDocuments;
  /** The graphql-ws connections (subscriptions), and the schema their operations run against once built. */
  live: LiveConnections;
  schema: () => GraphQLSchema;
}

/** The audit chain arguments name a chain: an organization's id, or the network chain of callers without a credential. */
const ID_WORDS = {
  'Query.verifyAuditLog.chainId': [NETWORK_CHAIN],
  'AuditEventsFilterInput.organizationId': [NETWORK_CHAIN],
};

/**
 * Apollo Server's own log lines can quote an error's message (and so a request's data): the log
 * keeps their fixed text, up to the first colon, and what `loggableError` keeps of an error.
 */
function apolloLogger(logger: Logger): ApolloLogger {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...message: unknown[]) => {
      const error = message.find((part): part is Error => part instanceof Error);
      const text =
        typeof message[0] === 'string' ? message[0].split(':')[0].slice(0, 160) : 'Apollo Server reported a problem';
      logger[level]({ component: 'apollo', ...(error ? { err: loggableError(error) } : {}) }, text);
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/**
 * Apollo on Fastify, code-first. The schema is sorted so that `schema/schema.graphql` is stable;
 * errors go through graphql-kit's single formatter; abuse limits and the input rule run before any
 * resolver. Persisted queries are off unless the operator lists trusted documents: an open
 * persisted-query cache remembers every document anyone sent, and answers whether one was.
 */
export function graphqlOptions(logger: Logger, options: GraphQLServerOptions): ApolloDriverConfig {
  const limits = abuseLimits<GraphQLContext>();
  const trusted = options.trustedDocuments;
  const reporting: ErrorReportingOptions<GraphQLContext> = {
    requestId: (context) => context.requestId,
    logInternal: ({ requestId, error, path }) =>
      logger.error({ requestId, err: error, path }, 'unexpected error in GraphQL operation'),
  };
  return {
    autoSchemaFile: true,
    sortSchema: true,
    transformSchema: describeRootTypes({
      query:
        'Reads. Every query needs `Authorization: Bearer <access token or API key>`; lists are Relay connections (`first` ≤ 100, `after`). Objects of another organization that you may not see answer NOT_FOUND, exactly like ids that do not exist.',
      mutation:
        'Changes. `login` and `acceptInvitation` need no credential; every other mutation needs `Authorization: Bearer <access token or API key>` and a permission of your role or scopes (FORBIDDEN otherwise). Each mutation is one transaction: it happens completely or not at all. Every mutation that creates or changes something answers with a `<Something>Payload`: the object after the change, under a field named after it (`client`, `consent`, `location`, `organization`, `referral`, `service`, `staffMember`…), and `warnings`, things for the writer to review in what was saved (an empty list when there are none; the change was made either way). The credential mutations `login`, `acceptInvitation` and `changePassword` are the only exception: they answer with a `LoginPayload`, a new access token.',
      subscription:
        'Live events, over WebSocket only: graphql-ws (subprotocol `graphql-transport-ws`) on `/graphql`, the credential sent once in the `connection_init` payload as `{ "authorization": "Bearer <access token or API key>" }` and checked again every few seconds. The same limits as HTTP apply to each subscription document; messages are at most 256 kB. Queries and mutations go over HTTP.',
    }),
    path: GRAPHQL_PATH,
    playground: false,
    // Introspection itself is on; introspectionGatePlugin decides who may use it.
    introspection: true,
    persistedQueries: trusted ? { cache: trusted.cache(), ttl: null } : false,
    csrfPrevention: true,
    logger: apolloLogger(logger),
    // On Fastify, Apollo's integration passes the request and the reply.
    context: (request: FastifyRequest, reply: FastifyReply): GraphQLContext => ({
      req: request,
      reply,
      requestId: request.id,
    }),
    // graphql-ws only (the `graphql-transport-ws` protocol): the legacy subscriptions-transport-ws stays off.
    subscriptions: {
      'graphql-ws': graphqlWsOptions(
        options.live,
        options.schema,
        {
          parseOptions: limits.parseOptions,
          validationRules: limits.validationRules,
          inputSafety: { ...INPUT_LIMITS, idWords: ID_WORDS },
          maxCost: ABUSE_LIMITS.maxCost,
          trusted,
        },
        logger,
      ),
    },
    formatError: formatGraphQLError,
    // Nest would reset every answer that has `data` to HTTP 200, undoing the 503 of a database
    // outage (errorReportingPlugin). No other error of ours sets an HTTP status.
    preserveHttpStatusForExecutionErrors: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
    includeStacktraceInErrorResponses: limits.includeStacktraceInErrorResponses,
    plugins: [
      // Apollo installs its cache-control plugin unless told not to: it wraps every field's resolver
      // to compute cache hints that nothing of ours sets or reads (every answer is private, per caller).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      errorReportingPlugin<GraphQLContext>(reporting),
      // The response waits for the operation's READ events, not each field that shows client data.
      readGatePlugin<GraphQLContext>(reporting),
      ...(trusted ? [trusted.plugin<GraphQLContext>()] : []),
      // In production only callers with a valid credential see the schema; development keeps it open for newcomers.
      introspectionGatePlugin<GraphQLContext>(
        async (context) => options.env !== 'production' || (await actorOf(context.req).catch(() => null)) !== null,
      ),
      inputSafetyPlugin<GraphQLContext>({ ...INPUT_LIMITS, idWords: ID_WORDS }),
      ...limits.plugins,
    ],
  };
}
