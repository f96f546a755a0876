import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Actor } from '@harbour/authz/actor';
import type { CredentialActor } from './actor-loader.service';
import { PUBLIC_OPERATION, requestOf } from '@harbour/authz/authorization.decorators';
import { UnauthenticatedError } from '@harbour/graphql-kit/errors/domain-error';

/**
 * Authenticates every request that carries `Authorization`, through the Passport strategies, and
 * puts the Actor on the request. A request without it goes on anonymously: the PermissionGuard
 * then lets only public operations through. A credential that is present but invalid, expired,
 * revoked or deactivated is refused outright, on every operation.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override getRequest(context: ExecutionContext) {
    return requestOf(context);
  }

  getResponse() {
    return {};
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context) as { headers?: Record<string, unknown> };
    if (request.headers?.authorization === undefined) return true;
    // Plain HTTP endpoints that need no credential (health checks) ignore whatever is sent.
    if (context.getType() === 'http' && this.reflector.getAllAndOverride<boolean>(PUBLIC_OPERATION, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const authenticated = (await super.canActivate(context)) as boolean;
    const fastifyRequest = request as { user?: CredentialActor; id?: string; ip?: string };
    if (fastifyRequest.user) {
      // The actor carries the request it acts in, for the audit trail.
      const actor: Actor = { ...fastifyRequest.user, request: { id: fastifyRequest.id ?? 'unknown', sourceAddress: fastifyRequest.ip ?? 'unknown' } };
      fastifyRequest.user = actor;
    }
    return authenticated;
  }

  override handleRequest<T = Actor>(error: unknown, actor: T | false): T {
    // A strategy that failed to run (the database is down, say) is not a bad credential: it
    // surfaces as a masked, logged internal error rather than as UNAUTHENTICATED.
    if (error) throw error instanceof Error ? error : new Error('authentication strategy failed', { cause: error });
    if (!actor) throw new UnauthenticatedError('The access token or API key is invalid, expired, revoked or no longer active.');
    return actor;
  }
}
