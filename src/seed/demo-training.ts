import { ServiceArea } from '../common/service-area';

/**
 * The demo's training modules (docs/design.md, Accountability). Every demo account has acknowledged
 * the ones it must, except DEMO_UNTRAINED_ACCOUNT: signed in as them, operations that return client
 * data answer FORBIDDEN with `extensions.reason: TRAINING_REQUIRED` until they acknowledge.
 */
export const DEMO_UNTRAINED_ACCOUNT = 'caseworker@clinic.harbour.test';

export const DEMO_TRAINING_MODULES: {
  /** Null: every organization (ALL). */
  serviceArea: ServiceArea | null;
  title: string;
  summary: string;
  url: string;
  /** The demo account that published it: the network administrator, or the area's lead. */
  publishedBy: string;
}[] = [
  {
    serviceArea: null,
    title: 'Serving every resident regardless of status: what we never ask or record',
    summary:
      'Every resident may use city and partner services whatever their immigration status. Never ask about, write down or pass on immigration or citizenship status, country of birth, nationality, visas, permits, passports, refugee claims or SIN/SSN — not in a form, a note or a referral reason. A preferred name or a municipal ID card is enough. What to say when a resident volunteers such information, and what the status-information warnings mean.',
    url: 'https://city.harbour.test/training/status-blind-service',
    publishedBy: 'admin@harbour.test',
  },
  {
    serviceArea: null,
    title: 'Consent, sharing and the audit trail',
    summary:
      "How to record a client's consent in their language — which organizations, for what purpose, which kinds of data, until when — what a receiving organization sees at each step of a referral, how a client withdraws consent, and why every look at a client's record is logged and can be shown to them.",
    url: 'https://city.harbour.test/training/consent-and-audit',
    publishedBy: 'admin@harbour.test',
  },
  {
    serviceArea: ServiceArea.HEALTH,
    title: 'Care without a health card: clinic intake for uninsured residents',
    summary:
      'Registering a patient with a preferred name alone, fee waivers and interpreters; never asking for proof of status or insurance before care; what to do when another agency asks about a patient.',
    url: 'https://city.harbour.test/training/health-intake',
    publishedBy: 'lead.health@harbour.test',
  },
  {
    serviceArea: ServiceArea.SHELTER,
    title: 'Shelter intake without identification',
    summary:
      'No identification is required to stay. Confidential locations for people fleeing violence are never disclosed, to anyone; how to refer a resident on without putting them at risk.',
    url: 'https://city.harbour.test/training/shelter-intake',
    publishedBy: 'admin@harbour.test',
  },
  {
    serviceArea: ServiceArea.VICTIM_SERVICES,
    title: 'Victim support apart from enforcement',
    summary:
      'Victim services support anyone harmed by crime or violence. The unit never asks about, records or reports status; how to reassure a caller who fears that contacting the police exposes them.',
    url: 'https://city.harbour.test/training/victim-services',
    publishedBy: 'admin@harbour.test',
  },
];
