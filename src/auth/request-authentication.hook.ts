import type { Actor } from '@harbour/authz';
import { UnauthenticatedError } from '@harbour/graphql-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Credential, RequestAuthenticator } from './request-authenticator';

/** A request after `authenticateRequests`: its credential, checked on first use and once only. */
export interface AuthenticatedRequest {
  user?: Actor;
  credential?: () => Promise<Credential>;
}

/**
 * Attaches to every request a lazy, memoized check of its `Authorization` header: the first guard,
 * plugin or resolver that needs the caller checks it, once per request, and a document refused
 * before any of them runs (a parse or validation error, an abuse limit) costs no database work.
 */
export function authenticateRequests(fastify: FastifyInstance, authenticator: RequestAuthenticator): void {
  fastify.addHook('onRequest', (request: FastifyRequest & AuthenticatedRequest, _reply, done) => {
    let checked: Promise<Credential> | undefined;
    request.credential = () => (checked ??= authenticator.authenticate(request.headers.authorization));
    done();
  });
}

/**
 * The caller of a request, or null without a credential. A credential that is present but invalid,
 * expired, revoked or no longer active is UNAUTHENTICATED; one that could not be checked (the
 * database is down, say) is not a bad credential and fails as an internal error.
 */
export async function actorOf(request: FastifyRequest & AuthenticatedRequest): Promise<Actor | null> {
  if (request.user) return request.user;
  const credential = request.credential ? await request.credential() : ({ kind: 'none' } as const);
  if (credential.kind === 'none') return null;
  if (credential.kind === 'invalid')
    throw new UnauthenticatedError('The access token or API key is invalid, expired, revoked or no longer active.');
  request.user = { ...credential.actor, request: { id: request.id, sourceAddress: request.ip } };
  return request.user;
}
