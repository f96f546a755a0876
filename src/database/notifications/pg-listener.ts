import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Client, type Notification } from 'pg';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 30_000;
/** Channel names are SQL identifiers written into `LISTEN`: lower-case words only. */
const CHANNEL = /^[a-z][a-z0-9_]{0,62}$/;
/** How the connection shows in `pg_stat_activity`. */
export const LISTENER_APPLICATION_NAME = 'harbour-listener';

/** What a part of the application hears on one channel. */
export interface ChannelListener {
  /** A notification's payload, in the order PostgreSQL delivered them. */
  notified(payload: string): void;
  /**
   * The connection is (again) listening, or was lost: notifications sent while it was down are
   * gone, so whoever trusts them for freshness must stop trusting what it kept.
   */
  connectionChanged?(listening: boolean): void;
}

/**
 * The process's one dedicated PostgreSQL connection for LISTEN, shared by every part that hears
 * notifications (the live inbox, the actor cache). It connects when the first part asks to listen
 * and stays until shutdown; a dropped connection is reopened with a growing wait (100 ms doubling
 * to 30 s, with jitter), and every part is told when it is lost and when it listens again.
 */
@Injectable()
export class PgListener implements OnApplicationShutdown {
  private readonly channels = new Map<string, ChannelListener[]>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  /** The round trip in flight on the connection, and the one that waits for it to end. */
  private syncing: Promise<void> | undefined;
  private nextSync: Promise<void> | undefined;

  constructor(
    private readonly orm: MikroORM,
    @InjectPinoLogger(PgListener.name) private readonly logger: PinoLogger,
  ) {}

  /** Registers a listener of a channel (before the first `listening()`: channels are fixed then). */
  on(channel: string, listener: ChannelListener): void {
    if (!CHANNEL.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    if (this.client || this.connecting) throw new Error('Channels are registered before the connection opens');
    this.channels.set(channel, [...(this.channels.get(channel) ?? []), listener]);
  }

  /** True while the connection listens: notifications are being heard. */
  get isListening(): boolean {
    return this.client !== undefined;
  }

  /** Resolves once this process listens (at once when it already does); rejects when it cannot connect. */
  async listening(): Promise<void> {
    if (this.client) return;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    await this.connecting;
  }

  /**
   * Starts connecting unless the connection listens, is opening, or waits to reopen: for a part
   * that works without notifications meanwhile (it must not wait, nor open a connection per call).
   */
  listenSoon(): void {
    if (this.client || this.connecting || this.retryTimer || this.stopped) return;
    this.connecting = this.connect()
      .catch(() => undefined)
      .finally(() => (this.connecting = undefined));
  }

  /**
   * Resolves once every notification committed before this call has been heard: a round trip on
   * the LISTEN connection that begins after the call. PostgreSQL signals a listening session at the
   * notifying transaction's commit, and the session sends what it was signalled before it answers
   * the next query on its connection. Callers that arrive while a round trip is in flight share the
   * next one (at most one in flight, one waiting). Rejects when the connection is not listening.
   */
  sync(): Promise<void> {
    if (!this.syncing) {
      const client = this.client;
      if (!client) return Promise.reject(new Error('not listening'));
      this.syncing = client.query('select 1').then(
        () => {
          this.syncing = undefined;
        },
        (error: unknown) => {
          this.syncing = undefined;
          throw error;
        },
      );
      return this.syncing;
    }
    this.nextSync ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.nextSync = undefined;
        return this.sync();
      });
    return this.nextSync;
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
    const client = new Client({
      connectionString: this.orm.config.get('clientUrl'),
      application_name: LISTENER_APPLICATION_NAME,
    });
    client.on('notification', (message: Notification) => this.receive(message));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`listen ${channel}`);
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
    if (this.failures > 0) this.logger.info({ after: this.failures }, 'notifications: listening again');
    this.failures = 0;
    this.tellAll(true);
  }

  private receive(message: Notification): void {
    for (const listener of this.channels.get(message.channel) ?? []) listener.notified(message.payload ?? '');
  }

  private tellAll(listening: boolean): void {
    for (const listeners of this.channels.values())
      for (const listener of listeners) listener.connectionChanged?.(listening);
  }

  /** The connection failed or ended: forget it and reopen it after a wait, unless shutting down. */
  private lost(client: Client, error?: unknown): void {
    if (this.client === client) {
      this.client = undefined;
      this.tellAll(false);
    }
    if (this.stopped || this.retryTimer) return;
    this.failures += 1;
    const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1)) * (0.5 + Math.random() / 2);
    this.logger.warn(
      { ...(error ? { err: error } : {}), attempt: this.failures, retryInMs: Math.round(wait) },
      'notifications: the LISTEN connection was lost; reconnecting',
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.listenSoon();
    }, wait);
    this.retryTimer.unref();
  }
}
