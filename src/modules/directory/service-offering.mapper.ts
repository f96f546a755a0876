import type { Actor } from '@harbour/authz';
import { toOrganizationModel } from '../organizations';
import { toLocationModel } from './location.mapper';
import { ServiceOfferingModel } from './models/service-offering.model';
import type { ServiceOffering } from './service-offering.entity';

/** Maps a service whose organization and locations are loaded; locations go through the confidentiality rule. */
export function toServiceOfferingModel(
  viewer: Pick<Actor, 'organizationId'>,
  service: ServiceOffering,
): ServiceOfferingModel {
  const locations = service.locations
    .getItems()
    .slice()
    .sort((a, b) => (a.name === b.name ? a.id.localeCompare(b.id) : a.name.localeCompare(b.name)));
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
