import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PeriodicTask } from '../../common/periodic-task';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ReferralSystemSteps } from './referral-system-steps';

/**
 * Runs the expiry sweep on a schedule (`REFERRAL_EXPIRY_SWEEP_SECONDS`, 0 turns it off): referrals
 * still SENT when their consent expires are cancelled with CONSENT_EXPIRED. A sweep never overlaps
 * the previous one; a failed sweep is logged and retried at the next tick.
 */
@Injectable()
export class ReferralExpirySchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(() => this.sweep());

  constructor(
    private readonly referrals: ReferralSystemSteps,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(ReferralExpirySchedule.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.referrals.expirySweepSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async sweep(): Promise<void> {
    try {
      const expired = await this.referrals.expireSent();
      if (expired > 0) this.logger.info({ expired }, 'cancelled referrals whose consent expired while SENT');
    } catch (error) {
      this.logger.error({ err: error }, 'referral expiry sweep failed; it runs again at the next tick');
    }
  }
}
