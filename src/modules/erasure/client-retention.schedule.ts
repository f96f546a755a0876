import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { PeriodicTask } from '../../common/periodic-task';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ClientRetention } from './client-retention';

/**
 * Runs the retention schedule (`CLIENT_ERASURE_SWEEP_SECONDS`, 0 turns it off): erases the personal
 * data of the clients due under `CLIENT_RETENTION_DAYS`. A sweep never overlaps the previous one in
 * this process (other processes are kept apart by row locks); a failed sweep is logged and retried
 * at the next tick. Logs counts only.
 */
@Injectable()
export class ClientRetentionSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(() => this.sweep());

  constructor(
    private readonly retention: ClientRetention,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(ClientRetentionSchedule.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.clients.erasureSweepSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async sweep(): Promise<void> {
    try {
      const erased = await this.retention.eraseDue();
      if (erased > 0) this.logger.info({ erased }, 'erased the personal data of clients past the retention period');
    } catch (error) {
      this.logger.error({ err: error }, 'client retention sweep failed; it runs again at the next tick');
    }
  }
}
