import { AuditCategory, AuditTrail, auditContextOf, presentFields } from '@harbour/audit';
import { QueryOrder } from '@mikro-orm/core';
import { EntityManager, type QueryBuilder } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Actor } from '@harbour/authz';
import {
  ConnectionArgs,
  NotFoundError,
  applyPresent,
  paginate,
  requireNoProblems,
  type Connection,
} from '@harbour/graphql-kit';
import { Organization } from '../organizations/organization.entity';
import { CapacitySignal, ServiceStatus } from './directory.enums';
import { CreateServiceInput } from './dto/create-service.input';
import { ScheduleEntryInput } from './dto/schedule-entry.input';
import { ServicesArgs, ServicesFilterInput } from './dto/services.args';
import { UpdateServiceInput } from './dto/update-service.input';
import { ServiceOfferingModel, ServiceOfferingPayload } from './models/service-offering.model';
import { ScheduleEntry, ServiceOffering } from './service-offering.entity';
import { toServiceOfferingModel } from './service-offering.mapper';
import { containsPattern } from '../../common/text';
import { isId } from '../../common/ids';
import { nameIdKey, readNameIdKey } from '../../common/keyset';
import { ageBoundsProblems } from './directory-rules';
import { AccessGate } from '../../access/access-gate';

/** Mean Earth radius (IUGG), for great-circle distances. */
const EARTH_RADIUS_KM = 6371.0088;

/**
 * Haversine distance in km from (?, ?) — latitude, longitude — to location `l`. `least(1, …)` keeps
 * rounding from pushing asin out of its domain.
 */
const DISTANCE_KM_SQL = `${EARTH_RADIUS_KM} * 2 * asin(least(1, sqrt(
  power(sin(radians(l.latitude - ?) / 2), 2)
  + cos(radians(?)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - ?) / 2), 2))))`;

/**
 * The directory's services: readable by every caller, written only by their own organization.
 * Locations reach callers through the confidentiality mapper; the distance filter follows the same
 * rule (a confidential location's coordinates count only for its own organization).
 */
