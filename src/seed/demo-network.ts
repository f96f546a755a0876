import { Role } from '@harbour/authz';
import { CapacitySignal, LocationKind, Weekday } from '../modules/directory';
import { ServiceArea } from '../common/service-area';
import { OrganizationKind } from '../modules/organizations';

/** The demo network (docs/design.md, The demo network): fictional organizations, services and people. */
export const DEMO_PASSWORD = 'harbour-demo';

export type OrgKey = 'operator' | 'shelter' | 'clinic' | 'legal' | 'settlement' | 'police';

export const WEEKDAYS = [Weekday.MO, Weekday.TU, Weekday.WE, Weekday.TH, Weekday.FR];

export const DEMO_ORGANIZATIONS: Record<
  OrgKey,
  {
    name: string;
    kind: OrganizationKind;
    description: string;
    serviceAreas: ServiceArea[];
    email: string;
    phone: string;
    website: string;
  }
> = {
  operator: {
    name: 'City Newcomer Access Office',
    kind: OrganizationKind.CITY_DEPARTMENT,
    description:
      'Runs the Harbour referral network for the city: admits partner organizations and reports on access to services.',
    serviceAreas: [ServiceArea.SETTLEMENT],
    email: 'access@city.harbour.test',
    phone: '+1 555 0100',
    website: 'https://city.harbour.test/access',
  },
  shelter: {
    name: 'City Emergency Shelter Services',
    kind: OrganizationKind.CITY_DEPARTMENT,
    description: 'Emergency and family shelters run by the city. Everyone is welcome; no identification is required.',
    serviceAreas: [ServiceArea.SHELTER, ServiceArea.HOUSING],
    email: 'shelter@shelter.harbour.test',
    phone: '+1 555 0110',
    website: 'https://shelter.harbour.test',
  },
  clinic: {
    name: 'Public Health Community Clinic',
    kind: OrganizationKind.CITY_DEPARTMENT,
    description:
      'Walk-in primary care, prenatal care and counselling from the city public health department. No health card needed.',
    serviceAreas: [ServiceArea.HEALTH, ServiceArea.MENTAL_HEALTH],
    email: 'clinic@clinic.harbour.test',
    phone: '+1 555 0120',
    website: 'https://clinic.harbour.test',
  },
  legal: {
    name: 'Community Legal Clinic',
    kind: OrganizationKind.COMMUNITY_ORGANIZATION,
    description: 'Free legal advice and representation on housing, work and income matters.',
    serviceAreas: [ServiceArea.LEGAL],
    email: 'help@legal.harbour.test',
    phone: '+1 555 0130',
    website: 'https://legal.harbour.test',
  },
  settlement: {
    name: 'Newcomer Settlement Centre',
    kind: OrganizationKind.COMMUNITY_ORGANIZATION,
    description: 'Orientation, language classes and job search help for people new to the city.',
    serviceAreas: [ServiceArea.SETTLEMENT, ServiceArea.EDUCATION, ServiceArea.EMPLOYMENT],
    email: 'welcome@settlement.harbour.test',
    phone: '+1 555 0140',
    website: 'https://settlement.harbour.test',
  },
  // An ordinary member: it sees only what a client's consent shares and searches only its own clients.
  police: {
    name: 'City Police Victim Services Unit',
    kind: OrganizationKind.CITY_DEPARTMENT,
    description:
      'Support for victims and witnesses of crime and violence: safety planning, court accompaniment and referrals. Nobody is asked about status.',
    serviceAreas: [ServiceArea.VICTIM_SERVICES],
    email: 'victimservices@police.harbour.test',
    phone: '+1 555 0150',
    website: 'https://police.harbour.test/victim-services',
  },
};

export interface DemoLocation {
  org: OrgKey;
  key: string;
  name: string;
  kind: LocationKind;
  addressLine1?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  latitude?: number;
  longitude?: number;
  url?: string;
  confidential?: boolean;
}

