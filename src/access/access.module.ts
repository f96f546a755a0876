import { Global, Module } from '@nestjs/common';
import { AccessGate } from './access-gate';

/** The access gate, for every module: the one way to reach an object by id for an actor. */
@Global()
@Module({ providers: [AccessGate], exports: [AccessGate] })
export class AccessModule {}
