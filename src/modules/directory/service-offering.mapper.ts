import type { Actor } from '@harbour/authz';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toOrganizationModel, type OrganizationSource } from '../organizations';
import { toLocationModel, type LocationSource } from './location.mapper';
import { ServiceOfferingModel } from './models/service-offering.model';
import type { ServiceOffering } from './service-offering.entity';

/**
 * What the mapper reads of a service: an entity with its organization and locations loaded, or a
 * row read by `serviceRows` (its organization read beside it).
 */
export type ServiceSource = Pick<
  ServiceOffering,
  | 'id'
  | 'name'
  | 'alternateName'
  | 'description'
  | 'url'
  | 'email'
  | 'serviceArea'
  | 'languages'
  | 'eligibilityDescription'
  | 'minimumAge'
  | 'maximumAge'
  | 'status'
  | 'acceptsReferrals'
  | 'capacity'
  | 'assuredAt'
  | 'applicationProcess'
  | 'feesDescription'
  | 'schedules'
> & {
  readonly organization: OrganizationSource;
  readonly locations: Iterable<LocationSource>;
};

/** Maps a service whose organization and locations are loaded; locations go through the confidentiality rule. */
export function toServiceOfferingModel(
  viewer: Pick<Actor, 'organizationId'>,
  service: ServiceSource,
): ServiceOfferingModel {
  const locations = [...service.locations].sort((a, b) =>
    a.name === b.name ? a.id.localeCompare(b.id) : a.name.localeCompare(b.name),
  );
  return {
    id: service.id,
    organization: toOrganizationModel(service.organization),
    name: service.name,
    alternateName: service.alternateName,
    description: service.description,
    url: service.url,
    email: service.email,
    serviceArea: service.serviceArea,
    languages: [...service.languages],
    eligibilityDescription: service.eligibilityDescription,
    minimumAge: service.minimumAge,
    maximumAge: service.maximumAge,
    status: service.status,
    acceptsReferrals: service.acceptsReferrals,
    capacity: service.capacity,
    assuredAt: service.assuredAt,
    applicationProcess: service.applicationProcess,
    feesDescription: service.feesDescription,
    schedules: service.schedules.map((entry) => ({
      days: [...entry.days],
      opensAt: entry.opensAt,
      closesAt: entry.closesAt,
      description: entry.description ?? null,
    })),
    locations: locations.map((location) => toLocationModel(viewer, location)),
  };
}

/** A service as `serviceRows` reads it, before its organization is attached. */
export type ServiceRow = Omit<ServiceSource, 'organization' | 'assuredAt'> & {
  readonly organizationId: string;
  readonly assuredAt: Date | null;
};

/**
 * The services of `ids` with their locations, read as rows in one statement (no entity is
 * hydrated: the hot read paths map them straight to models). Their organizations are read apart
 * (organizationRows), with the other organizations a page names.
 */
export async function serviceRows(em: EntityManager, ids: readonly string[]): Promise<Map<string, ServiceRow>> {
  const rows = await em.execute<(Omit<ServiceRow, 'assuredAt'> & { assuredAt: string | null })[]>(
    `select s.id, s.organization_id as "organizationId", s.name, s.alternate_name as "alternateName", s.description,
       s.url, s.email, s.service_area as "serviceArea", s.languages, s.eligibility_description as "eligibilityDescription",
       s.minimum_age as "minimumAge", s.maximum_age as "maximumAge", s.status, s.accepts_referrals as "acceptsReferrals",
       s.capacity, to_json(s.assured_at) as "assuredAt", s.application_process as "applicationProcess",
       s.fees_description as "feesDescription", s.schedules, coalesce(located.locations, '[]') as locations
     from service s
       left join lateral (
         select json_agg(json_build_object('id', l.id, 'organizationId', l.organization_id, 'name', l.name,
           'kind', l.kind, 'description', l.description, 'addressLine1', l.address_line1, 'addressLine2', l.address_line2,
           'city', l.city, 'region', l.region, 'postalCode', l.postal_code, 'latitude', l.latitude,
           'longitude', l.longitude, 'url', l.url, 'confidential', l.confidential)) as locations
         from service_at_location sl join location l on l.id = sl.location_id where sl.service_id = s.id
       ) located on true
     where s.id in (${ids.map(() => '?').join(', ')})`,
    [...ids],
  );
  return new Map(
    rows.map((row) => [row.id, { ...row, assuredAt: row.assuredAt === null ? null : new Date(row.assuredAt) }]),
  );
}
