import { Module } from '@nestjs/common';
import { AuditEventsResolver } from './audit-events.resolver';
import { AuditEventsService } from './audit-events.service';

/** Reading the audit log (`auditEvents`). The trail itself is the global AuditModule's. */
@Module({
  providers: [AuditEventsService, AuditEventsResolver],
})
export class AuditEventsModule {}
