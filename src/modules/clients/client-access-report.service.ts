import { AuditCategory, AuditEvent, AuditTrail, auditContextOf } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { paginate, type Connection } from '@harbour/graphql-kit';
import type { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Organization } from '../organizations/organization.entity';
import { toOrganizationModel } from '../organizations';
import { ClientDataPurpose } from './client-reads';
import { ClientAccessReportArgs } from './dto/client-access-report.args';
import { ClientAccessEventModel } from './models/client-access-event.model';
import { afterAuditEvent, AUDIT_EVENT_ORDER, auditEventKey } from '../../common/keyset';
import { AccessGate } from '../../access/access-gate';

/**
 * Who accessed a client's data (the disclosure log of MFIPPA s.35): every audit event that names
 * the client as its subject, in whichever organization's chain it was recorded. Only the client's
 * own organization may ask, about its own client; the report is itself recorded, in the same
 * transaction as the page it returns.
 */
@Injectable()
export class ClientAccessReportService {
  constructor(
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
  ) {}

  async report(actor: Actor, args: ClientAccessReportArgs): Promise<Connection<ClientAccessEventModel>> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const client = await this.access.require(em, actor, 'Client', args.clientId);
      const where: FilterQuery<AuditEvent> = { subjectClientId: client.id };
      const organizations = new Map<string, Organization>();
      const page = await paginate(args, 3, {
        rows: async ({ limit, after }) => {
          // Plain objects, not managed entities: nothing read here may ever reach a flush.
          const events = await em.find(AuditEvent, after ? { $and: [where, afterAuditEvent(after)] } : where, {
            orderBy: [...AUDIT_EVENT_ORDER],
            limit,
            disableIdentityMap: true,
          });
          const ids = [
            ...new Set(events.map((event) => event.actorOrganizationId).filter((id): id is string => id !== null)),
          ];
          if (ids.length > 0)
            for (const organization of await em.find(Organization, { id: { $in: ids } }))
              organizations.set(organization.id, organization);
          return events;
        },
        count: () => em.count(AuditEvent, where),
        keyOf: (event) => auditEventKey(event),
        toNode: (event) => toAccessEvent(actor, event, organizations),
      });
      audit.record({
        action: 'client.accessReport',
        category: AuditCategory.READ,
        entityType: 'Client',
        entityId: client.id,
        subjectClientId: client.id,
        purpose: ClientDataPurpose.ACCESS_REVIEW,
        details: { returned: page.edges.length },
      });
      return page;
    });
  }
}

function toAccessEvent(
  actor: Actor,
  event: AuditEvent,
  organizations: ReadonlyMap<string, Organization>,
): ClientAccessEventModel {
  const organization = event.actorOrganizationId === null ? undefined : organizations.get(event.actorOrganizationId);
  return {
    recordedAt: event.recordedAt,
    organization: organization ? toOrganizationModel(organization) : null,
    actorKind: event.actorKind,
    actorRoles: [...event.actorRoles],
    actorId: event.actorOrganizationId === actor.organizationId ? event.actorId : null,
    action: event.action,
    category: event.category,
    outcome: event.outcome,
    purpose: event.purpose,
  };
}
