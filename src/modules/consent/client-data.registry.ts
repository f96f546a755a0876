import { ConsentDataCategory } from './consent.enums';

/**
 * The one register of client data in the GraphQL schema (docs/design.md, Consent model): every field
 * of a type that carries a client's data, with what decides whether an organization other than the
 * holder may see it. The consent-scoped views (a referral's client, later) read it; a contract test
 * fails when the schema grows a field here that is not registered, or a new way to reach a client.
 *
 * - `ALWAYS`: shared under any active consent that names the receiving organization;
 * - a ConsentDataCategory: shared only when that active consent covers the category;
 * - `HOLDER_ONLY`: never shared (identifiers and record-keeping of the holding organization);
 * - `RECORD`: not the client's data but the referral's own record (status, history, organizations),
 *   which both sides of a referral always see.
 */
export type ClientFieldSharing = 'ALWAYS' | ConsentDataCategory | 'HOLDER_ONLY' | 'RECORD';

/** The client's own fields, as the table in docs/design.md shares them; the holder's record and a referral's view both carry them. */
const CLIENT_PERSON_FIELDS = {
  id: 'HOLDER_ONLY',
  preferredName: 'ALWAYS',
  languages: 'ALWAYS',
  needs: ConsentDataCategory.NEEDS,
  contact: ConsentDataCategory.CONTACT,
  legalName: ConsentDataCategory.DEMOGRAPHICS,
  birthYear: ConsentDataCategory.DEMOGRAPHICS,
  pronouns: ConsentDataCategory.DEMOGRAPHICS,
  municipalIdNumber: ConsentDataCategory.MUNICIPAL_ID,
} as const satisfies Readonly<Record<string, ClientFieldSharing>>;

export const CLIENT_DATA_FIELDS = {
  Client: {
    ...CLIENT_PERSON_FIELDS,
    consents: 'HOLDER_ONLY',
    erased: 'HOLDER_ONLY',
    erasedAt: 'HOLDER_ONLY',
    createdAt: 'HOLDER_ONLY',
    updatedAt: 'HOLDER_ONLY',
  },
  // Whether the client was erased is the referral's record, not the client's data: both sides see it.
  ReferredClient: { ...CLIENT_PERSON_FIELDS, erased: 'RECORD' },
  Referral: {
    id: 'RECORD',
    side: 'RECORD',
    status: 'RECORD',
    priority: 'RECORD',
    outcome: 'RECORD',
    sentAt: 'RECORD',
    receivedAt: 'RECORD',
    updatedAt: 'RECORD',
    version: 'RECORD',
    consentActive: 'RECORD',
    sharedCategories: 'RECORD',
    service: 'RECORD',
    sendingOrganization: 'RECORD',
    receivingOrganization: 'RECORD',
    basedOn: 'RECORD',
    history: 'RECORD',
    lastTransition: 'RECORD',
    noteCount: 'RECORD',
    client: 'ALWAYS',
    reason: ConsentDataCategory.NEEDS,
    notes: ConsentDataCategory.NOTES,
  },
  ReferralNote: {
    id: 'RECORD',
    side: 'RECORD',
    organization: 'RECORD',
    authorKind: 'RECORD',
    authorRole: 'RECORD',
    authorId: 'HOLDER_ONLY',
    createdAt: 'RECORD',
    body: ConsentDataCategory.NOTES,
  },
  ReferralTransition: {
    action: 'RECORD',
    fromStatus: 'RECORD',
    toStatus: 'RECORD',
    side: 'RECORD',
    organization: 'RECORD',
    actorKind: 'RECORD',
    actorRole: 'RECORD',
    actorId: 'HOLDER_ONLY',
    reasonCode: 'RECORD',
    outcome: 'RECORD',
    at: 'RECORD',
    text: ConsentDataCategory.NOTES,
  },
  ClientContact: {
    phone: ConsentDataCategory.CONTACT,
    email: ConsentDataCategory.CONTACT,
    preference: ConsentDataCategory.CONTACT,
    safeToLeaveMessage: ConsentDataCategory.CONTACT,
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, ClientFieldSharing>>>>;

/** The GraphQL types that carry a client's data. */
export type ClientDataType = keyof typeof CLIENT_DATA_FIELDS;

/**
 * Every schema field (`Type.field`) whose value is one of the types above: the only ways a client's
 * data reaches a caller. The holder reaches its own clients through `client`, `clients` and its
 * mutations' payloads; other organizations reach them only through a referral's
 * consent-scoped view (`Referral.client`, decided in referral-view.ts).
 */
export const CLIENT_DATA_ROUTES: readonly string[] = [
  'Query.client',
  'ClientEdge.node',
  'ClientPayload.client',
  'Client.contact',
  'Query.referral',
  'ReferralEdge.node',
  'ReferralPayload.referral',
  'Referral.basedOn',
  'Referral.client',
  'Referral.history',
  'Referral.lastTransition',
  'Referral.notes',
  'ReferralNotePayload.note',
  'ReferredClient.contact',
];

/** Whether a field with this rule may be shown to another organization under an active consent covering `categories`. */
export function sharedUnder(sharing: ClientFieldSharing, categories: ReadonlySet<ConsentDataCategory>): boolean {
  if (sharing === 'ALWAYS' || sharing === 'RECORD') return true;
  if (sharing === 'HOLDER_ONLY') return false;
  return categories.has(sharing);
}

/**
 * Records about one client that only its holder reads: reading one is reading client data, though
 * nothing in it is ever shared (so it has no sharing rules above).
 */
export const HOLDER_CLIENT_RECORD_TYPES: readonly string[] = ['Consent'];

/**
 * Every root operation whose answer can hold client data: a type above or a holder's record. Each
 * carries `@ReturnsClientData()`, so that a person with training still to acknowledge is refused
 * (TRAINING_REQUIRED). A contract test derives this list from the schema: an operation that starts
 * returning client data fails it until it is listed here and marked.
 */
export const CLIENT_DATA_OPERATIONS: readonly string[] = [
  'Query.client',
  'Query.clients',
  'Query.consent',
  'Query.referral',
  'Query.referrals',
  'Mutation.registerClient',
  'Mutation.updateClient',
  'Mutation.recordConsent',
  'Mutation.revokeConsent',
  'Mutation.sendReferral',
  'Mutation.acceptReferral',
  'Mutation.declineReferral',
  'Mutation.startReferral',
  'Mutation.holdReferral',
  'Mutation.resumeReferral',
  'Mutation.completeReferral',
  'Mutation.closeReferralUnmet',
  'Mutation.cancelReferral',
  'Mutation.addReferralNote',
  'Mutation.eraseClient',
];
