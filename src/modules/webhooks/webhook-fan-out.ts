import { type FeedEvent, type OutboxConsumer, OutboxRelay } from '@harbour/outbox';
import type { TransactionEventArgs } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { webhookBody } from './webhook-rules';

/**
 * Turns every committed outbox event into deliveries, inside the relay's transaction (they commit
 * with the relay's new position, or the events are handed out again — `on conflict do nothing`
 * makes that harmless): one per enabled endpoint of each organization the event names, whose event
 * types include it (or are empty). Each organization is told only of the events it is party to, and
 * the body never names the others told. Once the relay's transaction commits, this process's worker
 * is woken, so that a delivery leaves within moments rather than at the next tick.
 */
@Injectable()
export class WebhookFanOut implements OutboxConsumer, OnModuleInit {
  readonly name = 'webhooks';
  /** The relay transactions that created deliveries, to wake the worker when they commit. */
  private readonly wakeAfter = new WeakSet<object>();

  constructor(
    private readonly em: EntityManager,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  onModuleInit(): void {
    this.relay.register(this);
    this.em.getEventManager().registerSubscriber({
      afterTransactionCommit: (args: TransactionEventArgs) => {
        if (args.transaction && this.wakeAfter.has(args.transaction as object)) this.worker.wake();
      },
    });
  }

  async consume(em: EntityManager, events: readonly FeedEvent[]): Promise<void> {
    const rows = events.flatMap((event) => {
      const body = webhookBody(event.type, event.occurredAt, event.data);
      return event.organizationIds.map((organizationId) => ({
        event_id: event.id,
        event_type: event.type,
        body,
        organization_id: organizationId,
      }));
    });
    if (rows.length === 0) return;
    const now = this.clock.now();
    const created = await em.execute<{ id: string }[]>(
      `insert into webhook_delivery (id, endpoint_id, event_id, event_type, body, status, attempts, next_attempt_at, created_at)
       select gen_random_uuid(), e.id, x.event_id, x.event_type, x.body, 'PENDING', 0, ?, ?
         from jsonb_to_recordset(?::jsonb) as x (event_id uuid, event_type text, body text, organization_id uuid)
         join webhook_endpoint e on e.organization_id = x.organization_id and e.enabled
          and (cardinality(e.event_types) = 0 or x.event_type = any(e.event_types))
       on conflict (endpoint_id, event_id) do nothing
       returning id`,
      [now, now, JSON.stringify(rows)],
    );
    const transaction = em.getTransactionContext<object>();
    if (created.length > 0 && transaction) this.wakeAfter.add(transaction);
  }
}
