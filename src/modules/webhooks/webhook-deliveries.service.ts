import { AuditCategory, AuditTrail, auditContextOf } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { type Connection, type CursorKey, StateRefusedError, paginate, requireNoProblems } from '@harbour/graphql-kit';
import { type FilterQuery, LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AccessGate } from '../../access/access-gate';
import { Clock } from '../../common/clock';
import { asDate, readKey } from '../../common/keyset';
import { ReplayWebhookDeliveriesInput } from './dto/replay-webhook-deliveries.input';
import { WebhookDeliveriesArgs } from './dto/webhook-deliveries.args';
import { WebhookDeliveryModel, WebhookDeliveryPayload } from './models/webhook-delivery.model';
import { ReplayWebhookDeliveriesPayload } from './models/webhook-endpoint.model';
import { WebhookDelivery, WebhookDeliveryAttempt } from './webhook-delivery.entity';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import type { WebhookEndpoint } from './webhook-endpoint.entity';
import { toWebhookDeliveryModel, toWebhookEndpointModel } from './webhook.mapper';
import { replayRangeProblems } from './webhook-rules';
import { WebhookDeliveryStatus } from './webhook.enums';

/** Deliveries strictly after the cursor, newest first (created at, then id, both descending). */
function beforeKey(after: CursorKey | undefined): FilterQuery<WebhookDelivery> {
  if (!after) return {};
  const { sort, id } = readKey(after, asDate);
  return { $or: [{ createdAt: { $lt: sort } }, { createdAt: sort, id: { $lt: id } }] };
}

/** A disabled endpoint receives nothing: sending again to it would only wait. */
function requireEnabled(endpoint: WebhookEndpoint, field: string): void {
  if (!endpoint.enabled) {
    throw new StateRefusedError(
      `This webhook endpoint is disabled (${endpoint.disabledReason}): enable it with updateWebhookEndpoint first.`,
      [{ field, message: `endpoint is disabled (${endpoint.disabledReason})` }],
    );
  }
}

/**
 * An endpoint's delivery log and its recovery: every delivery with its attempts, a redelivery of
 * one (same body, same `webhook-id`, a new round of the retry schedule), and a replay of the FAILED
 * ones of a time range. Redeliveries and replays are audited.
 */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
    private readonly clock: Clock,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  /** The endpoint's deliveries, newest first, each with its attempts. */
  async list(actor: Actor, args: WebhookDeliveriesArgs): Promise<Connection<WebhookDeliveryModel>> {
    const endpoint = await this.access.require(this.em, actor, 'WebhookEndpoint', args.endpointId);
    const where: FilterQuery<WebhookDelivery> = {
      endpoint: endpoint.id,
      ...(args.status ? { status: args.status } : {}),
    };
    return paginate(args, 2, {
      rows: async ({ limit, after }) => {
        const deliveries = await this.em.find(
          WebhookDelivery,
          { $and: [where, beforeKey(after)] },
          { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit },
        );
        const attempts = await this.attemptsOf(this.em, deliveries);
        return deliveries.map((delivery) => toWebhookDeliveryModel(delivery, attempts.get(delivery.id) ?? []));
      },
      count: () => this.em.count(WebhookDelivery, where),
      keyOf: (delivery) => [delivery.createdAt.toISOString(), delivery.id],
      toNode: (delivery) => delivery,
    });
  }

  /** Sends a SUCCEEDED or FAILED delivery again: PENDING, due now, the same body and `webhook-id`. */
  async redeliver(actor: Actor, id: string): Promise<WebhookDeliveryPayload> {
    const payload = await this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const delivery = await this.access.require(em, actor, 'WebhookDelivery', id, {
        lock: LockMode.PESSIMISTIC_WRITE,
      });
      if (delivery.status === WebhookDeliveryStatus.PENDING) {
        throw new StateRefusedError(
          `This delivery is already ${WebhookDeliveryStatus.PENDING}: its next attempt is due at ${delivery.nextAttemptAt?.toISOString()}.`,
          [{ field: 'id', message: `delivery is ${WebhookDeliveryStatus.PENDING}` }],
        );
      }
      requireEnabled(delivery.endpoint, 'id');
      delivery.status = WebhookDeliveryStatus.PENDING;
      delivery.attempts = 0;
      delivery.nextAttemptAt = this.clock.now();
      delivery.lockedUntil = null;
      audit.record({
        action: 'webhookDelivery.redeliver',
        category: AuditCategory.EXECUTE,
        entityType: 'WebhookDelivery',
        entityId: delivery.id,
        details: { endpointId: delivery.endpoint.id, eventId: delivery.eventId },
      });
      await em.flush();
      const attempts = await this.attemptsOf(em, [delivery]);
      return { webhookDelivery: toWebhookDeliveryModel(delivery, attempts.get(delivery.id) ?? []), warnings: [] };
    });
    this.worker.wake();
    return payload;
  }

  /** Sends again every FAILED delivery of the endpoint created in [from, to): PENDING, due now. */
  async replay(actor: Actor, input: ReplayWebhookDeliveriesInput): Promise<ReplayWebhookDeliveriesPayload> {
    requireNoProblems(replayRangeProblems(input.from, input.to));
    const payload = await this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const endpoint = await this.access.require(em, actor, 'WebhookEndpoint', input.endpointId);
      requireEnabled(endpoint, 'input.endpointId');
      const now = this.clock.now();
      const replayed = await em.nativeUpdate(
        WebhookDelivery,
        {
          endpoint: endpoint.id,
          status: WebhookDeliveryStatus.FAILED,
          createdAt: { $gte: input.from, $lt: input.to },
        },
        { status: WebhookDeliveryStatus.PENDING, attempts: 0, nextAttemptAt: now, lockedUntil: null },
      );
      audit.record({
        action: 'webhookDelivery.replay',
        category: AuditCategory.EXECUTE,
        entityType: 'WebhookEndpoint',
        entityId: endpoint.id,
        details: { from: input.from.toISOString(), to: input.to.toISOString(), replayed },
      });
      return { webhookEndpoint: toWebhookEndpointModel(endpoint, now), replayed, warnings: [] };
    });
    if (payload.replayed > 0) this.worker.wake();
    return payload;
  }

  /** The attempts of these deliveries, by delivery id, in one query. */
  private async attemptsOf(
    em: EntityManager,
    deliveries: readonly WebhookDelivery[],
  ): Promise<Map<string, WebhookDeliveryAttempt[]>> {
    const byDelivery = new Map<string, WebhookDeliveryAttempt[]>();
    if (deliveries.length === 0) return byDelivery;
    const attempts = await em.find(
      WebhookDeliveryAttempt,
      { delivery: { $in: deliveries.map((delivery) => delivery.id) } },
      { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
    );
    for (const attempt of attempts) {
      const list = byDelivery.get(attempt.delivery.id) ?? [];
      list.push(attempt);
      byDelivery.set(attempt.delivery.id, list);
    }
    return byDelivery;
  }
}
