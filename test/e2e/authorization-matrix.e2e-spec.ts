/**
 * The authorization matrix: every operation × every kind of caller × the caller's own organization
 * or another one. The expected answers are written here by hand from docs/design.md (Roles;
 * invariant 3) — never derived from the production permission table — so that a change to the
 * table that contradicts the design fails here. An operation in the schema without a row fails the suite.
 *
 * Each cell also checks the audit trail (invariant 4): a refused call writes exactly one DENIED
 * event; a successful mutation exactly one SUCCESS event (its primary event); a successful read
 * of a client's data one READ event per client (or consent) it shows; a successful read of the
 * audit log its one SUCCESS event; the receiving side's first read of a SENT referral its one
 * SUCCESS event (`referral.receive`, the opening); a successful read of the directory none.
 * Together the cells walk every mutation of the schema, and every successful one but the
 * credential mutations answers with its payload's `warnings` (empty: no request here writes
 * status information). The mutations partners retry are called with an idempotency key (and the
 * lifecycle steps with the version just read): a key changes nothing about who may call them.
 */
import { ApiScope, Role } from '@harbour/authz';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { ServiceArea } from '../../src/common/service-area';
import { OrganizationKind } from '../../src/modules/organizations/organization-kind.enum';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { ReferralStatus } from '../../src/modules/referrals/referral.enums';
import { Membership } from '../../src/modules/staff/membership.entity';
import { StaffAccount } from '../../src/modules/staff/staff-account.entity';
import { randomUUID } from 'node:crypto';
import { LiveEventsHub } from '../../src/modules/live-events';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import { live } from '../support/live-client';
import { until } from '../support/promise-state';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';

type Outcome = 'OK' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';
const CALLERS = [
  'anonymous',
  'NETWORK_ADMIN',
  'ORG_ADMIN',
  'CASEWORKER',
  'INTAKE',
  'AUDITOR',
  'SERVICE_AREA_LEAD',
  'API_DIRECTORY_WRITE',
  'API_WEBHOOKS_WRITE',
  'API_OTHER_SCOPES',
] as const;
type Caller = (typeof CALLERS)[number];
type Target = 'own' | 'other';
/** One outcome when the operation names no object, or [own organization's, another's]. */
type Row = Record<Caller, Outcome | [Outcome, Outcome]>;

const OK: Outcome = 'OK';
const F: Outcome = 'FORBIDDEN';
const U: Outcome = 'UNAUTHENTICATED';
const N: Outcome = 'NOT_FOUND';

/** Anyone signed in (people and partner systems) may; nobody else. */
const ANY_SIGNED_IN: Row = {
  anonymous: U,
  NETWORK_ADMIN: OK,
  ORG_ADMIN: OK,
  CASEWORKER: OK,
  INTAKE: OK,
  AUDITOR: OK,
  SERVICE_AREA_LEAD: OK,
  API_DIRECTORY_WRITE: OK,
  API_WEBHOOKS_WRITE: OK,
  API_OTHER_SCOPES: OK,
};
const PUBLIC: Row = { ...ANY_SIGNED_IN, anonymous: OK };
/** People, whatever their roles; never a partner system. */
const EVERY_PERSON: Row = { ...ANY_SIGNED_IN, API_DIRECTORY_WRITE: F, API_WEBHOOKS_WRITE: F, API_OTHER_SCOPES: F };
const NOBODY_BUT = (overrides: Partial<Row>): Row => ({
  anonymous: U,
  NETWORK_ADMIN: F,
  ORG_ADMIN: F,
  CASEWORKER: F,
  INTAKE: F,
  AUDITOR: F,
  SERVICE_AREA_LEAD: F,
  API_DIRECTORY_WRITE: F,
  API_WEBHOOKS_WRITE: F,
  API_OTHER_SCOPES: F,
  ...overrides,
});
/** The sending side of a referral: the sending organization's CASEWORKER, and referrals:write partner systems. */
const SENDING_SIDE: Row = NOBODY_BUT({ CASEWORKER: [OK, N], API_OTHER_SCOPES: [OK, N] });
/** The receiving side: the receiving organization's INTAKE, and referrals:write partner systems. */
const RECEIVING_SIDE: Row = NOBODY_BUT({ INTAKE: [OK, N], API_OTHER_SCOPES: [OK, N] });
/** Webhooks: the organization's administrators and webhooks:write partner systems. */
const WEBHOOKS: Row = NOBODY_BUT({ ORG_ADMIN: OK, API_WEBHOOKS_WRITE: OK });
const OWN_WEBHOOKS: Row = NOBODY_BUT({ ORG_ADMIN: [OK, N], API_WEBHOOKS_WRITE: [OK, N] });

