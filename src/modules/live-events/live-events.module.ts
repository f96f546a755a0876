import { Module } from '@nestjs/common';
import { LiveConnectionsModule } from '../../graphql/live-connections.module';
import { LiveEventsHub } from './live-events.hub';
import { LiveEventsListener } from './live-events.listener';
import { LiveEventsNotifier } from './live-events.notifier';
import { ReferralEventsResolver } from './referral-events.resolver';
import { ReferralEventsService } from './referral-events.service';

/**
 * The live inbox (`referralEvents`): the relay's consumer that NOTIFYs committed events, each
 * process's LISTEN connection and in-process hub, and the subscription.
 */
@Module({
  imports: [LiveConnectionsModule],
  providers: [LiveEventsNotifier, LiveEventsListener, LiveEventsHub, ReferralEventsService, ReferralEventsResolver],
  exports: [LiveEventsHub],
})
export class LiveEventsModule {}
