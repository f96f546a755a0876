import { AuditCategory, AuditEvent, AuditTrail, auditContextOf } from '@harbour/audit';
import { Permission, hasPermission, type Actor } from '@harbour/authz';
import { BadUserInputError, NotFoundError, paginate, type Connection } from '@harbour/graphql-kit';
import type { FilterQuery } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { type AuditReader, PERSON_ENTITY_TYPES, toAuditEventModel } from './audit-event.mapper';
import { AuditEventsArgs, AuditEventsFilterInput } from './dto/audit-events.args';
import { AuditEventModel } from './models/audit-event.model';
import { afterAuditEvent, AUDIT_EVENT_ORDER, auditEventKey } from '../../common/keyset';

/** How far a reader reaches: one chain or every chain, and whether other organizations' events can come back. */
interface ReadScope {
  /** The one chain read, or null for every chain. */
  chainId: string | null;
  /** Events of other organizations may come back (pseudonymised). */
  crossOrganization: boolean;
}

/**
 * Reading the audit log. An auditor reads its own organization's chain; the network operator's
 * auditors read every chain, with other organizations' client ids pseudonymised and never usable as
 * a filter, so that the city can see the system work without following a person. Every read is
 * itself recorded, in the same transaction as the page it returns.
 */
@Injectable()
export class AuditEventsService {
  constructor(
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(actor: Actor, args: AuditEventsArgs): Promise<Connection<AuditEventModel>> {
    const filter = args.filter ?? {};
    requireValidRange(filter);
    const scope = scopeOf(actor, filter);
    const where = whereOf(actor, scope, filter);
    const reader: AuditReader = { ownChainId: actor.organizationId, pseudonymKey: this.config.audit.pseudonymKey };
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const page = await paginate(args, 3, {
        // Plain objects, not managed entities: nothing read here may ever reach a flush.
        rows: ({ limit, after }) =>
          em.find(AuditEvent, after ? { $and: [where, afterAuditEvent(after)] } : where, {
            orderBy: [...AUDIT_EVENT_ORDER],
            limit,
            disableIdentityMap: true,
          }),
        count: () => em.count(AuditEvent, where),
        keyOf: (event) => auditEventKey(event),
        toNode: (event) => toAuditEventModel(reader, event),
      });
      audit.record({
        action: 'audit.read',
        category: AuditCategory.READ,
        entityType: 'AuditChain',
        entityId: scope.chainId,
        details: { filters: filterNames(filter), returned: page.edges.length },
      });
      return page;
    });
  }
}

function requireValidRange(filter: AuditEventsFilterInput): void {
  if (filter.from && filter.to && filter.to.getTime() <= filter.from.getTime()) {
    throw new BadUserInputError('The time range is empty: `to` must be after `from`.', [
      { field: 'filter.to', message: 'must be after filter.from' },
    ]);
  }
}

function scopeOf(actor: Actor, filter: AuditEventsFilterInput): ReadScope {
  const target = filter.organizationId ?? null;
  if (!hasPermission(actor, Permission.AUDIT_READ_NETWORK)) {
    // Another organization's chain is answered like one that does not exist.
    if (target !== null && target !== actor.organizationId) throw new NotFoundError('Organization', target);
    return { chainId: actor.organizationId, crossOrganization: false };
  }
  const crossOrganization = target !== actor.organizationId;
  if (crossOrganization && filter.subjectClientId) {
    throw new BadUserInputError(
      'Events cannot be filtered by a client across organizations: only within your own organization.',
      [
        {
          field: 'filter.subjectClientId',
          message: 'cannot be filtered by across organizations: set filter.organizationId to your own organization',
        },
      ],
    );
  }
  if (crossOrganization && filter.entityId && filter.entityType && PERSON_ENTITY_TYPES.has(filter.entityType)) {
    throw new BadUserInputError(
      `${filter.entityType} ids cannot be filtered by across organizations: only within your own organization.`,
      [
        {
          field: 'filter.entityId',
          message: `cannot be filtered by across organizations for ${filter.entityType}: set filter.organizationId to your own organization`,
        },
      ],
    );
  }
  return { chainId: target, crossOrganization };
}

function whereOf(actor: Actor, scope: ReadScope, filter: AuditEventsFilterInput): FilterQuery<AuditEvent> {
  const conditions: FilterQuery<AuditEvent>[] = [];
  if (scope.chainId !== null) conditions.push({ chainId: scope.chainId });
  if (filter.from) conditions.push({ recordedAt: { $gte: filter.from } });
  if (filter.to) conditions.push({ recordedAt: { $lt: filter.to } });
  if (filter.actorId) conditions.push({ actorId: filter.actorId });
  if (filter.action) conditions.push({ action: filter.action });
  if (filter.entityType) conditions.push({ entityType: filter.entityType });
  if (filter.entityId) {
    conditions.push({ entityId: filter.entityId });
    // A person's id must not find their events in other organizations' chains.
    if (scope.crossOrganization) {
      conditions.push({
        $or: [
          { chainId: actor.organizationId },
          { entityType: null },
          { entityType: { $nin: [...PERSON_ENTITY_TYPES] } },
        ],
      });
    }
  }
  if (filter.subjectClientId) conditions.push({ subjectClientId: filter.subjectClientId });
  if (filter.outcome) conditions.push({ outcome: filter.outcome });
  return conditions.length === 0 ? {} : { $and: conditions };
}

/** The names of the filters used (never their values: the read's own event must not carry a client id). */
function filterNames(filter: AuditEventsFilterInput): string[] {
  return Object.entries(filter)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name]) => name)
    .sort();
}
