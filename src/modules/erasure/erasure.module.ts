import { Module } from '@nestjs/common';
import { ConsentModule } from '../consent';
import { ClientErasureService } from './client-erasure.service';
import { ClientRetention } from './client-retention';
import { ClientRetentionSchedule } from './client-retention.schedule';
import { EraseClientResolver } from './erase-client.resolver';

/** Erasure of clients' personal data: on the client's request (`eraseClient`) and by the retention schedule. */
@Module({
  imports: [ConsentModule],
  providers: [ClientErasureService, ClientRetention, ClientRetentionSchedule, EraseClientResolver],
  exports: [ClientRetention],
})
export class ErasureModule {}
