import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { type FeedEvent, type FeedPosition, OutboxFeed } from './outbox-feed';

/** The relay's row in `outbox_relay_position`. */
export const RELAY_NAME = 'relay';

export interface OutboxRelayOptions {
  /** How long an idle relay waits before it looks again; 0 = this process does not relay. */
  readonly intervalMs: number;
  /** Events handed to the consumers per transaction. */
  readonly batchSize?: number;
}

export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

/**
 * Something that must hear about every committed event, once per event, in feed order: the
 * webhook fan-out, the live subscriptions' NOTIFY. It runs inside the relay's transaction: what it
 * writes commits with the relay's new position, or the batch is handed out again.
 */
export interface OutboxConsumer {
  readonly name: string;
  consume(em: EntityManager, events: readonly FeedEvent[]): Promise<void>;
}

/**
 * Hands the commit-safe feed to the consumers, at least once, from any number of server
 * processes: each round locks the relay's position row with SKIP LOCKED (a second process skips
 * its round instead of handing out the same events), reads the next committed events after it,
 * lets every consumer write in the same transaction and moves the position. A crash anywhere
 * rolls the round back, and the next round hands the same events out again.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumers: OutboxConsumer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    private readonly feed: OutboxFeed,
    @Inject(OUTBOX_RELAY_OPTIONS) private readonly options: OutboxRelayOptions,
    @InjectPinoLogger(OutboxRelay.name) private readonly logger: PinoLogger,
  ) {}

  /** Consumers register at start-up; returns a function that removes the consumer again. */
  register(consumer: OutboxConsumer): () => void {
    this.consumers.push(consumer);
    return () => {
      const index = this.consumers.indexOf(consumer);
      if (index >= 0) this.consumers.splice(index, 1);
    };
  }

  onApplicationBootstrap(): void {
    if (this.options.intervalMs > 0) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * One round: the number of events handed out, or null when another process holds the relay.
   * Exposed for tests and tools; the schedule calls it in a loop.
   */
  async relayOnce(): Promise<number | null> {
    const batchSize = this.options.batchSize ?? 500;
    // Its own transaction always, never a savepoint of whatever transaction the caller's context holds.
    return this.em.fork({ disableContextResolution: true }).transactional(async (em) => {
      const [row] = await em.execute<{ tx_id: string | null; position: string | null }[]>(
        'select tx_id::text as tx_id, position::text as position from outbox_relay_position where name = ? for update skip locked',
        [RELAY_NAME],
      );
      if (!row) return null;
      const after: FeedPosition | null = row.tx_id && row.position ? { txId: row.tx_id, position: row.position } : null;
      const events = await this.feed.read(em, after, batchSize);
      if (events.length === 0) return 0;
      for (const consumer of this.consumers) await consumer.consume(em, events);
      const last = events[events.length - 1].at;
      await em.execute(
        'update outbox_relay_position set tx_id = ?::xid8, position = ?::bigint, updated_at = clock_timestamp() where name = ?',
        [last.txId, last.position, RELAY_NAME],
      );
      return events.length;
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => (this.running = undefined));
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    let next = this.options.intervalMs;
    try {
      const handed = await this.relayOnce();
      // A full batch means more is waiting: go again at once.
      if (handed === batchSize) next = 0;
    } catch (error) {
      this.logger.error({ err: error }, 'outbox relay round failed; the same events are handed out again next round');
    }
    this.schedule(next);
  }
}
