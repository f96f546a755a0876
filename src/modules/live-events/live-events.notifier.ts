import { type FeedEvent, type OutboxConsumer, OutboxRelay } from '@harbour/outbox';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { LIVE_EVENTS_CHANNEL, type LiveEvent, notifyPayloads } from './live-event';

/**
 * Tells every server process of the events the relay hands out, with `pg_notify` inside the relay's
 * transaction: PostgreSQL delivers the notifications when that transaction commits — after the
 * business commits, and only for what the relay hands out, once (one process relays at a time; a
 * round that rolls back notifies nothing and is handed out again). Never from a business
 * transaction: NOTIFY takes a lock at commit that serialises every notifying transaction.
 */
@Injectable()
export class LiveEventsNotifier implements OutboxConsumer, OnModuleInit {
  readonly name = 'live-events';

  constructor(
    private readonly relay: OutboxRelay,
    @InjectPinoLogger(LiveEventsNotifier.name) private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    this.relay.register(this);
  }

  async consume(em: EntityManager, events: readonly FeedEvent[]): Promise<void> {
    const live: LiveEvent[] = events.map((event) => ({
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      organizationIds: event.organizationIds,
      data: event.data,
    }));
    const { payloads, skipped } = notifyPayloads(live);
    if (skipped > 0)
      this.logger.error({ skipped }, 'outbox events too large for a live notification were not sent live');
    if (payloads.length === 0) return;
    // One statement for the whole batch, in the relay's transaction.
    await em.execute('select pg_notify(?, payload) from jsonb_array_elements_text(?::jsonb) as payload', [
      LIVE_EVENTS_CHANNEL,
      JSON.stringify(payloads),
    ]);
  }
}
