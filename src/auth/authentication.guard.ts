import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_OPERATION, requestOf } from '@harbour/authz';
import type { FastifyRequest } from 'fastify';
import { actorOf, type AuthenticatedRequest } from './request-authentication.hook';

/**
 * Puts the caller on the request before any operation runs, refusing every operation of a request
 * whose credential is present but not valid. A request without one goes on anonymously: the
 * PermissionGuard then lets only public operations through.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Plain HTTP endpoints that need no credential (health checks) ignore whatever is sent.
    if (
      context.getType() === 'http' &&
      this.reflector.getAllAndOverride<boolean>(PUBLIC_OPERATION, [context.getHandler(), context.getClass()])
    ) {
      return true;
    }
    await actorOf(requestOf(context) as FastifyRequest & AuthenticatedRequest);
    return true;
  }
}
