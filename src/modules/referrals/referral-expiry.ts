import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ReferralSystemSteps } from './referral-system-steps';

/**
 * Runs the expiry sweep on a schedule (`REFERRAL_EXPIRY_SWEEP_SECONDS`, 0 turns it off): referrals
 * still SENT when their consent expires are cancelled with CONSENT_EXPIRED. A sweep never overlaps
 * the previous one; a failed sweep is logged and retried at the next tick.
 */
@Injectable()
export class ReferralExpirySchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly referrals: ReferralSystemSteps,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(ReferralExpirySchedule.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.referrals.expirySweepSeconds;
    if (seconds === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
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
