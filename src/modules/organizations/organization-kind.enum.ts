import { registerEnumType } from '@nestjs/graphql';

export enum OrganizationKind {
  CITY_DEPARTMENT = 'CITY_DEPARTMENT',
  COMMUNITY_ORGANIZATION = 'COMMUNITY_ORGANIZATION',
}

registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'Whether an organization is part of the city or a community organization.',
  valuesMap: {
    CITY_DEPARTMENT: {
      description: 'A city department or agency (shelters, public health, libraries, police victim services…).',
    },
    COMMUNITY_ORGANIZATION: { description: 'A non-profit or community organization partnering with the city.' },
  },
});
