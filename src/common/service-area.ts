import { registerEnumType } from '@nestjs/graphql';

/** The fixed list of service areas (docs/design.md, Directory). Eligibility never depends on status. */
export enum ServiceArea {
  HEALTH = 'HEALTH',
  SHELTER = 'SHELTER',
  HOUSING = 'HOUSING',
  FOOD = 'FOOD',
  LEGAL = 'LEGAL',
  EDUCATION = 'EDUCATION',
  EMPLOYMENT = 'EMPLOYMENT',
  LIBRARY = 'LIBRARY',
  COMMUNITY_CENTRE = 'COMMUNITY_CENTRE',
  RECREATION = 'RECREATION',
  SETTLEMENT = 'SETTLEMENT',
  MENTAL_HEALTH = 'MENTAL_HEALTH',
  VICTIM_SERVICES = 'VICTIM_SERVICES',
  CHILD_AND_FAMILY = 'CHILD_AND_FAMILY',
  INCOME_SUPPORT = 'INCOME_SUPPORT',
}

registerEnumType(ServiceArea, {
  name: 'ServiceArea',
  description: 'The area of need a service addresses. A fixed list shared by the whole network.',
  valuesMap: {
    HEALTH: { description: 'Physical health care: clinics, public health, dental.' },
    SHELTER: { description: 'Emergency and transitional shelter.' },
    HOUSING: { description: 'Longer-term housing help and tenancy support.' },
    FOOD: { description: 'Food banks, meal programs.' },
    LEGAL: { description: 'Legal information, advice and representation.' },
    EDUCATION: { description: 'Schools, adult education, language classes.' },
    EMPLOYMENT: { description: "Job search, training, workers' rights." },
    LIBRARY: { description: 'Public library services.' },
    COMMUNITY_CENTRE: { description: 'Community centre programs.' },
    RECREATION: { description: 'Recreation and sport programs.' },
    SETTLEMENT: { description: 'Settlement and orientation help for newcomers.' },
    MENTAL_HEALTH: { description: 'Mental health and addiction support.' },
    VICTIM_SERVICES: { description: 'Support for victims and survivors of crime and violence.' },
    CHILD_AND_FAMILY: { description: 'Child care, parenting and family support.' },
    INCOME_SUPPORT: { description: 'Income support and benefits navigation.' },
  },
});
