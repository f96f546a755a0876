import { OrganizationModel } from './models/organization.model';
import { Organization } from './organization.entity';

export function toOrganizationModel(organization: Organization): OrganizationModel {
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
