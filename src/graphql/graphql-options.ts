import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { RequestInfo } from '@harbour/authz/actor';
import { abuseLimits } from '@harbour/graphql-kit/limits/abuse-limits';
import { errorReportingPlugin, formatGraphQLError } from '@harbour/graphql-kit/errors/format-error';
import { describeRootTypes } from '@harbour/graphql-kit/schema/root-descriptions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

export interface GraphQLContext {
  req: FastifyRequest;
  reply?: FastifyReply;
  requestId: string;
}

/** The request an anonymous operation (sign-in, invitation) acts in, for the audit trail. */
export function requestInfoOf(context: GraphQLContext): RequestInfo {
  return { id: context.requestId, sourceAddress: context.req.ip };
}

/**
 * Apollo on Fastify, code-first. The schema is sorted so that `schema/schema.graphql` is stable;
 * errors go through graphql-kit's single formatter; abuse limits run before any resolver.
 */
export function graphqlOptions(logger: Logger): ApolloDriverConfig {
  const limits = abuseLimits<GraphQLContext>();
  return {
    autoSchemaFile: true,
    sortSchema: true,
    transformSchema: describeRootTypes({
      query:
        'Reads. Every query needs `Authorization: Bearer <access token or API key>`; lists are Relay connections (`first` ≤ 100, `after`). Objects of another organization that you may not see answer NOT_FOUND, exactly like ids that do not exist.',
      mutation:
        'Changes. `login` and `acceptInvitation` need no credential; every other mutation needs `Authorization: Bearer <access token or API key>` and a permission of your role or scopes (FORBIDDEN otherwise). Each mutation is one transaction: it happens completely or not at all.',
    }),
    path: '/graphql',
    playground: false,
    introspection: true,
    csrfPrevention: true,
    // On Fastify, Apollo's integration passes the request and the reply.
    context: (request: FastifyRequest, reply: FastifyReply): GraphQLContext => ({ req: request, reply, requestId: request.id }),
    formatError: formatGraphQLError,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
    includeStacktraceInErrorResponses: limits.includeStacktraceInErrorResponses,
    plugins: [
      ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      errorReportingPlugin<GraphQLContext>({
        requestId: (context) => context.requestId,
        logInternal: ({ requestId, error, path }) => logger.error({ requestId, err: error, path }, 'unexpected error in GraphQL operation'),
      }),
      ...limits.plugins,
    ],
  };
}
