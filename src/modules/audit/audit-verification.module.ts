import { Module } from '@nestjs/common';
import { AuditVerificationResolver } from './audit-verification.resolver';
import { AuditVerificationService } from './audit-verification.service';

/** `verifyAuditLog` and `auditCheckpoint`: recomputing the chains and signing their heads. */
@Module({
  providers: [AuditVerificationService, AuditVerificationResolver],
})
export class AuditVerificationModule {}
