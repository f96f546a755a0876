import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@harbour/graphql-kit';
import { PUBLIC_OPERATION, REQUIRED_PERMISSION, requestOf } from './authorization.decorators';
import { Permission } from './permissions';

/**
 * The one guard that enforces declared permissions. Runs after authentication has put the actor on
 * the request. Fails closed: an operation that declares neither a permission nor `@PublicOperation`
 * is a programming error and is refused.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_OPERATION, targets)) return true;
    const anyOf = this.reflector.getAllAndOverride<Permission[] | undefined>(REQUIRED_PERMISSION, targets);
    if (anyOf === undefined) {
      throw new Error(`Operation ${context.getClass().name}.${context.getHandler().name} declares no permission`);
    }
    const actor = requestOf(context).user;
    if (!actor) throw new UnauthenticatedError();
    if (!anyOf.some((permission) => actor.permissions.has(permission))) throw new ForbiddenError();
    return true;
  }
}
