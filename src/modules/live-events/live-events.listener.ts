import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PgListener } from '../../database/notifications/pg-listener';
import { LIVE_EVENTS_CHANNEL, parseLiveEvents } from './live-event';
import { LiveEventsHub } from './live-events.hub';

/**
 * Hands the relay's notifications, heard on the process's LISTEN connection, to the in-process hub.
 * The connection opens when the first subscriber arrives. Notifications sent while it is down are
 * lost to live subscribers: the live inbox is best effort, and partners catch up through the change
 * feed and webhooks.
 */
@Injectable()
export class LiveEventsListener implements OnModuleInit {
  constructor(
    private readonly listener: PgListener,
    private readonly hub: LiveEventsHub,
    @InjectPinoLogger(LiveEventsListener.name) private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    this.listener.on(LIVE_EVENTS_CHANNEL, { notified: (payload) => this.receive(payload) });
  }

  /** Resolves once this process listens (at once when it already does). */
  listening(): Promise<void> {
    return this.listener.listening();
  }

  private receive(payload: string): void {
    const events = parseLiveEvents(payload);
    if (!events) {
      this.logger.warn('live events: ignored a notification that is not a batch of events');
      return;
    }
    this.hub.publish(events);
  }
}
