import type { EntityManager } from '@mikro-orm/postgresql';
import { OrganizationModel } from './models/organization.model';
import { Organization } from './organization.entity';

/** What the mapper reads of an organization: an entity, or a row read by `organizationRows`. */
export type OrganizationSource = Pick<
  Organization,
  | 'id'
  | 'name'
  | 'alternateName'
  | 'description'
  | 'kind'
  | 'email'
  | 'website'
  | 'phone'
  | 'serviceAreas'
  | 'isNetworkOperator'
  | 'active'
  | 'createdAt'
  | 'updatedAt'
>;

export function toOrganizationModel(organization: OrganizationSource): OrganizationModel {
  return {
    id: organization.id,
    name: organization.name,
    alternateName: organization.alternateName,
    description: organization.description,
    kind: organization.kind,
    email: organization.email,
    website: organization.website,
    phone: organization.phone,
    serviceAreas: [...organization.serviceAreas],
    isNetworkOperator: organization.isNetworkOperator,
    active: organization.active,
    createdAt: organization.createdAt,
    updatedAt: organization.updatedAt,
  };
}

/**
 * The organizations of `ids`, and those of the services of `serviceIds`, read as rows in one
 * statement, in `em`'s transaction if it has one (no entity is hydrated: the hot read paths map them straight to models).
 */
export async function organizationRows(
  em: EntityManager,
  ids: readonly string[],
  serviceIds: readonly string[] = [],
): Promise<Map<string, OrganizationSource>> {
  const byService = serviceIds.length
    ? ` or o.id in (select s.organization_id from service s where s.id in (${serviceIds.map(() => '?').join(', ')}))`
    : '';
  const rows = await em.execute<(Omit<OrganizationSource, 'createdAt' | 'updatedAt'> & Stamps)[]>(
    `select o.id, o.name, o.alternate_name as "alternateName", o.description, o.kind, o.email, o.website, o.phone,
       o.service_areas as "serviceAreas", o.is_network_operator as "isNetworkOperator", o.active,
       to_json(o.created_at) as "createdAt", to_json(o.updated_at) as "updatedAt"
     from organization o where o.id in (${ids.map(() => '?').join(', ')})${byService}`,
    [...ids, ...serviceIds],
  );
  return new Map(
    rows.map((row) => [row.id, { ...row, createdAt: new Date(row.createdAt), updatedAt: new Date(row.updatedAt) }]),
  );
}

/** Timestamps as read through `to_json`: ISO 8601 strings (the driver hands timestamptz over unparsed). */
interface Stamps {
  createdAt: string;
  updatedAt: string;
}
