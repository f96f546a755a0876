import { ApiScope, Permission, Role } from './permissions';

/**
 * Who is calling, for exactly one acting organization. Built per request from the credential by the
 * authentication strategies, with permissions looked up fresh (never frozen into a token).
 */
/** The HTTP request an actor is acting in: for the audit trail. */
export interface RequestInfo {
  readonly id: string;
  readonly sourceAddress: string;
}

export interface Actor {
  readonly kind: 'STAFF' | 'API_CLIENT';
  /** Staff account id or API client id. */
  readonly id: string;
  readonly organizationId: string;
  readonly roles: readonly Role[];
  readonly scopes: readonly ApiScope[];
  readonly permissions: ReadonlySet<Permission>;
  readonly request: RequestInfo;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}
