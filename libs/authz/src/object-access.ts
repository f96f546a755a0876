import { NotFoundError } from '@harbour/graphql-kit/errors/domain-error';
import { Actor } from './actor';

/**
 * Object-level access: the object must exist *and* belong to the actor's organization. Both
 * failures give the same NOT_FOUND through this one code path, so another organization's ids
 * cannot be told apart from ids that do not exist.
 */
export function requireOwnedBy<T extends { organizationId: string }>(
  actor: Actor,
  entity: string,
  id: string,
  object: T | null | undefined,
): T {
  if (!object || object.organizationId !== actor.organizationId) throw new NotFoundError(entity, id);
  return object;
}
