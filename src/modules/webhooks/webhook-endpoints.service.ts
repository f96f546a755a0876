import { AuditCategory, AuditTrail, auditContextOf, presentFields } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { ConnectionArgs, StateRefusedError, paginate, type Connection } from '@harbour/graphql-kit';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccessGate } from '../../access/access-gate';
import { Clock } from '../../common/clock';
import { afterKey, asDate } from '../../common/keyset';
import { Organization } from '../organizations/organization.entity';
import { CreateWebhookEndpointInput } from './dto/create-webhook-endpoint.input';
import { UpdateWebhookEndpointInput } from './dto/update-webhook-endpoint.input';
import { WebhookDeliveryPayload } from './models/webhook-delivery.model';
import {
  CreateWebhookEndpointPayload,
  RotateWebhookSecretPayload,
  WebhookEndpointModel,
  WebhookEndpointPayload,
} from './models/webhook-endpoint.model';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { toWebhookDeliveryModel, toWebhookEndpointModel } from './webhook.mapper';
import { WebhookNetwork } from './webhook-network';
import { MAX_ENDPOINTS_PER_ORGANIZATION, SECRET_OVERLAP_MS, webhookBody } from './webhook-rules';
import { WebhookSecrets } from './webhook-secrets';
import { TEST_EVENT_TYPE, WebhookDisabledReason } from './webhook.enums';

/** What the audit log may hold of a URL: its host, never its path or query (which may carry a partner's token). */
function hostOf(url: string): string {
  return new URL(url).hostname;
}