const EXPECTED: Record<string, Row> = {
  // Identity
  login: PUBLIC,
  // A new person accepts with no credential; a person who has an account accepts signed in as
  // themselves (the invitation names them); a partner system never accepts one.
  acceptInvitation: { ...PUBLIC, API_DIRECTORY_WRITE: F, API_WEBHOOKS_WRITE: F, API_OTHER_SCOPES: F },
  me: ANY_SIGNED_IN,
  changePassword: { ...ANY_SIGNED_IN, API_DIRECTORY_WRITE: F, API_WEBHOOKS_WRITE: F, API_OTHER_SCOPES: F },
  // Directory: readable by every signed-in caller, other organizations' entries included.
  organization: ANY_SIGNED_IN,
  organizations: ANY_SIGNED_IN,
  service: ANY_SIGNED_IN,
  services: ANY_SIGNED_IN,
  // Service areas, their leads and counts: directory and staff facts, no client data — like the directory.
  serviceAreas: ANY_SIGNED_IN,
  // Aggregate, suppressed referral reports: the NETWORK_ADMIN for any area, a SERVICE_AREA_LEAD for
  // the area they lead only (another area is FORBIDDEN: areas are a public list, no oracle to avoid).
  referralReport: NOBODY_BUT({ NETWORK_ADMIN: [OK, OK], SERVICE_AREA_LEAD: [OK, F] }),
  // Only the network operator admits organizations; it may update any, an org admin only its own.
  createOrganization: NOBODY_BUT({ NETWORK_ADMIN: OK }),
  updateOrganization: NOBODY_BUT({ NETWORK_ADMIN: [OK, OK], ORG_ADMIN: [OK, N], API_DIRECTORY_WRITE: [OK, N] }),
  // Services and locations: the organization's own administrators and directory:write clients.
  createService: NOBODY_BUT({ ORG_ADMIN: [OK, N], API_DIRECTORY_WRITE: [OK, N] }),
  updateService: NOBODY_BUT({ ORG_ADMIN: [OK, N], API_DIRECTORY_WRITE: [OK, N] }),
  createLocation: NOBODY_BUT({ ORG_ADMIN: OK, API_DIRECTORY_WRITE: OK }),
  updateLocation: NOBODY_BUT({ ORG_ADMIN: [OK, N], API_DIRECTORY_WRITE: [OK, N] }),
  // Staff: ORG_ADMIN within its organization; NETWORK_ADMIN names leads in the operator and
  // invites an organization's first ORG_ADMIN, but grants no organization roles itself.
  staffMembers: NOBODY_BUT({ ORG_ADMIN: OK, NETWORK_ADMIN: OK }),
  staffInvitations: NOBODY_BUT({ ORG_ADMIN: OK, NETWORK_ADMIN: OK }),
  createStaffAccount: NOBODY_BUT({ ORG_ADMIN: [OK, N], NETWORK_ADMIN: [F, OK] }),
  setStaffRoles: NOBODY_BUT({ ORG_ADMIN: [OK, N], NETWORK_ADMIN: [F, N] }),
  deactivateStaffAccount: NOBODY_BUT({ ORG_ADMIN: [OK, N], NETWORK_ADMIN: [F, N] }),
  // API clients: ORG_ADMIN only (a partner system cannot mint keys).
  apiClients: NOBODY_BUT({ ORG_ADMIN: OK }),
  createApiClient: NOBODY_BUT({ ORG_ADMIN: OK }),
  revokeApiClient: NOBODY_BUT({ ORG_ADMIN: [OK, N] }),
  // Audit log: the organization's auditors and audit:read partner systems.
  auditEvents: NOBODY_BUT({ AUDITOR: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  // An organization's auditors verify its own chain; another's is NOT_FOUND (only the operator's auditors reach every chain).
  verifyAuditLog: NOBODY_BUT({ AUDITOR: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  auditCheckpoint: NOBODY_BUT({ AUDITOR: OK, API_OTHER_SCOPES: OK }),
  // Clients: CASEWORKER and clients:* partner systems, own organization only. Nobody else reaches
  // client data — network administrators included; INTAKE only through referrals (below).
  registerClient: NOBODY_BUT({ CASEWORKER: OK, API_OTHER_SCOPES: OK }),
  updateClient: NOBODY_BUT({ CASEWORKER: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  client: NOBODY_BUT({ CASEWORKER: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  clients: NOBODY_BUT({ CASEWORKER: OK, API_OTHER_SCOPES: OK }),
  // Erasure at the client's request: the holding organization's ORG_ADMIN and CASEWORKER, people only
  // (no API scope); another organization's client is NOT_FOUND.
  eraseClient: NOBODY_BUT({ ORG_ADMIN: [OK, N], CASEWORKER: [OK, N] }),
  // Who accessed a client: its own organization's caseworkers and auditors, and audit:read systems.
  clientAccessReport: NOBODY_BUT({ CASEWORKER: [OK, N], AUDITOR: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  // Consent: CASEWORKER records and revokes (consents:write systems too); reading one is reading client data.
  recordConsent: NOBODY_BUT({ CASEWORKER: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  revokeConsent: NOBODY_BUT({ CASEWORKER: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  consent: NOBODY_BUT({ CASEWORKER: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  // Referrals ("Roles", "Referral lifecycle"): CASEWORKER reads its organization's outbox, sends,
  // cancels; INTAKE reads its inbox and works it (accept … close unmet); both add notes on their
  // side; referrals:read/write partner systems reach both. A referral between two other
  // organizations is NOT_FOUND; nobody else reaches referrals, network administrators included.
  referral: NOBODY_BUT({ CASEWORKER: [OK, N], INTAKE: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  referrals: NOBODY_BUT({ CASEWORKER: OK, INTAKE: OK, API_OTHER_SCOPES: OK }),
  sendReferral: SENDING_SIDE,
  cancelReferral: SENDING_SIDE,
  acceptReferral: RECEIVING_SIDE,
  declineReferral: RECEIVING_SIDE,
  startReferral: RECEIVING_SIDE,
  holdReferral: RECEIVING_SIDE,
  resumeReferral: RECEIVING_SIDE,
  completeReferral: RECEIVING_SIDE,
  closeReferralUnmet: RECEIVING_SIDE,
  addReferralNote: NOBODY_BUT({ CASEWORKER: [OK, N], INTAKE: [OK, N], API_OTHER_SCOPES: [OK, N] }),
  // The change feed: whoever reads a box (its own organization's changes, the side its role reads).
  referralChanges: NOBODY_BUT({ CASEWORKER: OK, INTAKE: OK, API_OTHER_SCOPES: OK }),
  // Webhooks ("Roles", "API clients and scopes"): the organization's ORG_ADMIN and webhooks:write
  // partner systems, for its own endpoints and their deliveries; another's are NOT_FOUND.
  webhookEndpoints: WEBHOOKS,
  createWebhookEndpoint: WEBHOOKS,
  updateWebhookEndpoint: OWN_WEBHOOKS,
  deleteWebhookEndpoint: OWN_WEBHOOKS,
  rotateWebhookSecret: OWN_WEBHOOKS,
  sendTestWebhook: OWN_WEBHOOKS,
  webhookDeliveries: OWN_WEBHOOKS,
  redeliverWebhook: OWN_WEBHOOKS,
  replayWebhookDeliveries: OWN_WEBHOOKS,
  // Live events (a subscription, over graphql-ws): whoever reads its organization's referrals, of
  // either side — id-only events, so nobody who may not read referrals hears of them.
  referralEvents: NOBODY_BUT({ CASEWORKER: OK, INTAKE: OK, API_OTHER_SCOPES: OK }),
  // Training ("Accountability"): every person reads and acknowledges the modules (partner systems are
  // exempt); the network operator publishes for any audience, a lead for their area; coverage counts
  // are for the network operator (every organization) and leads (their area's organizations).
  trainingModules: EVERY_PERSON,
  acknowledgeTraining: EVERY_PERSON,
  publishTrainingModule: NOBODY_BUT({ NETWORK_ADMIN: OK, SERVICE_AREA_LEAD: OK }),
  trainingCoverage: NOBODY_BUT({ NETWORK_ADMIN: OK, SERVICE_AREA_LEAD: OK }),
};

interface CallerState {
  caller: Caller;
  token?: string;
  organization: Organization;
  accountId?: string;
}

interface World {
  t: TestApp;
  f: Fixtures;
  callers: Record<Caller, CallerState>;
  /** Another organization (never the operator, never the callers'). */
  other: Organization;
  /** A third organization, so that a referral can be one between two organizations that are not the caller's. */
  third: Organization;
}

interface Request {
  query: string;
  variables?: Record<string, unknown>;
  /** The receiving side's first read of a SENT referral: it records the opening, a SUCCESS event (`referral.receive`). */
  opensReferral?: boolean;
  /** A subscription, sent over graphql-ws (`overWebSocket`) instead of HTTP. */
  transport?: 'ws';
}

/** How to call each operation for a caller, against its own organization's objects or another's. */
const REQUESTS: Record<string, (w: World, c: CallerState, target: Target) => Promise<Request>> = {
  async login(w, c) {
    const person = await w.f.staff(c.organization, [Role.CASEWORKER]);
    return {
      query: 'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }',
      variables: { i: { email: person.email, password: TEST_PASSWORD } },
    };
  },
  async acceptInvitation(w, c) {
    const query = 'mutation ($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken } }';
    if (c.caller === 'anonymous' || c.caller.startsWith('API_')) {
      const token = await w.f.invitation(c.organization, [Role.INTAKE]);
      return { query, variables: { i: { token, password: 'a long enough passphrase' } } };
    }
    const email = (await w.t.orm.em.fork().findOneOrFail(StaffAccount, c.accountId!)).email;
    return {
      query,
      variables: { i: { token: await w.f.invitation(await w.f.organization(), [Role.INTAKE], { email }) } },
    };
  },
  me: () => Promise.resolve({ query: '{ me { id } }' }),
  changePassword: () =>
    Promise.resolve({
      query: 'mutation ($i: ChangePasswordInput!) { changePassword(input: $i) { expiresAt } }',
      variables: { i: { currentPassword: TEST_PASSWORD, newPassword: 'another long passphrase' } },
    }),
  organization: (w, c, target) =>
    Promise.resolve({
      query: 'query ($id: ID!) { organization(id: $id) { id } }',
      variables: { id: orgOf(w, c, target).id },
    }),
  organizations: () => Promise.resolve({ query: '{ organizations { totalCount } }' }),
  async service(w, c, target) {
    const service = await w.f.service(orgOf(w, c, target));
    return { query: 'query ($id: ID!) { service(id: $id) { id } }', variables: { id: service.id } };
  },
  services: () => Promise.resolve({ query: '{ services { totalCount } }' }),
  serviceAreas: () => Promise.resolve({ query: '{ serviceAreas { area hasLead lead { displayName } } }' }),
  referralReport(_w, _c, target) {
    const now = new Date();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    return Promise.resolve({
      query:
        'query ($i: ReferralReportInput!) { referralReport(input: $i) { serviceArea grandTotal { suppressed referralCount } } }',
      // The matrix's lead leads the first area without one (HEALTH); LEGAL is another's.
      variables: {
        i: { fromMonth: last, toMonth: last, groupBy: ['STATUS'], serviceArea: target === 'own' ? null : 'LEGAL' },
      },
    });
  },
  createOrganization: () =>
    Promise.resolve({
      query:
        'mutation ($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } warnings { field } } }',
      variables: {
        i: { name: `Org ${Math.random()}`, description: 'Admitted in the matrix.', kind: 'COMMUNITY_ORGANIZATION' },
      },
    }),
  updateOrganization: (w, c, target) =>
    Promise.resolve({
      query:
        'mutation ($id: ID!, $i: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $i) { organization { id } warnings { field } } }',
      variables: { id: orgOf(w, c, target).id, i: { description: 'Updated in the matrix.' } },
    }),
  async createService(w, c, target) {
    const location = await w.f.location(orgOf(w, c, target));
    return {
      query: 'mutation ($i: CreateServiceInput!) { createService(input: $i) { service { id } warnings { field } } }',
      variables: {
        i: {
          name: 'Matrix service',
          description: 'Created in the matrix.',
          serviceArea: 'FOOD',
          locationIds: [location.id],
        },
      },
    };
  },
  async updateService(w, c, target) {
    const service = await w.f.service(orgOf(w, c, target));
    return {
      query:
        'mutation ($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { service { id } warnings { field } } }',
      variables: { id: service.id, i: { capacity: 'FULL' } },
    };
  },
  createLocation: () =>
    Promise.resolve({
      query: 'mutation ($i: CreateLocationInput!) { createLocation(input: $i) { location { id } warnings { field } } }',
      variables: { i: { name: 'Phone line', kind: 'VIRTUAL', url: 'https://example.test/phone' } },
    }),
  async updateLocation(w, c, target) {
    const location = await w.f.location(orgOf(w, c, target));
    return {
      query:
        'mutation ($id: ID!, $i: UpdateLocationInput!) { updateLocation(id: $id, input: $i) { location { id } warnings { field } } }',
      variables: { id: location.id, i: { name: 'Renamed' } },
    };
  },
  staffMembers: () => Promise.resolve({ query: '{ staffMembers { totalCount } }' }),
  staffInvitations: () => Promise.resolve({ query: '{ staffInvitations { totalCount } }' }),
  async createStaffAccount(w, c, target) {
    const query =
      'mutation ($i: CreateStaffAccountInput!) { createStaffAccount(input: $i) { invitationToken warnings { field } } }';
    const email = `matrix-${Math.random().toString(36).slice(2)}@example.test`;
    if (target === 'own') return { query, variables: { i: { email, displayName: 'New', roles: ['CASEWORKER'] } } };
    const withoutAdmin = await w.f.organization();
    return {
      query,
      variables: { i: { email, displayName: 'First admin', roles: ['ORG_ADMIN'], organizationId: withoutAdmin.id } },
    };
  },
  async setStaffRoles(w, c, target) {
    const person = await w.f.staff(orgOf(w, c, target), [Role.CASEWORKER]);
    return {
      query:
        'mutation ($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { staffMember { accountId } warnings { field } } }',
      variables: { i: { accountId: person.accountId, roles: ['INTAKE'] } },
    };
  },
  async deactivateStaffAccount(w, c, target) {
    const person = await w.f.staff(orgOf(w, c, target), [Role.CASEWORKER]);
    return {
      query:
        'mutation ($id: ID!) { deactivateStaffAccount(accountId: $id) { staffMember { accountId } warnings { field } } }',
      variables: { id: person.accountId },
    };
  },
  apiClients: () => Promise.resolve({ query: '{ apiClients { totalCount } }' }),
  createApiClient: () =>
    Promise.resolve({
      query:
        'mutation { createApiClient(input: { name: "Matrix", scopes: [REFERRALS_READ], operatorsTrained: true }) { apiKey warnings { field } } }',
    }),
  async revokeApiClient(w, c, target) {
    const client = await w.f.apiClient(orgOf(w, c, target), [ApiScope.REFERRALS_READ]);
    return {
      query: 'mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id } warnings { field } } }',
      variables: { id: client.id },
    };
  },
  auditEvents: (w, c, target) =>
    Promise.resolve({
      query: 'query ($org: ID) { auditEvents(first: 1, filter: { organizationId: $org }) { totalCount } }',
      variables: { org: orgOf(w, c, target).id },
    }),
  verifyAuditLog: (w, c, target) =>
    Promise.resolve({
      query: 'query ($id: ID) { verifyAuditLog(chainId: $id) { valid } }',
      variables: { id: orgOf(w, c, target).id },
    }),
  auditCheckpoint: () => Promise.resolve({ query: '{ auditCheckpoint { signature } }' }),
  registerClient: () =>
    Promise.resolve({
      query: 'mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } warnings { field } } }',
      variables: { i: { preferredName: 'Matrix client', idempotencyKey: retryKey() } },
    }),
  async updateClient(w, c, target) {
    const client = await w.f.client(orgOf(w, c, target));
    return {
      query:
        'mutation ($id: ID!, $i: UpdateClientInput!) { updateClient(id: $id, input: $i) { client { id } warnings { field } } }',
      variables: { id: client.id, i: { pronouns: 'they/them' } },
    };
  },
  async eraseClient(w, c, target) {
    const client = await w.f.client(orgOf(w, c, target));
    return {
      query: 'mutation ($id: ID!) { eraseClient(id: $id) { client { id erased } warnings { field } } }',
      variables: { id: client.id },
    };
  },
  async client(w, c, target) {
    const client = await w.f.client(orgOf(w, c, target));
    return { query: 'query ($id: ID!) { client(id: $id) { id preferredName } }', variables: { id: client.id } };
  },
  async clients(w, c) {
    await w.f.client(c.organization);
    return { query: '{ clients(first: 5) { edges { node { id preferredName } } } }' };
  },
  async clientAccessReport(w, c, target) {
    const client = await w.f.client(orgOf(w, c, target));
    return {
      query: 'query ($id: ID!) { clientAccessReport(clientId: $id) { totalCount } }',
      variables: { id: client.id },
    };
  },
  async recordConsent(w, c, target) {
    const client = await w.f.client(orgOf(w, c, target));
    return {
      query: 'mutation ($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } warnings { field } } }',
      variables: {
        i: {
          clientId: client.id,
          recipientOrganizationIds: [w.other.id],
          purpose: 'SERVICE_REFERRAL',
          dataCategories: ['NEEDS'],
          method: 'VERBAL',
          language: 'en',
          noticeVersion: 'matrix-1',
          expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          idempotencyKey: retryKey(),
        },
      },
    };
  },
  async revokeConsent(w, c, target) {
    const consent = await consentOf(w, c, target);
    return {
      query:
        'mutation ($id: ID!, $key: String) { revokeConsent(id: $id, reason: { code: CLIENT_WITHDREW }, idempotencyKey: $key) { consent { id } warnings { field } } }',
      variables: { id: consent.id, key: retryKey() },
    };
  },
  async consent(w, c, target) {
    const consent = await consentOf(w, c, target);
    return { query: 'query ($id: ID!) { consent(id: $id) { id status } }', variables: { id: consent.id } };
  },
  // Referral requests select record fields only (no `client`, no `reason`): no READ events.
  async referral(w, c, target) {
    const side = sideWorkedBy(c);
    const referral = await referralOf(w, c, target, side);
    return {
      query: 'query ($id: ID!) { referral(id: $id) { id status } }',
      variables: { id: referral.id },
      opensReferral: target === 'own' && side === 'received',
    };
  },
  async referrals(w, c) {
    const side = sideWorkedBy(c);
    await referralOf(w, c, 'own', side);
    return {
      query: 'query ($box: ReferralBox!) { referrals(box: $box, first: 5) { edges { node { id } } } }',
      variables: { box: side === 'received' ? 'INBOX' : 'OUTBOX' },
    };
  },
  async sendReferral(w, c, target) {
    const [holder, recipient] = target === 'own' ? [c.organization, w.other] : [w.other, w.third];
    const client = await w.f.client(holder);
    const consent = await w.f.consent(client, [recipient]);
    const service = await w.f.service(recipient);
    return {
      query:
        'mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id status } warnings { field } } }',
      variables: {
        i: {
          clientId: client.id,
          serviceId: service.id,
          consentId: consent.id,
          reason: 'Referred in the matrix.',
          idempotencyKey: retryKey(),
        },
      },
    };
  },
  cancelReferral: transition('sent', ReferralStatus.SENT, 'cancelReferral(id: $id, reason: { code: CLIENT_REQUEST })'),
  acceptReferral: transition('received', ReferralStatus.SENT, 'acceptReferral(id: $id)'),
  declineReferral: transition(
    'received',
    ReferralStatus.SENT,
    'declineReferral(id: $id, reason: { code: NO_CAPACITY })',
  ),
  startReferral: transition('received', ReferralStatus.ACCEPTED, 'startReferral(id: $id)'),
  holdReferral: transition('received', ReferralStatus.ACCEPTED, 'holdReferral(id: $id, reason: { code: WAITLISTED })'),
  resumeReferral: transition('received', ReferralStatus.ON_HOLD, 'resumeReferral(id: $id)'),
  completeReferral: transition(
    'received',
    ReferralStatus.IN_PROGRESS,
    'completeReferral(id: $id, outcome: { code: SERVICE_PROVIDED })',
  ),
  closeReferralUnmet: transition(
    'received',
    ReferralStatus.ACCEPTED,
    'closeReferralUnmet(id: $id, reason: { code: NO_CAPACITY })',
  ),
  webhookEndpoints: () => Promise.resolve({ query: '{ webhookEndpoints { totalCount } }' }),
  async createWebhookEndpoint(w, c) {
    // The fixtures of the other webhook cells must not fill the organization up to its limit.
    await w.t.orm.em
      .fork()
      .getConnection()
      .execute('delete from webhook_endpoint where organization_id = ?', [c.organization.id]);
    return {
      query:
        'mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret warnings { field } } }',
      variables: { i: { url: 'https://hooks.matrix.example/in', eventTypes: ['REFERRAL_SENT'] } },
    };
  },
  async updateWebhookEndpoint(w, c, target) {
    const { endpoint } = await w.f.webhookEndpoint(orgOf(w, c, target));
    return {
      query:
        'mutation ($id: ID!, $i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { webhookEndpoint { id } warnings { field } } }',
      variables: { id: endpoint.id, i: { description: 'Changed in the matrix.' } },
    };
  },
  deleteWebhookEndpoint: onEndpoint('deleteWebhookEndpoint(id: $id) { webhookEndpoint { id } warnings { field } }'),
  rotateWebhookSecret: onEndpoint('rotateWebhookSecret(id: $id) { secret warnings { field } }'),
  sendTestWebhook: onEndpoint('sendTestWebhook(id: $id) { webhookDelivery { id } warnings { field } }'),
  referralChanges() {
    return Promise.resolve({
      query: '{ referralChanges(first: 5) { edges { node { id type } } pageInfo { endCursor } } }',
    });
  },
  referralEvents: () => Promise.resolve({ query: 'subscription { referralEvents { id type } }', transport: 'ws' }),
  async webhookDeliveries(w, c, target) {
    const { endpoint } = await w.f.webhookEndpoint(orgOf(w, c, target));
    return {
      query: 'query ($id: ID!) { webhookDeliveries(endpointId: $id) { totalCount } }',
      variables: { id: endpoint.id },
    };
  },
  async redeliverWebhook(w, c, target) {
    const delivery = await w.f.webhookDelivery((await w.f.webhookEndpoint(orgOf(w, c, target))).endpoint);
    return {
      query: 'mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { webhookDelivery { id } warnings { field } } }',
      variables: { id: delivery.id },
    };
  },
  async replayWebhookDeliveries(w, c, target) {
    const { endpoint } = await w.f.webhookEndpoint(orgOf(w, c, target));
    return {
      query:
        'mutation ($i: ReplayWebhookDeliveriesInput!) { replayWebhookDeliveries(input: $i) { replayed warnings { field } } }',
      variables: {
        i: {
          endpointId: endpoint.id,
          from: new Date(Date.now() - 86_400_000).toISOString(),
          to: new Date().toISOString(),
        },
      },
    };
  },
  trainingModules: () =>
    Promise.resolve({ query: '{ trainingModules(first: 5) { edges { node { id version acknowledged } } } }' }),
  async acknowledgeTraining(w) {
    const module = await w.f.trainingModule();
    return {
      query:
        'mutation ($id: ID!, $v: Int!) { acknowledgeTraining(moduleId: $id, version: $v) { trainingModule { id } warnings { field } } }',
      variables: { id: module.id, v: module.version },
    };
  },
  async publishTrainingModule(w, c) {
    const led = c.accountId
      ? (await w.t.orm.em.fork().findOne(Membership, { account: c.accountId, organization: c.organization.id }))
          ?.leadServiceArea
      : null;
    return {
      query:
        'mutation ($i: PublishTrainingModuleInput!) { publishTrainingModule(input: $i) { trainingModule { id version } warnings { field } } }',
      variables: {
        i: {
          audience: led ?? 'ALL',
          title: 'Matrix module',
          summary: 'Published in the matrix.',
          url: 'https://training.example.test/m',
        },
      },
    };
  },
  trainingCoverage: () =>
    Promise.resolve({
      query: '{ trainingCoverage(first: 5) { totalCount edges { node { organizationId trainedCount } } } }',
    }),
  async addReferralNote(w, c, target) {
    const referral = await referralOf(w, c, target, sideWorkedBy(c));
    return {
      query: 'mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } warnings { field } } }',
      variables: { i: { referralId: referral.id, body: 'A note from the matrix.', idempotencyKey: retryKey() } },
    };
  },
};

type Side = 'sent' | 'received';

/** A mutation on one webhook endpoint of the target organization, by id. */
function onEndpoint(call: string) {
  return async (w: World, c: CallerState, target: Target): Promise<Request> => {
    const { endpoint } = await w.f.webhookEndpoint(orgOf(w, c, target));
    return { query: `mutation ($id: ID!) { ${call} }`, variables: { id: endpoint.id } };
  };
}

/** The side of a referral a caller works where an operation serves both: INTAKE its inbox, everyone else its outbox. */
function sideWorkedBy(c: CallerState): Side {
  return c.caller === 'INTAKE' ? 'received' : 'sent';
}

/**
 * A referral in `status`. For 'own', one the caller's organization sent to another organization's
 * service, or received from another organization (`side`); for 'other', one between two
 * organizations that are not the caller's.
 */
async function referralOf(w: World, c: CallerState, target: Target, side: Side, status = ReferralStatus.SENT) {
  const [sender, receiver] =
    target === 'other' ? [w.other, w.third] : side === 'sent' ? [c.organization, w.other] : [w.other, c.organization];
  const client = await w.f.client(sender);
  const consent = await w.f.consent(client, [receiver]);
  return w.f.referral(consent, await w.f.service(receiver), { status });
}

/**
 * A lifecycle step on a referral of `side` in a state it is legal from (`call` gives the reason or
 * outcome it requires), with the version just read and an idempotency key.
 */
function transition(side: Side, from: ReferralStatus, call: string) {
  return async (w: World, c: CallerState, target: Target): Promise<Request> => {
    const referral = await referralOf(w, c, target, side, from);
    return {
      query: `mutation ($id: ID!, $v: Int, $key: String) { ${call.replace(/\)$/, ', expectedVersion: $v, idempotencyKey: $key)')} { referral { id status } warnings { field } } }`,
      variables: { id: referral.id, v: referral.version, key: retryKey() },
    };
  };
}

/** A fresh idempotency key: the mutations partners retry are called with one, which changes nothing about who may call them. */
function retryKey(): string {
  return `matrix-${Math.random().toString(36).slice(2)}`;
}

/** A consent of a client of the target organization, naming an organization other than the holder. */
async function consentOf(w: World, c: CallerState, target: Target) {
  const client = await w.f.client(orgOf(w, c, target));
  return w.f.consent(client, [target === 'own' ? w.other : c.organization]);
}

/** The mutations that answer with a credential (`LoginPayload`) rather than a payload with `warnings`. */
const CREDENTIAL_MUTATIONS = new Set<string>(['login', 'acceptInvitation', 'changePassword']);

/** Reads that are themselves audited like a use case: reading and verifying the audit log, reports. */
const AUDITED_READS = new Set<string>([
  'auditEvents',
  'verifyAuditLog',
  'auditCheckpoint',
  'referralReport',
  'trainingCoverage',
]);

/**
 * Reads of a client's data, with how many READ events a successful response must have written:
 * one per client (or consent) it shows, each naming its client (no event, no data).
 */
const CLIENT_DATA_READS: Record<string, (data: Record<string, unknown>) => number> = {
  client: () => 1,
  clients: (data) => (data as { clients: { edges: unknown[] } }).clients.edges.length,
  consent: () => 1,
  clientAccessReport: () => 1,
};

function expectedOnSuccess(
  w: World,
  operation: string,
  request: Request,
  data: Record<string, unknown>,
): Record<string, number> {
  const reads = CLIENT_DATA_READS[operation]?.(data);
  if (reads !== undefined) return reads === 0 ? {} : { READ: reads };
  return isMutation(w, operation) || AUDITED_READS.has(operation) || request.opensReferral ? { SUCCESS: 1 } : {};
}

/**
 * A subscription, as a partner's graphql-ws client sends it, answered like an HTTP request: a
 * connection refused in `connection_init` is UNAUTHENTICATED; a refused subscription answers with
 * its errors; an accepted one answers with the first event its caller's organization is told of
 * (one is published to the process's subscribers once the subscription is live).
 */
async function overWebSocket(w: World, c: CallerState, query: string): Promise<GraphQLResponse> {
  const hub = w.t.app.get(LiveEventsHub);
  const before = hub.size;
  const client = live(await w.t.listen(), { authorization: c.token ? `Bearer ${c.token}` : undefined, query });
  try {
    await until(
      () => client.closed !== null || client.results.length > 0 || hub.size > before,
      'the subscription was answered',
    );
    if (client.results.length === 0 && client.closed?.code === 4401)
      return { status: 101, errors: [{ message: 'closed', extensions: { code: 'UNAUTHENTICATED' } }], headers: {} };
    if (client.results.length === 0) {
      hub.publish([
        {
          id: randomUUID(),
          type: 'consent.revoked',
          occurredAt: new Date().toISOString(),
          organizationIds: [c.organization.id],
          data: { consentId: randomUUID(), actingOrganizationId: c.organization.id },
        },
      ]);
      await until(() => client.results.length > 0, 'the event arrived');
    }
    const [result] = client.results;
    return { status: 101, data: result.data, errors: result.errors as GraphQLResponse['errors'], headers: {} };
  } finally {
    await client.dispose();
    await until(() => hub.size === before, 'the subscription ended');
  }
}

function isMutation(w: World, operation: string): boolean {
  return operation in w.t.app.get(GraphQLSchemaHost).schema.getMutationType()!.getFields();
}

/** Events by kind: DENIED, SUCCESS, and READ for successful reads that name a client as their subject. */
async function auditCounts(w: World): Promise<Record<string, number>> {
  const rows = await w.t.orm.em
    .fork()
    .getConnection()
    .execute<{ kind: string; n: string }[]>(
      `select case when outcome = 'SUCCESS' and category = 'READ' and subject_client_id is not null then 'READ' else outcome::text end as kind, count(*) as n
       from audit_event group by 1`,
    );
  return Object.fromEntries(rows.map((row) => [row.kind, Number(row.n)]));
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)])
      .filter(([, v]) => v !== 0),
  );
}

function orgOf(w: World, c: CallerState, target: Target): Organization {
  return target === 'own' ? c.organization : w.other;
}

describe('Authorization matrix', () => {
  const world = {} as World;

  beforeAll(async () => {
    world.t = await startTestApp();
    world.f = new Fixtures(world.t);
    const { f } = world;
    const operator = await f.operator();
    const own = await f.organization({ name: 'Matrix own organization' });
    world.other = await f.organization({ name: 'Matrix other organization' });
    world.third = await f.organization({ name: 'Matrix third organization' });
    const person = async (caller: Caller, org: Organization, roles: Role[]): Promise<CallerState> => {
      const s = await f.signedIn(org, roles);
      return { caller, token: s.token, organization: org, accountId: s.accountId };
    };
    world.callers = {
      anonymous: { caller: 'anonymous', organization: own },
      NETWORK_ADMIN: await person('NETWORK_ADMIN', operator, [Role.NETWORK_ADMIN]),
      ORG_ADMIN: await person('ORG_ADMIN', own, [Role.ORG_ADMIN]),
      CASEWORKER: await person('CASEWORKER', own, [Role.CASEWORKER]),
      INTAKE: await person('INTAKE', own, [Role.INTAKE]),
      AUDITOR: await person('AUDITOR', own, [Role.AUDITOR]),
      SERVICE_AREA_LEAD: await person('SERVICE_AREA_LEAD', operator, [Role.SERVICE_AREA_LEAD]),
      API_DIRECTORY_WRITE: {
        caller: 'API_DIRECTORY_WRITE',
        token: (await f.apiClient(own, [ApiScope.DIRECTORY_WRITE])).key,
        organization: own,
      },
      API_WEBHOOKS_WRITE: {
        caller: 'API_WEBHOOKS_WRITE',
        token: (await f.apiClient(own, [ApiScope.WEBHOOKS_WRITE])).key,
        organization: own,
      },
      API_OTHER_SCOPES: {
        caller: 'API_OTHER_SCOPES',
        token: (
          await f.apiClient(
            own,
            Object.values(ApiScope).filter((s) => s !== ApiScope.DIRECTORY_WRITE && s !== ApiScope.WEBHOOKS_WRITE),
          )
        ).key,
        organization: own,
      },
    };
  });
  afterAll(() => world.t.close());

  it('has a row for every query, mutation and subscription of the schema, and a request for every row', () => {
    const schema = world.t.app.get(GraphQLSchemaHost).schema;
    const operations = [
      ...Object.keys(schema.getQueryType()!.getFields()),
      ...Object.keys(schema.getMutationType()!.getFields()),
      ...Object.keys(schema.getSubscriptionType()!.getFields()),
    ].sort();
    expect(Object.keys(EXPECTED).sort()).toEqual(operations);
    expect(Object.keys(REQUESTS).sort()).toEqual(operations);
  });

  interface Cell {
    operation: string;
    caller: Caller;
    target: Target;
    outcome: Outcome;
  }
  const cells: Cell[] = Object.entries(EXPECTED).flatMap(([operation, row]) =>
    CALLERS.flatMap((caller): Cell[] => {
      const expected = row[caller];
      return Array.isArray(expected)
        ? (['own', 'other'] as const).map((target, i) => ({ operation, caller, target, outcome: expected[i] }))
        : [{ operation, caller, target: 'own', outcome: expected }];
    }),
  );

  it.each(cells)(
    '$operation by $caller on $target organization → $outcome',
    async ({ operation, caller, target, outcome }) => {
      const c = world.callers[caller];
      const request = await REQUESTS[operation](world, c, target);
      const { query, variables } = request;
      const before = await auditCounts(world);
      const res =
        request.transport === 'ws'
          ? await overWebSocket(world, c, query)
          : await world.t.gql<Record<string, unknown>>(query, variables, c.token);
      const written = diff(await auditCounts(world), before);
      if (outcome === 'OK') {
        expect(res.errors).toBeUndefined();
        expect(res.data?.[operation]).toBeTruthy();
        expect(written).toEqual(expectedOnSuccess(world, operation, request, res.data!));
        if (isMutation(world, operation) && !CREDENTIAL_MUTATIONS.has(operation))
          expect(res.data![operation]).toMatchObject({ warnings: [] });
      } else {
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual([outcome]);
        expect(res.data?.[operation] ?? null).toBeNull();
        expect(written).toEqual({ DENIED: 1 });
      }
      // A new module leaves everyone untrained: the callers acknowledge it, so that the cells that follow reach client data.
      if (operation === 'publishTrainingModule') await world.f.acknowledgeEverything();
      if (operation === 'changePassword' && outcome === 'OK' && c.accountId) {
        // Put the caller's password back, and revive its token (the change ended it), for the cells that follow.
        const hash = await world.t.app.get(PasswordHasher).hash(TEST_PASSWORD);
        await world.t.orm.em
          .fork()
          .nativeUpdate(StaffAccount, { id: c.accountId }, { passwordHash: hash, credentialVersion: 0 });
      }
    },
  );

  it('counts its cells', () => {
    expect(cells.length).toBeGreaterThan(150);
  });
});

/**
 * The police victim-services unit is an ordinary member (docs/design.md, The demo network): on
 * every operation that reaches client data, its caseworker and its intake get exactly the cells
 * of any organization's CASEWORKER and INTAKE above — their own organization's objects, NOT_FOUND
 * for everyone else's, no client search for the intake — with the same audit events.
 */
const CLIENT_DATA_OPERATIONS = [
  'registerClient',
  'updateClient',
  'client',
  'clients',
  'eraseClient',
  'clientAccessReport',
  'recordConsent',
  'revokeConsent',
  'consent',
  'referral',
  'referrals',
  'sendReferral',
  'cancelReferral',
  'acceptReferral',
  'declineReferral',
  'startReferral',
  'holdReferral',
  'resumeReferral',
  'completeReferral',
  'closeReferralUnmet',
  'addReferralNote',
  'referralChanges',
];

describe('Authorization matrix: a police victim-services unit', () => {
  const world = {} as World;
  const police = {} as Record<'CASEWORKER' | 'INTAKE', CallerState>;

  beforeAll(async () => {
    world.t = await startTestApp();
    world.f = new Fixtures(world.t);
    const unit = await world.f.organization({
      name: 'Matrix police victim services',
      kind: OrganizationKind.CITY_DEPARTMENT,
      serviceAreas: [ServiceArea.VICTIM_SERVICES],
    });
    world.other = await world.f.organization({ name: 'Matrix shelter' });
    world.third = await world.f.organization({ name: 'Matrix clinic' });
    for (const role of ['CASEWORKER', 'INTAKE'] as const) {
      const s = await world.f.signedIn(unit, [Role[role]]);
      police[role] = { caller: role, token: s.token, organization: unit, accountId: s.accountId };
    }
  });
  afterAll(() => world.t.close());

  const cells = CLIENT_DATA_OPERATIONS.flatMap((operation) =>
    (['CASEWORKER', 'INTAKE'] as const).flatMap((role) => {
      const expected = EXPECTED[operation][role];
      return Array.isArray(expected)
        ? (['own', 'other'] as const).map((target, i) => ({ operation, role, target, outcome: expected[i] }))
        : [{ operation, role, target: 'own' as const, outcome: expected }];
    }),
  );

  it.each(cells)(
    '$operation by its $role on $target organization → $outcome',
    async ({ operation, role, target, outcome }) => {
      const c = police[role];
      const request = await REQUESTS[operation](world, c, target);
      const before = await auditCounts(world);
      const res = await world.t.gql<Record<string, unknown>>(request.query, request.variables, c.token);
      const written = diff(await auditCounts(world), before);
      if (outcome === 'OK') {
        expect(res.errors).toBeUndefined();
        expect(res.data?.[operation]).toBeTruthy();
        expect(written).toEqual(expectedOnSuccess(world, operation, request, res.data!));
      } else {
        expect(res.errors?.map((e) => e.extensions?.code)).toEqual([outcome]);
        expect(written).toEqual({ DENIED: 1 });
      }
    },
  );

  it('searches its own clients only: a name another organization holds finds nothing', async () => {
    await world.f.client(world.other, { preferredName: 'Held Elsewhere' });
    await world.f.client(police.CASEWORKER.organization, { preferredName: 'Held Here' });
    const search = async (text: string) =>
      (
        await world.t.gql<{ clients: { edges: { node: { preferredName: string } }[] } }>(
          'query ($s: String) { clients(search: $s, first: 10) { edges { node { preferredName } } } }',
          { s: text },
          police.CASEWORKER.token,
        )
      ).data!.clients.edges.map((edge) => edge.node.preferredName);
    expect(await search('Held Elsewhere')).toEqual([]);
    expect(await search('Held')).toEqual(['Held Here']);
  });
});
