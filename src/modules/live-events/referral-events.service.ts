import { Permission } from '@harbour/authz';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { LiveCloseCode, type LiveConnection } from '../../graphql/live-connections';
import { WebhookEventType } from '../webhooks';
import type { ReferralEventsArgs } from './dto/referral-events.args';
import { LiveEventsHub } from './live-events.hub';
import { LiveEventsListener } from './live-events.listener';
import { isToldOf, type ReferralChangeModel, toReferralChangeModel } from '../partner-events';

/** The event types the schema names: an event of another type (a newer server's) is not sent to this one's subscribers. */
const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.values(WebhookEventType));

/** Reading referrals of either side lets a caller hear of their changes (`referralEvents`). */
export const REFERRAL_EVENTS_PERMISSIONS: [Permission, ...Permission[]] = [
  Permission.REFERRAL_INBOX_READ,
  Permission.REFERRAL_OUTBOX_READ,
];

/**
 * The live inbox: a subscriber hears of the committed events its organization is party to, as the
 * relay hands them out, on whichever server process it is connected to. Each event is filtered with
 * the connection's current actor (rechecked every SUBSCRIPTION_RECHECK_MS), so a role change applies
 * to the events that follow it.
 */
@Injectable()
export class ReferralEventsService {
  constructor(
    private readonly hub: LiveEventsHub,
    private readonly listener: LiveEventsListener,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The caller is the connection's actor, which the recheck keeps current. */
  async subscribe(
    connection: LiveConnection,
    args: ReferralEventsArgs,
  ): Promise<AsyncIterableIterator<ReferralChangeModel>> {
    await this.listener.listening();
    const types: ReadonlySet<string> = args.types?.length ? new Set(args.types) : KNOWN_TYPES;
    const release = connection.require(REFERRAL_EVENTS_PERMISSIONS);
    const events = this.hub.subscribe({
      accepts: (event) => types.has(event.type) && isToldOf(connection.actor, event),
      bufferEvents: this.config.subscriptions.bufferEvents,
      overflow: () =>
        connection.close(
          LiveCloseCode.SlowConsumer,
          `Slow consumer: over ${this.config.subscriptions.bufferEvents} events waiting. Reconnect and catch up.`,
        ),
    });
    return mapped(events, release);
  }
}

/** The hub's events as the subscription's models; ending it ends the hub's subscriber and releases the connection's requirement. */
function mapped(
  events: AsyncIterableIterator<Parameters<typeof toReferralChangeModel>[0]>,
  release: () => void,
): AsyncIterableIterator<ReferralChangeModel> {
  const finish = async (): Promise<IteratorResult<ReferralChangeModel>> => {
    release();
    await events.return?.();
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<ReferralChangeModel> = {
    async next() {
      const result = await events.next();
      if (result.done) return finish();
      return { value: toReferralChangeModel(result.value), done: false };
    },
    return: finish,
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