export const DEMO_LOCATIONS: DemoLocation[] = [
  {
    org: 'shelter',
    key: 'shelter-downtown',
    name: 'Downtown Shelter',
    kind: LocationKind.PHYSICAL,
    addressLine1: '100 Queen Street',
    city: 'Harbour City',
    region: 'ON',
    postalCode: 'H0H 0A1',
    latitude: 43.6525,
    longitude: -79.3835,
  },
  // A shelter for people fleeing violence: only its own organization sees where it is.
  {
    org: 'shelter',
    key: 'shelter-safe-house',
    name: 'Family Safe House',
    kind: LocationKind.PHYSICAL,
    addressLine1: '12 Quiet Lane',
    city: 'Harbour City',
    region: 'ON',
    postalCode: 'H0H 0A2',
    latitude: 43.6702,
    longitude: -79.3401,
    confidential: true,
  },
  {
    org: 'clinic',
    key: 'clinic-central',
    name: 'Central Community Clinic',
    kind: LocationKind.PHYSICAL,
    addressLine1: '250 College Street',
    city: 'Harbour City',
    region: 'ON',
    postalCode: 'H0H 0B1',
    latitude: 43.6579,
    longitude: -79.3985,
  },
  {
    org: 'clinic',
    key: 'clinic-phone',
    name: 'Counselling by phone or video',
    kind: LocationKind.VIRTUAL,
    url: 'https://clinic.harbour.test/virtual',
  },
  {
    org: 'legal',
    key: 'legal-office',
    name: 'Legal Clinic Office',
    kind: LocationKind.PHYSICAL,
    addressLine1: '45 Spadina Avenue',
    city: 'Harbour City',
    region: 'ON',
    postalCode: 'H0H 0C1',
    latitude: 43.6487,
    longitude: -79.3956,
  },
  {
    org: 'settlement',
    key: 'settlement-centre',
    name: 'Settlement Centre',
    kind: LocationKind.PHYSICAL,
    addressLine1: '8 Dundas Street West',
    city: 'Harbour City',
    region: 'ON',
    postalCode: 'H0H 0D1',
    latitude: 43.6561,
    longitude: -79.3802,
  },
  {
    org: 'police',
    key: 'police-victim-services',
    name: 'Victim Services Office',
    kind: LocationKind.PHYSICAL,
    addressLine1: '40 College Street',
    city: 'Harbour City',
    region: 'ON',
    postalCode: 'H0H 0E1',
    latitude: 43.6613,
    longitude: -79.3868,
  },
];

export interface DemoService {
  org: OrgKey;
  name: string;
  description: string;
  serviceArea: ServiceArea;
  languages: string[];
  eligibilityDescription?: string;
  minimumAge?: number;
  maximumAge?: number;
  capacity?: CapacitySignal;
  acceptsReferrals?: boolean;
  locations: string[];
  opensAt: string;
  closesAt: string;
  days?: Weekday[];
}

export const DEMO_SERVICES: DemoService[] = [
  {
    org: 'shelter',
    name: 'Emergency overnight shelter',
    description: 'A safe bed, meals and showers, every night of the year.',
    serviceArea: ServiceArea.SHELTER,
    languages: ['en', 'fr', 'es'],
    eligibilityDescription: 'Adults without a safe place to stay tonight. No identification needed.',
    minimumAge: 18,
    locations: ['shelter-downtown'],
    opensAt: '18:00',
    closesAt: '23:59',
    days: [...WEEKDAYS, Weekday.SA, Weekday.SU],
  },
  {
    org: 'shelter',
    name: 'Family safe house',
    description: 'Confidential shelter for women and children fleeing violence, with counselling on site.',
    serviceArea: ServiceArea.SHELTER,
    languages: ['en', 'fr', 'ar', 'es'],
    eligibilityDescription: 'Women and their children fleeing violence.',
    capacity: CapacitySignal.WAITLIST,
    locations: ['shelter-safe-house'],
    opensAt: '00:00',
    closesAt: '23:59',
    days: [...WEEKDAYS, Weekday.SA, Weekday.SU],
  },
  {
    org: 'clinic',
    name: 'Walk-in primary care',
    description: 'Doctors and nurse practitioners for everyday health problems, vaccinations and prescriptions.',
    serviceArea: ServiceArea.HEALTH,
    languages: ['en', 'es', 'ar', 'zh', 'tl'],
    eligibilityDescription: 'Anyone living in the city. No health card or identification needed.',
    locations: ['clinic-central'],
    opensAt: '09:00',
    closesAt: '17:00',
  },
  {
    org: 'clinic',
    name: 'Prenatal and newborn care',
    description: 'Care during pregnancy and for babies up to one year old.',
    serviceArea: ServiceArea.HEALTH,
    languages: ['en', 'es', 'ar'],
    eligibilityDescription: 'Pregnant people and parents of babies under one year.',
    locations: ['clinic-central'],
    opensAt: '09:00',
    closesAt: '16:00',
  },
  {
    org: 'clinic',
    name: 'Counselling',
    description: 'Short-term counselling for stress, grief, trauma and addiction.',
    serviceArea: ServiceArea.MENTAL_HEALTH,
    languages: ['en', 'fr', 'es'],
    eligibilityDescription: 'Adults and young people aged 16 and over.',
    minimumAge: 16,
    capacity: CapacitySignal.WAITLIST,
    locations: ['clinic-central', 'clinic-phone'],
    opensAt: '10:00',
    closesAt: '19:00',
  },
  {
    org: 'legal',
    name: 'Housing and work legal advice',
    description: 'Advice and representation for tenants and workers: evictions, unpaid wages, unsafe work.',
    serviceArea: ServiceArea.LEGAL,
    languages: ['en', 'es', 'pt'],
    eligibilityDescription: 'People with low income who live or work in the city.',
    locations: ['legal-office'],
    opensAt: '09:30',
    closesAt: '16:30',
  },
  {
    org: 'settlement',
    name: 'Orientation and service navigation',
    description: 'One-to-one help finding and using city services, schools and benefits.',
    serviceArea: ServiceArea.SETTLEMENT,
    languages: ['en', 'fr', 'ar', 'es', 'uk', 'fa'],
    eligibilityDescription: 'Anyone new to the city.',
    locations: ['settlement-centre'],
    opensAt: '09:00',
    closesAt: '17:00',
  },
  {
    org: 'settlement',
    name: 'English conversation circles',
    description: 'Free, drop-in English practice in small groups.',
    serviceArea: ServiceArea.EDUCATION,
    languages: ['en'],
    eligibilityDescription: 'Adults learning English.',
    minimumAge: 16,
    locations: ['settlement-centre'],
    opensAt: '18:00',
    closesAt: '20:00',
    days: [Weekday.TU, Weekday.TH],
  },
  {
    org: 'settlement',
    name: 'Job search help',
    description: 'Résumés, interview practice and connections to employers.',
    serviceArea: ServiceArea.EMPLOYMENT,
    languages: ['en', 'fr', 'es'],
    eligibilityDescription: 'Job seekers aged 16 and over.',
    minimumAge: 16,
    acceptsReferrals: false,
    locations: ['settlement-centre'],
    opensAt: '09:00',
    closesAt: '17:00',
  },
  {
    org: 'police',
    name: 'Victim support and court accompaniment',
    description:
      'A victim-services worker helps with safety planning, explains the court process, goes to court with you and connects you with counselling and shelter.',
    serviceArea: ServiceArea.VICTIM_SERVICES,
    languages: ['en', 'fr', 'es', 'ar'],
    eligibilityDescription:
      'Anyone harmed by or witness to a crime or violence in the city, whether or not it was reported.',
    locations: ['police-victim-services'],
    opensAt: '08:00',
    closesAt: '20:00',
    days: [...WEEKDAYS, Weekday.SA],
  },
];

