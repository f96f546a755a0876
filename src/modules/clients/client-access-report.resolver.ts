import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { ClientAccessReportService } from './client-access-report.service';
import { ClientAccessReportArgs } from './dto/client-access-report.args';
import { ClientAccessEventConnection } from './models/client-access-event.model';

@Resolver()
export class ClientAccessReportResolver {
  constructor(private readonly reports: ClientAccessReportService) {}

  @Query(() => ClientAccessEventConnection, {
    description:
      "Who accessed one of your organization's clients — organization, roles, action, time and purpose — in every organization that did, newest first (the client's disclosure log). For caseworkers and auditors of the client's own organization (and `AUDIT_READ` API clients); any other client gives NOT_FOUND. The report is itself recorded (`client.accessReport`).",
  })
  @RequirePermission(Permission.CLIENT_ACCESS_REPORT)
  clientAccessReport(@CurrentActor() actor: Actor, @Args() args: ClientAccessReportArgs) {
    return this.reports.report(actor, args);
  }
}
