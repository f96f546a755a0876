import { ApiScope, Permission, Role } from './permissions';

/** The HTTP request an actor is acting in: for the audit trail. */
export interface RequestInfo {
  readonly id: string;
  readonly sourceAddress: string;
}

/** A training module the person has not acknowledged in its current version. Module facts only, never personal data. */
export interface PendingTraining {
  readonly id: string;
  readonly title: string;
  readonly version: number;
  /** The service area the module is for; null for every service area (ALL). */
  readonly serviceArea: string | null;
}

/**
 * Who is calling, for exactly one acting organization. Built per request from the credential by the
 * authentication strategies, with permissions looked up fresh (never frozen into a token).
 */
export interface Actor {
  readonly kind: 'STAFF' | 'API_CLIENT';
  /** Staff account id or API client id. */
  readonly id: string;
  readonly organizationId: string;
  readonly roles: readonly Role[];
  readonly scopes: readonly ApiScope[];
  readonly permissions: ReadonlySet<Permission>;
  /**
   * The current training modules this person must still acknowledge before operations that return
   * client data let them through (looked up with their roles, on every request). Always empty for
   * API clients: they are exempt, their operators' training attested when the key was created.
   */
  readonly pendingTraining: readonly PendingTraining[];
  readonly request: RequestInfo;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}
