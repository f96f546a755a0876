import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { AuditEventsService } from './audit-events.service';
import { AuditEventsArgs } from './dto/audit-events.args';
import { AuditEventConnection, AuditEventModel } from './models/audit-event.model';

@Resolver(() => AuditEventModel)
export class AuditEventsResolver {
  constructor(private readonly events: AuditEventsService) {}

  @Query(() => AuditEventConnection, {
    description:
      "The audit log, newest first (by `recordedAt`, then `chainId` and `seq`, both descending). Auditors and `AUDIT_READ` API clients read their own organization's chain; another organization in `filter.organizationId` is NOT_FOUND. The network operator's auditors read every chain (or one, with `filter.organizationId`), with other organizations' client ids pseudonymised; they may filter by `subjectClientId` only within their own organization. Every call is itself recorded as an `audit.read` event.",
  })
  @RequirePermission(Permission.AUDIT_READ, Permission.AUDIT_READ_NETWORK)
  auditEvents(@CurrentActor() actor: Actor, @Args() args: AuditEventsArgs) {
    return this.events.list(actor, args);
  }
}
