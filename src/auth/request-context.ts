import type { RequestInfo } from '@harbour/authz';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from './request-authentication.hook';

/** What every resolver receives as its GraphQL context: the request (with its lazily authenticated actor). */
export interface GraphQLContext {
  req: FastifyRequest & AuthenticatedRequest;
  reply?: FastifyReply;
  requestId: string;
}

/** The request an anonymous operation (sign-in, invitation) acts in, for the audit trail. */
export function requestInfoOf(context: GraphQLContext): RequestInfo {
  return { id: context.requestId, sourceAddress: context.req.ip };
}
