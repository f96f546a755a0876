import { EntityManager } from '@mikro-orm/postgresql';
import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { PublicOperation } from '@harbour/authz';
import type { FastifyReply } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { shippedMigrations } from '../database/migrations';

/** Liveness and readiness for orchestrators and for `npm start`'s own smoke check. */
@Controller('health')
export class HealthController {
  private readonly expected = shippedMigrations();

  constructor(
    private readonly em: EntityManager,
    @InjectPinoLogger(HealthController.name) private readonly logger: PinoLogger,
  ) {}

  @Get('live')
  @PublicOperation()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready = the database answers and every migration shipped with this build has been applied. */
  @Get('ready')
  @PublicOperation()
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; pendingMigrations?: string[] }> {
    try {
      const rows = await this.em.getConnection().execute<{ name: string }[]>('select name from mikro_orm_migrations');
      const applied = new Set(rows.map((row) => row.name));
      const pending = this.expected.filter((name) => !applied.has(name));
      if (pending.length > 0) {
        reply.status(HttpStatus.SERVICE_UNAVAILABLE);
        return { status: 'migrations pending', pendingMigrations: pending };
      }
      return { status: 'ok' };
    } catch (error) {
      this.logger.error({ err: error }, 'readiness check: the database is unreachable');
      reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'database unreachable' };
    }
  }
}
