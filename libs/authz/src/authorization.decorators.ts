import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor } from './actor';
import { Permission } from './permissions';

export const REQUIRED_PERMISSION = 'harbour:required-permission';
export const PUBLIC_OPERATION = 'harbour:public-operation';
export const RETURNS_CLIENT_DATA = 'harbour:returns-client-data';

/**
 * Declares the permissions an operation needs: the caller must hold at least one of them (the
 * service then decides, by the permission held, how far the caller reaches — e.g. any organization
 * or only its own). Every operation carries this or `@PublicOperation()`: the guard refuses
 * operations that declare neither (fail closed).
 */
export const RequirePermission = (...anyOf: [Permission, ...Permission[]]) => SetMetadata(REQUIRED_PERMISSION, anyOf);

/** An operation that needs no credential (login, accepting an invitation). */
export const PublicOperation = () => SetMetadata(PUBLIC_OPERATION, true);

/**
 * Marks an operation that returns a client's data (the routes of the client-data register): the
 * permission guard refuses it to a person who has not acknowledged their current training modules.
 * A contract test checks that every operation reaching client data carries it.
 */
export const ReturnsClientData = () => SetMetadata(RETURNS_CLIENT_DATA, true);

export interface RequestWithActor {
  user?: Actor;
}

/** A GraphQL context value, as Apollo hands it to resolvers (the request under either name). */
export interface GraphQLContextWithActor {
  req?: RequestWithActor;
  request?: RequestWithActor;
}

export function requestOf(context: ExecutionContext): RequestWithActor {
  if (context.getType<string>() === 'graphql') {
    return requestOfGraphQLContext(GqlExecutionContext.create(context).getContext<GraphQLContextWithActor>());
  }
  return context.switchToHttp().getRequest<RequestWithActor>();
}

function requestOfGraphQLContext(context: GraphQLContextWithActor): RequestWithActor {
  return (context.req ?? context.request) as RequestWithActor;
}

function authenticated(request: RequestWithActor): Actor {
  const actor = request.user;
  if (!actor) throw new Error('CurrentActor used on an operation without an authenticated actor');
  return actor;
}

/** The authenticated caller; only on operations that require a permission. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor =>
  authenticated(requestOf(context)),
);

/**
 * `@CurrentActor()` for a field resolver that takes GraphQL's own arguments `(parent, args,
 * context)` instead of parameter decorators. Nest calls such a resolver directly, where every
 * decorated one is wrapped (its parameters resolved and piped) at every call: on a page of 20
 * referrals that wrapping was about 5 % of the request's CPU. The operation that returned the
 * parent was authenticated and authorized; field resolvers get no guards either way.
 */
export function currentActorOf(context: GraphQLContextWithActor): Actor {
  return authenticated(requestOfGraphQLContext(context));
}

/** The caller on a public operation: the authenticated actor, or null for a caller without a credential. */
export const OptionalActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor | null => requestOf(context).user ?? null,
);