@Injectable()
export class ServiceOfferingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
  ) {}

  async get(actor: Actor, id: string): Promise<ServiceOfferingModel> {
    const service = isId(id)
      ? await this.em.findOne(ServiceOffering, id, { populate: ['organization', 'locations'] })
      : null;
    if (!service) throw new NotFoundError('Service', id);
    return toServiceOfferingModel(actor, service);
  }

  /** Every status is listed unless `filter.status` says otherwise; ordered by name, then id. */
  list(actor: Actor, args: ServicesArgs): Promise<Connection<ServiceOfferingModel>> {
    return this.page(actor, args, args.filter ?? {});
  }

  /** `Organization.services`: the organization's services, every status, by name. */
  listOfOrganization(
    actor: Actor,
    organizationId: string,
    args: ConnectionArgs,
  ): Promise<Connection<ServiceOfferingModel>> {
    return this.page(actor, args, { organizationId });
  }

  async create(actor: Actor, input: CreateServiceInput): Promise<ServiceOfferingPayload> {
    requireNoProblems(
      ageBoundsProblems({ minimumAge: input.minimumAge ?? null, maximumAge: input.maximumAge ?? null }),
    );
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const organization = await em.findOneOrFail(Organization, actor.organizationId);
      const locations = await this.access.requireAll(em, actor, 'Location', input.locationIds ?? []);
      const service = em.create(ServiceOffering, {
        organization,
        name: input.name,
        alternateName: input.alternateName ?? null,
        description: input.description,
        url: input.url ?? null,
        email: input.email ?? null,
        serviceArea: input.serviceArea,
        languages: input.languages ?? [],
        eligibilityDescription: input.eligibilityDescription ?? null,
        minimumAge: input.minimumAge ?? null,
        maximumAge: input.maximumAge ?? null,
        status: input.status ?? ServiceStatus.ACTIVE,
        acceptsReferrals: input.acceptsReferrals ?? true,
        capacity: input.capacity ?? CapacitySignal.AVAILABLE,
        applicationProcess: input.applicationProcess ?? null,
        feesDescription: input.feesDescription ?? null,
        schedules: toSchedules(input.schedules ?? []),
        // Writing the record through Harbour is the organization confirming it.
        assuredAt: new Date(),
      });
      service.locations.set(locations);
      audit.record({
        action: 'service.create',
        category: AuditCategory.CREATE,
        entityType: 'Service',
        entityId: service.id,
      });
      await em.flush();
      return { service: toServiceOfferingModel(actor, service), warnings: [] };
    });
  }

  async update(actor: Actor, id: string, input: UpdateServiceInput): Promise<ServiceOfferingPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const service = await this.access.require(em, actor, 'Service', id);
      applyPresent(service, {
        name: input.name,
        alternateName: input.alternateName,
        description: input.description,
        url: input.url,
        email: input.email,
        serviceArea: input.serviceArea,
        languages: input.languages,
        eligibilityDescription: input.eligibilityDescription,
        minimumAge: input.minimumAge,
        maximumAge: input.maximumAge,
        status: input.status,
        acceptsReferrals: input.acceptsReferrals,
        capacity: input.capacity,
        applicationProcess: input.applicationProcess,
        feesDescription: input.feesDescription,
        schedules: input.schedules === undefined ? undefined : toSchedules(input.schedules),
      });
      requireNoProblems(ageBoundsProblems(service));
      if (input.locationIds !== undefined)
        service.locations.set(await this.access.requireAll(em, actor, 'Location', input.locationIds));
      service.assuredAt = new Date();
      audit.record({
        action: 'service.update',
        category: AuditCategory.UPDATE,
        entityType: 'Service',
        entityId: service.id,
        details: { fields: presentFields(input) },
      });
      await em.flush();
      return { service: toServiceOfferingModel(actor, service), warnings: [] };
    });
  }

  private page(
    actor: Actor,
    args: ConnectionArgs,
    filter: ServicesFilterInput,
  ): Promise<Connection<ServiceOfferingModel>> {
    return paginate(args, 2, {
      rows: async ({ limit, after }) => {
        const qb = this.filtered(actor, filter);
        if (after) {
          const { name, id } = readNameIdKey(after);
          qb.andWhere('(s.name, s.id) > (?, ?)', [name, id]);
        }
        const rows = await qb
          .orderBy([{ name: QueryOrder.ASC }, { id: QueryOrder.ASC }])
          .limit(limit)
          .getResultList();
        // One query per relation for the whole page, not one per service.
        await this.em.populate(rows, ['organization', 'locations']);
        return rows;
      },
      count: () => this.filtered(actor, filter).getCount(),
      keyOf: (row) => nameIdKey(row),
      toNode: (service) => toServiceOfferingModel(actor, service),
    });
  }

  private filtered(actor: Actor, filter: ServicesFilterInput): QueryBuilder<ServiceOffering> {
    const qb = this.em.createQueryBuilder(ServiceOffering, 's');
    if (filter.serviceArea) qb.andWhere({ serviceArea: filter.serviceArea });
    if (filter.acceptsReferrals !== undefined && filter.acceptsReferrals !== null)
      qb.andWhere({ acceptsReferrals: filter.acceptsReferrals });
    if (filter.capacity) qb.andWhere({ capacity: filter.capacity });
    if (filter.status) qb.andWhere({ status: filter.status });
    if (filter.organizationId) qb.andWhere({ organization: filter.organizationId });
    if (filter.text) {
      const pattern = containsPattern(filter.text);
      qb.andWhere({ $or: [{ name: { $ilike: pattern } }, { description: { $ilike: pattern } }] });
    }
    if (filter.language) {
      // Tags are case-insensitive; a bare language also matches its regional variants (fr → fr-CA).
      qb.andWhere(
        `exists (select 1 from unnest(s.languages) as spoken(tag) where lower(spoken.tag) = lower(?) or lower(spoken.tag) like lower(?) || '-%')`,
        [filter.language, filter.language],
      );
    }
    if (filter.near) {
      const { latitude, longitude, radiusKm } = filter.near;
      // Same rule as mayLocate(): a confidential location's coordinates count only for its own organization.
      qb.andWhere(
        `exists (select 1 from service_at_location sal join location l on l.id = sal.location_id
          where sal.service_id = s.id and l.latitude is not null and l.longitude is not null
            and (not l.confidential or l.organization_id = ?)
            and ${DISTANCE_KM_SQL} <= ?)`,
        [actor.organizationId, latitude, latitude, longitude, radiusKm],
      );
    }
    return qb;
  }
}

function toSchedules(entries: readonly ScheduleEntryInput[]): ScheduleEntry[] {
  return entries.map((entry) => ({
    days: [...entry.days],
    opensAt: entry.opensAt,
    closesAt: entry.closesAt,
    description: entry.description ?? null,
  }));
}
