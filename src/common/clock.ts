import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The time Harbour reasons with where time is a rule (a consent's expiry, its maximum length):
 * injected, so that tests can move it. Timestamps that only record when something happened come
 * from the database.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** Makes `Clock` injectable everywhere. */
@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
