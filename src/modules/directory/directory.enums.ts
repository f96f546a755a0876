import { registerEnumType } from '@nestjs/graphql';

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
