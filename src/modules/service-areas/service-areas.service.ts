import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ServiceArea } from '../../common/service-area';
import { ServiceStatus } from '../directory';
import { Membership } from '../staff/membership.entity';
import { ServiceAreaOverview } from './models/service-area-overview.model';

interface AreaCount {
  area: ServiceArea;
  n: number;
}

/**
 * Who answers for each service area, and how much of the network works in it. It reads the
 * directory and the operator's staff — never a client, consent or referral — so, like the
 * directory, reading it writes no audit event.
 */
@Injectable()
export class ServiceAreasService {
  constructor(private readonly em: EntityManager) {}

  async overview(): Promise<ServiceAreaOverview[]> {
    const organizations = await this.em.execute<AreaCount[]>(
      `select area, count(*)::int as n from organization, unnest(service_areas) as area
       where active group by area`,
    );
    const services = await this.em.execute<AreaCount[]>(
      `select s.service_area as area, count(*)::int as n from service s
       join organization o on o.id = s.organization_id
       where o.active and s.status = ? group by s.service_area`,
      [ServiceStatus.ACTIVE],
    );
    const leads = await this.em.find(
      Membership,
      { active: true, leadServiceArea: { $ne: null } },
      { populate: ['organization'] },
    );
    const countOf = (rows: AreaCount[], area: ServiceArea) => rows.find((row) => row.area === area)?.n ?? 0;
    return Object.values(ServiceArea).map((area) => {
      const lead = leads.find((membership) => membership.leadServiceArea === area);
      const activeServiceCount = countOf(services, area);
      return {
        area,
        lead: lead
          ? {
              displayName: lead.displayName,
              organizationId: lead.organization.id,
              organizationName: lead.organization.name,
              email: lead.organization.email,
              phone: lead.organization.phone,
            }
          : null,
        hasLead: lead !== undefined,
        memberOrganizationCount: countOf(organizations, area),
        activeServiceCount,
        needsLead: activeServiceCount > 0 && lead === undefined,
      };
    });
  }
}
