import { Global, Module } from '@nestjs/common';
import { PgListener } from './pg-listener';

/** The process's one LISTEN connection, for every module that hears PostgreSQL notifications. */
@Global()
@Module({ providers: [PgListener], exports: [PgListener] })
export class NotificationsModule {}