/**
 * An organization's webhook endpoints: listing, creating (the secret shown once), changing,
 * deleting (its deliveries with it), rotating the secret and sending a test message. Every change
 * is audited with ids, hosts and field names — never a secret, never a URL's path or query.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
    private readonly clock: Clock,
    private readonly network: WebhookNetwork,
    private readonly secrets: WebhookSecrets,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  list(actor: Actor, args: ConnectionArgs): Promise<Connection<WebhookEndpointModel>> {
    const where = { organization: actor.organizationId };
    const now = this.clock.now();
    return paginate(args, 2, {
      rows: ({ limit, after }) =>
        this.em.find(
          WebhookEndpoint,
          { ...where, ...afterKey(after, 'createdAt', asDate) },
          { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit },
        ),
      count: () => this.em.count(WebhookEndpoint, where),
      keyOf: (endpoint) => [endpoint.createdAt.toISOString(), endpoint.id],
      toNode: (endpoint) => toWebhookEndpointModel(endpoint, now),
    });
  }

  async create(actor: Actor, input: CreateWebhookEndpointInput): Promise<CreateWebhookEndpointPayload> {
    const url = this.network.requireUrl(input.url, 'input.url');
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      // Two creations at once must not both pass the limit.
      await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
        `webhook_endpoint:${actor.organizationId}`,
      ]);
      if ((await em.count(WebhookEndpoint, { organization: actor.organizationId })) >= MAX_ENDPOINTS_PER_ORGANIZATION) {
        throw new StateRefusedError(
          `Your organization already has ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints, the most allowed: delete one before creating another.`,
          [{ field: 'input', message: `at most ${MAX_ENDPOINTS_PER_ORGANIZATION} endpoints per organization` }],
        );
      }
      const now = this.clock.now();
      const id = randomUUID();
      const { secret, sealed } = this.secrets.issue(id);
      const endpoint = em.create(WebhookEndpoint, {
        id,
        organization: em.getReference(Organization, actor.organizationId),
        url,
        description: input.description || null,
        eventTypes: input.eventTypes,
        secretSealed: sealed,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      });
      audit.record({
        action: 'webhookEndpoint.create',
        category: AuditCategory.CREATE,
        entityType: 'WebhookEndpoint',
        entityId: endpoint.id,
        details: { host: hostOf(url), eventTypes: input.eventTypes },
      });
      await em.flush();
      return { webhookEndpoint: toWebhookEndpointModel(endpoint, now), secret, warnings: [] };
    });
  }

  async update(actor: Actor, id: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointPayload> {
    const url = input.url === undefined ? undefined : this.network.requireUrl(input.url, 'input.url');
    let resumed = false;
    const payload = await this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const endpoint = await this.access.require(em, actor, 'WebhookEndpoint', id, {
        lock: LockMode.PESSIMISTIC_WRITE,
      });
      const now = this.clock.now();
      if (url !== undefined) endpoint.url = url;
      if (input.description !== undefined) endpoint.description = input.description || null;
      if (input.eventTypes !== undefined) endpoint.eventTypes = input.eventTypes;
      if (input.enabled === false && endpoint.enabled) {
        endpoint.enabled = false;
        endpoint.disabledReason = WebhookDisabledReason.ADMIN;
        endpoint.disabledAt = now;
      } else if (input.enabled === true && !endpoint.enabled) {
        // A fresh start: an old failure must not disable it again at its next failed attempt.
        endpoint.enabled = true;
        endpoint.disabledReason = null;
        endpoint.disabledAt = null;
        endpoint.failingSince = null;
        resumed = true;
      }
      endpoint.updatedAt = now;
      audit.record({
        action: 'webhookEndpoint.update',
        category: AuditCategory.UPDATE,
        entityType: 'WebhookEndpoint',
        entityId: endpoint.id,
        details: {
          fields: presentFields(input),
          ...(url !== undefined ? { host: hostOf(url) } : {}),
          enabled: endpoint.enabled,
        },
      });
      await em.flush();
      return { webhookEndpoint: toWebhookEndpointModel(endpoint, now), warnings: [] };
    });
    // Its pending deliveries waited while it was disabled.
    if (resumed) this.worker.wake();
    return payload;
  }

  /** Deletes the endpoint and every delivery to it (the database cascades). */
  async delete(actor: Actor, id: string): Promise<WebhookEndpointPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const endpoint = await this.access.require(em, actor, 'WebhookEndpoint', id, {
        lock: LockMode.PESSIMISTIC_WRITE,
      });
      const model = toWebhookEndpointModel(endpoint, this.clock.now());
      audit.record({
        action: 'webhookEndpoint.delete',
        category: AuditCategory.DELETE,
        entityType: 'WebhookEndpoint',
        entityId: endpoint.id,
        details: { host: hostOf(endpoint.url) },
      });
      em.remove(endpoint);
      await em.flush();
      return { webhookEndpoint: model, warnings: [] };
    });
  }

  /**
   * A new secret, shown once; the current one becomes the previous one and keeps signing beside it
   * for SECRET_OVERLAP_MS. Rotating again within that time ends the older secret at once.
   */
  async rotateSecret(actor: Actor, id: string): Promise<RotateWebhookSecretPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const endpoint = await this.access.require(em, actor, 'WebhookEndpoint', id, {
        lock: LockMode.PESSIMISTIC_WRITE,
      });
      const now = this.clock.now();
      const { secret, sealed } = this.secrets.issue(endpoint.id);
      endpoint.previousSecretSealed = endpoint.secretSealed;
      endpoint.previousSecretExpiresAt = new Date(now.getTime() + SECRET_OVERLAP_MS);
      endpoint.secretSealed = sealed;
      endpoint.updatedAt = now;
      audit.record({
        action: 'webhookEndpoint.rotateSecret',
        category: AuditCategory.UPDATE,
        entityType: 'WebhookEndpoint',
        entityId: endpoint.id,
        details: { previousSecretExpiresAt: endpoint.previousSecretExpiresAt.toISOString() },
      });
      await em.flush();
      return { webhookEndpoint: toWebhookEndpointModel(endpoint, now), secret, warnings: [] };
    });
  }

  /** A `webhook.test` message for this endpoint alone, through the same queue, worker and signatures as any event. */
  async sendTest(actor: Actor, id: string): Promise<WebhookDeliveryPayload> {
    const payload = await this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const endpoint = await this.access.require(em, actor, 'WebhookEndpoint', id);
      if (!endpoint.enabled) {
        throw new StateRefusedError(
          `This webhook endpoint is disabled (${endpoint.disabledReason}): enable it with updateWebhookEndpoint first.`,
          [{ field: 'id', message: `endpoint is disabled (${endpoint.disabledReason})` }],
        );
      }
      const now = this.clock.now();
      const delivery = em.create(WebhookDelivery, {
        endpoint,
        eventId: randomUUID(),
        eventType: TEST_EVENT_TYPE,
        body: webhookBody(TEST_EVENT_TYPE, now, { endpointId: endpoint.id }),
        nextAttemptAt: now,
        createdAt: now,
      });
      audit.record({
        action: 'webhookEndpoint.test',
        category: AuditCategory.EXECUTE,
        entityType: 'WebhookEndpoint',
        entityId: endpoint.id,
        details: { deliveryId: delivery.id },
      });
      await em.flush();
      return { webhookDelivery: toWebhookDeliveryModel(delivery, []), warnings: [] };
    });
    this.worker.wake();
    return payload;
  }
}
