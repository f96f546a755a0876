import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@harbour/graphql-kit';
import { PUBLIC_OPERATION, REQUIRED_PERMISSION, RETURNS_CLIENT_DATA, requestOf } from './authorization.decorators';
import { Permission } from './permissions';
import { AUTHZ_OPTIONS, requireTraining, type AuthzOptions } from './training-gate';

/**
 * The one guard that enforces declared permissions. Runs after authentication has put the actor on
 * the request. Fails closed: an operation that declares neither a permission nor `@PublicOperation`
 * is a programming error and is refused. An operation marked `@ReturnsClientData()` also passes the
 * training gate: a person with training still to acknowledge is refused (TRAINING_REQUIRED).
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  private readonly options: AuthzOptions;

  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(AUTHZ_OPTIONS) options?: AuthzOptions,
  ) {
    this.options = options ?? { trainingRequired: true };
  }

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
    if (this.reflector.getAllAndOverride<boolean>(RETURNS_CLIENT_DATA, targets)) requireTraining(actor, this.options);
    return true;
  }
}
