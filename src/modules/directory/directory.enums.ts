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

export enum ServiceStatus {
  ACTIVE = 'ACTIVE',
  TEMPORARILY_CLOSED = 'TEMPORARILY_CLOSED',
  INACTIVE = 'INACTIVE',
}

export enum CapacitySignal {
  AVAILABLE = 'AVAILABLE',
  WAITLIST = 'WAITLIST',
  FULL = 'FULL',
}

export enum LocationKind {
  PHYSICAL = 'PHYSICAL',
  VIRTUAL = 'VIRTUAL',
}

export enum Weekday {
  MO = 'MO',
  TU = 'TU',
  WE = 'WE',
  TH = 'TH',
  FR = 'FR',
  SA = 'SA',
  SU = 'SU',
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

registerEnumType(ServiceStatus, {
  name: 'ServiceStatus',
  description: 'Whether a service is operating (Open Referral HSDS service status).',
  valuesMap: {
    ACTIVE: { description: 'Operating normally.' },
    TEMPORARILY_CLOSED: { description: 'Closed for now; expected to reopen.' },
    INACTIVE: { description: 'No longer offered.' },
  },
});

registerEnumType(CapacitySignal, {
  name: 'CapacitySignal',
  description: 'A coarse, self-reported signal of whether the service can take people now.',
  valuesMap: {
    AVAILABLE: { description: 'Taking new people.' },
    WAITLIST: { description: 'Taking new people onto a waitlist.' },
    FULL: { description: 'Not taking new people at the moment.' },
  },
});

registerEnumType(LocationKind, {
  name: 'LocationKind',
  description: 'Whether a location is a place people visit or a virtual one (phone line, website).',
  valuesMap: {
    PHYSICAL: { description: 'A place with a street address.' },
    VIRTUAL: { description: 'Delivered by phone, video or web; has no street address.' },
  },
});

registerEnumType(Weekday, {
  name: 'Weekday',
  description: 'A day of the week (iCalendar BYDAY codes, as in HSDS schedules).',
  valuesMap: {
    MO: { description: 'Monday.' },
    TU: { description: 'Tuesday.' },
    WE: { description: 'Wednesday.' },
    TH: { description: 'Thursday.' },
    FR: { description: 'Friday.' },
    SA: { description: 'Saturday.' },
    SU: { description: 'Sunday.' },
  },
});
