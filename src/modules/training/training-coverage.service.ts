import { AuditCategory, AuditTrail, auditContextOf } from '@harbour/audit';
import { Permission, hasPermission, type Actor } from '@harbour/authz';
import { ConnectionArgs, connectionOf, pageRequestOf, type Connection } from '@harbour/graphql-kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { readNameIdKey } from '../../common/keyset';
import type { ServiceArea } from '../../common/service-area';
import { audienceOf } from '../../common/training-audience';
import { Membership } from '../staff/membership.entity';
import { TrainingCoverageModel } from './models/training-coverage.model';

interface OrganizationRow {
  id: string;
  name: string;
}

interface AudienceRow {
  organization_id: string;
  area: ServiceArea | null;
  module_count: number;
  untrained: number;
}

interface StaffRow {
  organization_id: string;
  staff: number;
  untrained: number;
}

/** A membership's training is complete for `area` (null: ALL) when it has acknowledged every current module of it. */
const MISSES_MODULE_OF = (area: string) => `exists (
  select 1 from training_module t
  where t.service_area is not distinct from ${area}
    and not exists (select 1 from training_acknowledgement k
                    where k.account_id = m.account_id and k.module_id = t.id and k.version = t.version))`;

/**
 * How many of each organization's staff have acknowledged the training they must: counts only,
 * never who. The NETWORK_ADMIN reads every active organization; a SERVICE_AREA_LEAD the
 * organizations with an ACTIVE service in their area, with the audiences ALL and their area. Every
 * report is audited (`training.coverage`).
 */
@Injectable()
export class TrainingCoverageService {
  constructor(private readonly audit: AuditTrail) {}

  async coverage(actor: Actor, args: ConnectionArgs): Promise<Connection<TrainingCoverageModel>> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const area = await this.reach(em, actor);
      const request = pageRequestOf(args, 2);
      const after = request.after ? readNameIdKey(request.after) : null;
      const inArea = `(?::service_area is null or exists (select 1 from service s
          where s.organization_id = o.id and s.status = 'ACTIVE' and s.service_area = ?::service_area))`;
      const organizations = await em.execute<OrganizationRow[]>(
        `select o.id, o.name from organization o
         where o.active and ${inArea} and (?::text is null or (o.name, o.id) > (?::text, ?::uuid))
         order by o.name, o.id limit ?`,
        [area, area, after?.name ?? null, after?.name ?? null, after?.id ?? null, request.limit],
      );
      const [total] = await em.execute<{ n: number }[]>(
        `select count(*)::int as n from organization o where o.active and ${inArea}`,
        [area, area],
      );
      const rows = await this.countsOf(
        em,
        organizations.slice(0, args.first).map((o) => o.id),
        area,
      );
      audit.record({
        action: 'training.coverage',
        category: AuditCategory.READ,
        details: { serviceArea: area, organizations: Math.min(organizations.length, args.first) },
      });
      return connectionOf(args, request, organizations, {
        count: () => Promise.resolve(total.n),
        keyOf: (o) => [o.name, o.id],
        toNode: (o) => rows(o),
      });
    });
  }

  /** Null for the network operator's reach (every organization); the led area for a lead. */
  private async reach(em: EntityManager, actor: Actor): Promise<ServiceArea | null> {
    if (hasPermission(actor, Permission.TRAINING_COVERAGE_ANY)) return null;
    const membership = await em.findOneOrFail(Membership, {
      account: actor.id,
      organization: actor.organizationId,
      active: true,
    });
    return membership.leadServiceArea;
  }

  private async countsOf(
    em: EntityManager,
    organizationIds: string[],
    area: ServiceArea | null,
  ): Promise<(organization: OrganizationRow) => TrainingCoverageModel> {
    const ids = JSON.stringify(organizationIds);
    const staff = await em.execute<StaffRow[]>(
      `select m.organization_id, count(*)::int as staff,
         count(*) filter (where exists (
           select 1 from training_module t
           where (t.service_area is null or t.service_area in (
                   select s.service_area from service s where s.organization_id = m.organization_id and s.status = 'ACTIVE'))
             and not exists (select 1 from training_acknowledgement k
                             where k.account_id = m.account_id and k.module_id = t.id and k.version = t.version)))::int as untrained
       from membership m
       where m.active and m.organization_id in (select value::uuid from jsonb_array_elements_text(?::jsonb))
       group by m.organization_id`,
      [ids],
    );
    const audiences = await em.execute<AudienceRow[]>(
      `with audience as (
         select value::uuid as organization_id, null::service_area as area from jsonb_array_elements_text(?::jsonb)
         union
         select s.organization_id, s.service_area from service s
         where s.status = 'ACTIVE' and s.organization_id in (select value::uuid from jsonb_array_elements_text(?::jsonb))
           and (?::service_area is null or s.service_area = ?::service_area)
       )
       select a.organization_id, a.area,
         (select count(*) from training_module t where t.service_area is not distinct from a.area)::int as module_count,
         (select count(*) from membership m
          where m.active and m.organization_id = a.organization_id and ${MISSES_MODULE_OF('a.area')})::int as untrained
       from audience a
       order by a.area nulls first`,
      [ids, ids, area, area],
    );
    return (organization) => {
      const counts = staff.find((row) => row.organization_id === organization.id) ?? { staff: 0, untrained: 0 };
      return {
        organizationId: organization.id,
        organizationName: organization.name,
        staffCount: counts.staff,
        trainedCount: counts.staff - counts.untrained,
        untrainedCount: counts.untrained,
        audiences: audiences
          .filter((row) => row.organization_id === organization.id)
          .map((row) => ({
            audience: audienceOf(row.area),
            moduleCount: row.module_count,
            trainedCount: counts.staff - row.untrained,
            untrainedCount: row.untrained,
          })),
      };
    };
  }
}
