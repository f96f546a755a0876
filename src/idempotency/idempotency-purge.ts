import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PeriodicTask } from '../common/periodic-task';
import { Idempotency } from './idempotency.service';

/** How often the purge runs: keys are forgotten at most this long after FORGET_KEYS_AFTER_HOURS. */
export const PURGE_EVERY_MS = 3_600_000;

/**
 * Forgets old idempotency keys: once at start (a server may have been down for a while), then every
 * hour. A purge never overlaps the previous one; a failed one is logged and runs again at the next
 * tick. It deletes technical records only (no client data, nothing a partner reads), so it writes
 * no audit event.
 */
@Injectable()
export class IdempotencyPurgeSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(() => this.purge());

  constructor(
    private readonly idempotency: Idempotency,
    @InjectPinoLogger(IdempotencyPurgeSchedule.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(PURGE_EVERY_MS, { immediately: true });
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async purge(): Promise<void> {
    try {
      const forgotten = await this.idempotency.purge();
      if (forgotten > 0) this.logger.info({ forgotten }, 'forgot idempotency keys past their window');
    } catch (error) {
      this.logger.error({ err: error }, 'idempotency purge failed; it runs again at the next tick');
    }
  }
}
