import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Actor } from '@harbour/authz/actor';
import { permissionsForRoles, permissionsForScopes } from '@harbour/authz/permissions';
import { ApiClient } from '../modules/staff/api-client.entity';
import { Membership } from '../modules/staff/membership.entity';
import { parseApiKey, secretMatches } from './api-key';

const LAST_USED_RESOLUTION_MS = 60_000;
/** What a credential establishes; the authentication guard adds the request it arrived in. */
export type CredentialActor = Omit<Actor, 'request'>;

/** Compared against when a prefix is unknown, so that both paths hash and compare alike. */
const UNKNOWN_PREFIX_HASH = '0'.repeat(64);

/**
 * Turns a verified credential into an Actor, looking roles and scopes up on every request so that
 * a deactivation, role change or revocation takes effect on the caller's next request.
 */
@Injectable()
export class ActorLoader {
  constructor(private readonly em: EntityManager) {}

  async forStaff(accountId: string, organizationId: string): Promise<CredentialActor | null> {
    const membership = await this.em.fork().findOne(
      Membership,
      { account: accountId, organization: { id: organizationId, active: true }, active: true },
      { fields: ['roles', 'account', 'organization.isNetworkOperator'] },
    );
    if (!membership) return null;
    return {
      kind: 'STAFF',
      id: accountId,
      organizationId,
      roles: membership.roles,
      scopes: [],
      permissions: permissionsForRoles(membership.roles, { networkOperator: membership.organization.isNetworkOperator }),
    };
  }

  async forApiKey(key: string): Promise<CredentialActor | null> {
    const parsed = parseApiKey(key);
    if (!parsed) return null;
    const em = this.em.fork();
    const client = await em.findOne(ApiClient, { keyPrefix: parsed.prefix }, { populate: ['organization'] });
    const matches = secretMatches(parsed.secret, client?.keyHash ?? UNKNOWN_PREFIX_HASH);
    if (!client || !matches || client.revokedAt !== null || !client.organization.active) return null;
    const now = new Date();
    if (!client.lastUsedAt || now.getTime() - client.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await em.nativeUpdate(ApiClient, { id: client.id }, { lastUsedAt: now });
    }
    return {
      kind: 'API_CLIENT',
      id: client.id,
      organizationId: client.organization.id,
      roles: [],
      scopes: client.scopes,
      permissions: permissionsForScopes(client.scopes),
    };
  }
}
