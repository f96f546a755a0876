import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Actor } from '@harbour/authz/actor';
import { requestOf } from '@harbour/authz/authorization.decorators';
import { UnauthenticatedError } from '@harbour/graphql-kit/errors/domain-error';

/**
 * Authenticates every request that carries `Authorization`, through the Passport strategies, and
 * puts the Actor on the request. A request without it goes on anonymously: the PermissionGuard
 * then lets only public operations through. A credential that is present but invalid, expired,
 * revoked or deactivated is refused outright, on every operation.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard(['api-key', 'jwt']) {
  override getRequest(context: ExecutionContext) {
    return requestOf(context);
  }

  getResponse() {
    return {};
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context) as { headers?: Record<string, unknown> };
    if (request.headers?.authorization === undefined) return true;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T = Actor>(error: unknown, actor: T | false): T {
    if (error || !actor) throw new UnauthenticatedError('The access token or API key is invalid, expired, revoked or no longer active.');
    return actor;
  }
}
