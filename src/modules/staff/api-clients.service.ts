import { AuditCategory, AuditTrail, auditContextOf } from '@harbour/audit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Actor } from '@harbour/authz';
import { ConnectionArgs, paginate, type Connection } from '@harbour/graphql-kit';
import { generateApiKey } from '../../auth/api-key';
import { Organization } from '../organizations/organization.entity';
import { ApiClient } from './api-client.entity';
import { CreateApiClientInput } from './dto/create-api-client.input';
import { ApiClientModel, ApiClientPayload, CreateApiClientPayload } from './models/api-client.model';
import { afterKey, asDate } from '../../common/keyset';
import { AccessGate } from '../../access/access-gate';

function toModel(client: ApiClient): ApiClientModel {
  return {
    id: client.id,
    name: client.name,
    keyPrefix: client.keyPrefix,
    scopes: client.scopes,
    createdAt: client.createdAt,
    revokedAt: client.revokedAt,
    lastUsedAt: client.lastUsedAt,
    operatorsTrainingAttestedAt: client.operatorsTrainingAttestedAt,
  };
}

@Injectable()
export class ApiClientsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
  ) {}

  list(actor: Actor, args: ConnectionArgs): Promise<Connection<ApiClientModel>> {
    const where = { organization: actor.organizationId };
    return paginate(args, 2, {
      rows: ({ limit, after }) =>
        this.em.find(
          ApiClient,
          { ...where, ...afterKey(after, 'createdAt', asDate) },
          { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit },
        ),
      count: () => this.em.count(ApiClient, where),
      keyOf: (c) => [c.createdAt.toISOString(), c.id],
      toNode: toModel,
    });
  }

  async create(actor: Actor, input: CreateApiClientInput): Promise<CreateApiClientPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const key = generateApiKey();
      const client = em.create(ApiClient, {
        organization: em.getReference(Organization, actor.organizationId),
        name: input.name,
        keyPrefix: key.prefix,
        keyHash: key.hash,
        scopes: input.scopes,
        createdBy: actor.id,
        operatorsTrainingAttestedBy: actor.id,
        operatorsTrainingAttestedAt: new Date(),
      });
      audit.record({
        action: 'apiClient.create',
        category: AuditCategory.CREATE,
        entityType: 'ApiClient',
        entityId: client.id,
        details: { scopes: input.scopes, operatorsTrainedAttested: true },
      });
      await em.flush();
      return { apiClient: toModel(client), apiKey: key.key, warnings: [] };
    });
  }

  /** Takes effect on the key's next request (keys are looked up on every request). Idempotent. */
  async revoke(actor: Actor, id: string): Promise<ApiClientPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const client = await this.access.require(em, actor, 'ApiClient', id);
      client.revokedAt ??= new Date();
      audit.record({
        action: 'apiClient.revoke',
        category: AuditCategory.DELETE,
        entityType: 'ApiClient',
        entityId: client.id,
      });
      await em.flush();
      return { apiClient: toModel(client), warnings: [] };
    });
  }
}
