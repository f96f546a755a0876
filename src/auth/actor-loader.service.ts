import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  Actor,
  permissionsForRoles,
  permissionsForScopes,
  type ApiScope,
  type PendingTraining,
  type Role,
} from '@harbour/authz';
import { ActorCache } from './actor-cache';
import { parseApiKey, secretMatches } from './api-key';

const LAST_USED_RESOLUTION_MS = 60_000;
/** What a credential establishes; the authentication guard adds the request it arrived in. */
export type CredentialActor = Omit<Actor, 'request'>;

/** Compared against when a prefix is unknown, so that both paths hash and compare alike. */
const UNKNOWN_PREFIX_HASH = '0'.repeat(64);

interface MembershipRow {
  roles: Role[];
  is_network_operator: boolean;
  pending_training: PendingTraining[];
}

interface ApiClientRow {
  id: string;
  organization_id: string;
  key_hash: string;
  scopes: ApiScope[];
  revoked: boolean;
  organization_active: boolean;
  /** lastUsedAt is older than LAST_USED_RESOLUTION_MS (or unset): time to move it. */
  last_used_stale: boolean;
}

/** An API client as kept between requests: when this process last knew its lastUsedAt to be fresh. */
interface KnownApiClient extends Omit<ApiClientRow, 'last_used_stale'> {
  /** performance.now() until which lastUsedAt needs no moving; 0 when it needs it now. */
  lastUsedFreshUntil: number;
}

/**
 * The current training modules the person has not acknowledged in their current version, for the
 * organization they act for: every module for ALL, and every module for the area of one of the
 * organization's ACTIVE services. A lateral subquery of the membership statement, so that the
 * training gate costs no statement of its own (and is kept and emptied with the roles).
 */
const PENDING_TRAINING = `cross join lateral (
    select coalesce(json_agg(json_build_object('id', t.id, 'title', t.title, 'version', t.version, 'serviceArea', t.service_area)
                             order by t.service_area nulls first, t.title, t.id), '[]'::json) as pending_training
    from training_module t
    where (t.service_area is null
           or t.service_area in (select s.service_area from service s where s.organization_id = m.organization_id and s.status = 'ACTIVE'))
      and not exists (select 1 from training_acknowledgement k
                      where k.account_id = m.account_id and k.module_id = t.id and k.version = t.version)
  ) p`;

/**
 * Turns a verified credential into an Actor: roles, scopes and pending training as they are now, so
 * that a deactivation, role change, revocation, password change or new training module takes
 * effect on the caller's next request. What a credential resolved to is kept in the ActorCache,
 * emptied by every such change (see there); an API key's secret is still compared on every request.
 *
 * A lookup reads with one plain statement rather than through the entity manager: building and
 * hydrating the same lookup through MikroORM costs about six times the CPU (≈2 ms against ≈0.3 ms
 * per request, measured by `npm run bench`), and nothing here is an entity the request changes.
 */
@Injectable()
export class ActorLoader {
  constructor(
    private readonly em: EntityManager,
    private readonly cache: ActorCache,
  ) {}

  /** A person acting for an organization, with a token issued at `credentialVersion` (a password change ends older tokens). */
  async forStaff(
    accountId: string,
    organizationId: string,
    credentialVersion: number,
  ): Promise<CredentialActor | null> {
    return this.cache.get(`staff:${accountId}:${organizationId}:${credentialVersion}`, () =>
      this.lookUpStaff(accountId, organizationId, credentialVersion),
    );
  }

  private async lookUpStaff(
    accountId: string,
    organizationId: string,
    credentialVersion: number,
  ): Promise<CredentialActor | null> {
    const [membership] = await this.connection().execute<MembershipRow[]>(
      `select m.roles, o.is_network_operator, p.pending_training
       from membership m join organization o on o.id = m.organization_id join staff_account a on a.id = m.account_id
       ${PENDING_TRAINING}
       where m.account_id = ? and m.organization_id = ? and m.active and o.active and a.credential_version = ?
       limit 1`,
      [accountId, organizationId, credentialVersion],
    );
    if (!membership) return null;
    return {
      kind: 'STAFF',
      id: accountId,
      organizationId,
      roles: membership.roles,
      scopes: [],
      permissions: permissionsForRoles(membership.roles, { networkOperator: membership.is_network_operator }),
      pendingTraining: membership.pending_training,
    };
  }

  async forApiKey(key: string): Promise<CredentialActor | null> {
    const parsed = parseApiKey(key);
    if (!parsed) return null;
    const client = await this.cache.get(`key:${parsed.prefix}`, () => this.lookUpApiClient(parsed.prefix));
    const matches = secretMatches(parsed.secret, client?.key_hash ?? UNKNOWN_PREFIX_HASH);
    if (!client || !matches || client.revoked || !client.organization_active) return null;
    if (performance.now() >= client.lastUsedFreshUntil) {
      // Several processes may each move it once a minute; the condition keeps the row unwritten meanwhile.
      await this.connection().execute(
        'update api_client set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - make_interval(secs => ?))',
        [client.id, LAST_USED_RESOLUTION_MS / 1000],
        'run',
      );
      client.lastUsedFreshUntil = performance.now() + LAST_USED_RESOLUTION_MS;
    }
    return {
      kind: 'API_CLIENT',
      id: client.id,
      organizationId: client.organization_id,
      roles: [],
      scopes: client.scopes,
      permissions: permissionsForScopes(client.scopes),
      // Exempt: the ORG_ADMIN attested, when creating the key, that its operators were trained.
      pendingTraining: [],
    };
  }

  private async lookUpApiClient(prefix: string): Promise<KnownApiClient | null> {
    const [row] = await this.connection().execute<ApiClientRow[]>(
      `select c.id, c.organization_id, c.key_hash, c.scopes, c.revoked_at is not null as revoked, o.active as organization_active,
         (c.last_used_at is null or c.last_used_at < now() - make_interval(secs => ?)) as last_used_stale
       from api_client c join organization o on o.id = c.organization_id
       where c.key_prefix = ?`,
      [LAST_USED_RESOLUTION_MS / 1000, prefix],
    );
    if (!row) return null;
    const { last_used_stale: stale, ...client } = row;
    return { ...client, lastUsedFreshUntil: stale ? 0 : performance.now() + LAST_USED_RESOLUTION_MS };
  }

  /**
   * The connection of the request's entity manager: the injected one may belong to another
   * application of the same process (the e2e tests boot several), whose pool may be closed.
   */
  private connection() {
    return this.em.getContext(false).getConnection();
  }
}
