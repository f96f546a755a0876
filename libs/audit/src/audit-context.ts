import type { Actor, RequestInfo } from '@harbour/authz';
import { AuditActorKind, type AuditContext } from './audit.types';

/** The audit context of an authenticated caller: its chain is its acting organization's. */
export function auditContextOf(actor: Actor): AuditContext {
  return {
    actorKind: actor.kind === 'STAFF' ? AuditActorKind.STAFF : AuditActorKind.API_CLIENT,
    actorId: actor.id,
    organizationId: actor.organizationId,
    roles: actor.kind === 'STAFF' ? actor.roles : actor.scopes,
    requestId: actor.request.id,
    sourceAddress: actor.request.sourceAddress,
  };
}

/** A caller without a (valid) credential: recorded in the network chain. */
export function anonymousContext(request: RequestInfo | null): AuditContext {
  return {
    actorKind: AuditActorKind.ANONYMOUS,
    actorId: null,
    organizationId: null,
    roles: [],
    requestId: request?.id ?? null,
    sourceAddress: request?.sourceAddress ?? null,
  };
}

/** A person who has just proven who they are (sign-in, invitation accepted), acting for one organization. */
export function signedInContext(
  accountId: string,
  organizationId: string,
  roles: readonly string[],
  request: RequestInfo | null,
): AuditContext {
  return {
    actorKind: AuditActorKind.STAFF,
    actorId: accountId,
    organizationId,
    roles,
    requestId: request?.id ?? null,
    sourceAddress: request?.sourceAddress ?? null,
  };
}

/** Harbour itself (bootstrap commands, scheduled jobs). */
export function systemContext(organizationId: string | null): AuditContext {
  return {
    actorKind: AuditActorKind.SYSTEM,
    actorId: null,
    organizationId,
    roles: [],
    requestId: null,
    sourceAddress: null,
  };
}
