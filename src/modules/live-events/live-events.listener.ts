import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Client, type Notification } from 'pg';
import { LIVE_EVENTS_CHANNEL, parseLiveEvents } from './live-event';
import { LiveEventsHub } from './live-events.hub';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 30_000;

/**
 * The process's one dedicated PostgreSQL connection that LISTENs for the relay's notifications and
 * hands their events to the in-process hub. It connects when the first subscriber arrives and stays
 * until shutdown; a dropped connection is reopened with a growing wait (100 ms doubling to 30 s,
 * with jitter). Notifications sent while it is down are lost to live subscribers: the live inbox is
 * best effort, and partners catch up through the change feed and webhooks.
 */
@Injectable()
export class LiveEventsListener implements OnApplicationShutdown {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly hub: LiveEventsHub,
    @InjectPinoLogger(LiveEventsListener.name) private readonly logger: PinoLogger,
  ) {}

  /** Resolves once this process listens (at once when it already does). */
  async listening(): Promise<void> {
    if (this.client) return;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    await this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.orm.config.get('clientUrl') });
    client.on('notification', (message: Notification) => this.receive(message));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${LIVE_EVENTS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) this.logger.info({ after: this.failures }, 'live events: listening again');
    this.failures = 0;
  }

  private receive(message: Notification): void {
    if (message.channel !== LIVE_EVENTS_CHANNEL || message.payload === undefined) return;
    const events = parseLiveEvents(message.payload);
    if (!events) {
      this.logger.warn('live events: ignored a notification that is not a batch of events');
      return;
    }
    this.hub.publish(events);
  }

  /** The connection failed or ended: forget it and reopen it after a wait, unless shutting down. */
  private lost(client: Client, error?: unknown): void {
    if (this.client === client) this.client = undefined;
    if (this.stopped || this.retryTimer) return;
    this.failures += 1;
    const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1)) * (0.5 + Math.random() / 2);
    this.logger.warn(
      { ...(error ? { err: error } : {}), attempt: this.failures, retryInMs: Math.round(wait) },
      'live events: the LISTEN connection was lost; reconnecting',
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.client || this.connecting) return;
      this.connecting = this.connect()
        .catch(() => undefined)
        .finally(() => (this.connecting = undefined));
    }, wait);
    this.retryTimer.unref();
  }
}
