import { MikroOrmModule } from '@mikro-orm/nestjs';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxFeed } from './outbox-feed';
import { OutboxRelayPosition } from './outbox-relay-position.entity';
import { OUTBOX_RELAY_OPTIONS, OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
import { Outbox } from './outbox.service';

/**
 * The transactional outbox, available to every module: `Outbox` to announce changes, `OutboxFeed`
 * to read them in commit-safe order, `OutboxRelay` for consumers that must hear of every event.
 */
@Global()
@Module({})
export class OutboxModule {
  static forRoot(relay: OutboxRelayOptions): DynamicModule {
    return {
      module: OutboxModule,
      imports: [MikroOrmModule.forFeature([OutboxEvent, OutboxRelayPosition])],
      providers: [Outbox, OutboxFeed, OutboxRelay, { provide: OUTBOX_RELAY_OPTIONS, useValue: relay }],
      exports: [Outbox, OutboxFeed, OutboxRelay],
    };
  }
}
