import type { Actor } from '@harbour/authz';
import type { Location } from './location.entity';
import { LocationModel } from './models/location.model';

/** What the mapper reads of a location: the entity's fields and the id of its organization. */
export type LocationSource = Pick<
  Location,
  | 'id'
  | 'name'
  | 'kind'
  | 'description'
  | 'addressLine1'
  | 'addressLine2'
  | 'city'
  | 'region'
  | 'postalCode'
  | 'latitude'
  | 'longitude'
  | 'url'
  | 'confidential'
  | 'organizationId'
>;

/**
 * Whether the viewer may see where a location is. The one rule for confidential locations, shared
 * by the mapper below and by the distance filter (which must not probe hidden coordinates).
 */
export function mayLocate(
  viewer: Pick<Actor, 'organizationId'>,
  location: Pick<LocationSource, 'confidential' | 'organizationId'>,
): boolean {
  return !location.confidential || location.organizationId === viewer.organizationId;
}

/**
 * The only place that decides what a caller sees of a location: a confidential one keeps its name,
 * kind and description for everyone, and its address, coordinates and URL for its own organization.
 */
export function toLocationModel(viewer: Pick<Actor, 'organizationId'>, location: LocationSource): LocationModel {
  const visible = mayLocate(viewer, location);
  return {
    id: location.id,
    name: location.name,
    kind: location.kind,
    description: location.description,
    confidential: location.confidential,
    addressLine1: visible ? location.addressLine1 : null,
    addressLine2: visible ? location.addressLine2 : null,
    city: visible ? location.city : null,
    region: visible ? location.region : null,
    postalCode: visible ? location.postalCode : null,
    latitude: visible ? location.latitude : null,
    longitude: visible ? location.longitude : null,
    url: visible ? location.url : null,
  };
}
