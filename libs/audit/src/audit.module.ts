import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AuditAnonymousBudget, AuditChainHead, AuditEvent } from './audit-event.entity';
import { AUDIT_OPTIONS, AuditTrail, type AuditOptions } from './audit-trail.service';

/** The audit trail, available to every module (every use case goes through it). */
@Global()
@Module({})
export class AuditModule {
  static forRoot(options: Partial<AuditOptions> = {}): DynamicModule {
    return {
      module: AuditModule,
      imports: [MikroOrmModule.forFeature([AuditEvent, AuditChainHead, AuditAnonymousBudget])],
      providers: [{ provide: AUDIT_OPTIONS, useValue: options }, AuditTrail],
      exports: [AuditTrail],
    };
  }
}
