import { Global, Module } from '@nestjs/common';
import { IdempotencyPurgeSchedule } from './idempotency-purge';
import { Idempotency } from './idempotency.service';

/** Safe retries, for every module whose mutations take an idempotency key; and the purge of old keys. */
@Global()
@Module({ providers: [Idempotency, IdempotencyPurgeSchedule], exports: [Idempotency] })
export class IdempotencyModule {}
