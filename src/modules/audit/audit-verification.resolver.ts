import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { AuditVerificationService } from './audit-verification.service';
import { AuditChainVerificationModel } from './models/audit-chain-verification.model';
import { AuditCheckpointModel } from './models/audit-checkpoint.model';

@Resolver()
export class AuditVerificationResolver {
  constructor(private readonly verification: AuditVerificationService) {}

  @Query(() => [AuditChainVerificationModel], {
    description:
      "Recomputes audit chains and says, per chain, whether it is intact and where it first breaks. Auditors and `AUDIT_READ` API clients verify their own organization's chain; another chain id is NOT_FOUND. The network operator's auditors verify every chain, or the one asked for. A large chain takes a while (about a million events in ten seconds). Every call is itself recorded as an `audit.verify` event.",
  })
  @RequirePermission(Permission.AUDIT_READ)
  verifyAuditLog(
    @CurrentActor() actor: Actor,
    @Args('chainId', {
      type: () => ID,
      nullable: true,
      description: "Only this chain: an organization's id, or `network`. Omitted: every chain you may verify.",
    })
    chainId?: string | null,
  ) {
    return this.verification.verify(actor, chainId ?? null);
  }

  @Query(() => AuditCheckpointModel, {
    description:
      'Signs the current heads of the chains you may verify (same reach as `verifyAuditLog`) so that you can store them away from the server and later prove that nothing was cut off the end of the log. Every call is itself recorded as an `audit.checkpoint` event.',
  })
  @RequirePermission(Permission.AUDIT_READ)
  auditCheckpoint(@CurrentActor() actor: Actor) {
    return this.verification.checkpoint(actor);
  }
}
