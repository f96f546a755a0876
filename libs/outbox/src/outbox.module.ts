import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { OutboxEvent } from './outbox-event.entity';
import { Outbox } from './outbox.service';

/** The transactional outbox, available to every module that announces changes. */
@Global()
@Module({
  imports: [MikroOrmModule.forFeature([OutboxEvent])],
  providers: [Outbox],
  exports: [Outbox],
})
export class OutboxModule {}