export const DEMO_ACCOUNTS: {
  email: string;
  displayName: string;
  org: OrgKey;
  roles: Role[];
  leadServiceArea?: ServiceArea;
}[] = [
  { email: 'admin@harbour.test', displayName: 'Network Administrator', org: 'operator', roles: [Role.NETWORK_ADMIN] },
  { email: 'auditor@harbour.test', displayName: 'Network Auditor', org: 'operator', roles: [Role.AUDITOR] },
  {
    email: 'lead.health@harbour.test',
    displayName: 'Health Service-Area Lead',
    org: 'operator',
    roles: [Role.SERVICE_AREA_LEAD],
    leadServiceArea: ServiceArea.HEALTH,
  },
  {
    email: 'orgadmin@shelter.harbour.test',
    displayName: 'Shelter Administrator',
    org: 'shelter',
    roles: [Role.ORG_ADMIN],
  },
  {
    email: 'caseworker@shelter.harbour.test',
    displayName: 'Shelter Caseworker',
    org: 'shelter',
    roles: [Role.CASEWORKER],
  },
  { email: 'auditor@shelter.harbour.test', displayName: 'Shelter Auditor', org: 'shelter', roles: [Role.AUDITOR] },
  {
    email: 'orgadmin@clinic.harbour.test',
    displayName: 'Clinic Administrator',
    org: 'clinic',
    roles: [Role.ORG_ADMIN],
  },
  { email: 'intake@clinic.harbour.test', displayName: 'Clinic Intake', org: 'clinic', roles: [Role.INTAKE] },
  {
    email: 'caseworker@clinic.harbour.test',
    displayName: 'Clinic Caseworker',
    org: 'clinic',
    roles: [Role.CASEWORKER],
  },
  { email: 'intake@legal.harbour.test', displayName: 'Legal Clinic Intake', org: 'legal', roles: [Role.INTAKE] },
  {
    email: 'caseworker@police.harbour.test',
    displayName: 'Victim Services Caseworker',
    org: 'police',
    roles: [Role.CASEWORKER],
  },
  {
    email: 'intake@police.harbour.test',
    displayName: 'Victim Services Intake',
    org: 'police',
    roles: [Role.INTAKE],
  },
];
