/**
 * Schema-driven fuzzing of every operation of the schema (queries and mutations), each called by
 * callers allowed to run it, with arguments generated from their GraphQL types plus hostile values
 * (test/support/schema-fuzz.ts), against a world of real objects so that calls reach the service
 * code and the database. No answer may be an INTERNAL_SERVER_ERROR, an HTTP 5xx, a stack trace or
 * SQL; and no input may end up in the log, the audit trail or the outbox (every generated string
 * may carry the run's marker: none of those may).
 *
 * `npm test` runs FUZZ_RUNS (default 12) cases per operation with a fixed seed, printed;
 * `npm run fuzz` runs many more. Environment: FUZZ_SEED (replay a run), FUZZ_RUNS, FUZZ_OPS (a
 * comma-separated list of operations), FUZZ_PATH (with FUZZ_SEED and one operation in FUZZ_OPS:
 * replay exactly the failing case that fast-check reports), FUZZ_LOG (a file that gets every case
 * and its answer's code, one JSON line each).
 * An operation of the schema without a row in CALLERS fails the suite, as does an ID argument or
 * input field without a pool of real ids in ID_POOLS.
 */
import { ApiScope, Role } from '@harbour/authz';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import { ServiceArea } from '../../src/common/service-area';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { ReferralAction, ReferralStatus } from '../../src/modules/referrals/referral.enums';
import { REASON_CODES } from '../../src/modules/referrals/referral-lifecycle';
import { ApiClient } from '../../src/modules/staff/api-client.entity';
import { Membership } from '../../src/modules/staff/membership.entity';
import { StaffAccount } from '../../src/modules/staff/staff-account.entity';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import {
  abbreviate,
  deepNestingCases,
  describeCall,
  documentFor,
  type FuzzCall,
  type FuzzWorld,
  idCoordinates,
  newMarker,
  requestBody,
  operationArbitrary,
  rootField,
  rootFields,
  type RootKind,
} from '../support/schema-fuzz';
import { startTestApp, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

const DEFAULT_SEED = 20_261_205;
const DEFAULT_RUNS = 12;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer (got "${raw}")`);
  return value;
}

const FUZZ_SEED = envInt('FUZZ_SEED', DEFAULT_SEED);
const FUZZ_RUNS = envInt('FUZZ_RUNS', DEFAULT_RUNS);
const FUZZ_OPS = process.env.FUZZ_OPS?.split(',')
  .map((op) => op.trim())
  .filter(Boolean);
const FUZZ_PATH = process.env.FUZZ_PATH?.trim() || undefined;
/** A file to append every case and its answer to (one JSON line each), to see where the cases go. */
const FUZZ_LOG = process.env.FUZZ_LOG?.trim() || undefined;

// ---------------------------------------------------------------------------------------------
// Callers

/**
 * The world's callers. `freshStaff` is a caseworker of the own organization made and signed in for
 * the one case: for operations that change the caller itself (its password, its memberships).
 */
type CallerName =
  | 'anonymous'
  | 'orgAdmin'
  | 'caseworker'
  | 'intake'
  | 'auditor'
  | 'networkAdmin'
  | 'networkAuditor'
  | 'areaLead'
  | 'partner'
  | 'freshStaff';

/** Who runs each operation: callers allowed to (see the authorization matrix), each case picking one. */
const CALLERS: Record<string, readonly CallerName[]> = {
  // Identity
  login: ['anonymous'],
  acceptInvitation: ['anonymous', 'freshStaff'],
  me: ['caseworker', 'partner', 'networkAdmin', 'areaLead'],
  changePassword: ['freshStaff'],
  // Directory
  organization: ['caseworker', 'partner', 'networkAdmin', 'intake'],
  organizations: ['caseworker', 'partner', 'networkAdmin', 'areaLead'],
  service: ['caseworker', 'partner', 'networkAdmin', 'intake'],
  services: ['caseworker', 'partner', 'networkAdmin', 'areaLead'],
  serviceAreas: ['caseworker', 'partner', 'networkAdmin', 'areaLead'],
  referralReport: ['areaLead', 'networkAdmin'],
  createOrganization: ['networkAdmin'],
  updateOrganization: ['networkAdmin', 'orgAdmin', 'partner'],
  createService: ['orgAdmin', 'partner'],
  updateService: ['orgAdmin', 'partner'],
  createLocation: ['orgAdmin', 'partner'],
  updateLocation: ['orgAdmin', 'partner'],
  // Staff and API clients
  staffMembers: ['orgAdmin', 'networkAdmin'],
  staffInvitations: ['orgAdmin', 'networkAdmin'],
  createStaffAccount: ['orgAdmin', 'networkAdmin'],
  setStaffRoles: ['orgAdmin', 'networkAdmin'],
  deactivateStaffAccount: ['orgAdmin'],
  apiClients: ['orgAdmin'],
  createApiClient: ['orgAdmin'],
  revokeApiClient: ['orgAdmin'],
  // Audit
  auditEvents: ['auditor', 'networkAuditor', 'partner'],
  verifyAuditLog: ['auditor', 'networkAuditor', 'partner'],
  auditCheckpoint: ['auditor', 'networkAuditor', 'partner'],
  // Clients and consent
  registerClient: ['caseworker', 'partner'],
  updateClient: ['caseworker', 'partner'],
  client: ['caseworker', 'partner'],
  clients: ['caseworker', 'partner'],
  clientAccessReport: ['caseworker', 'auditor', 'partner'],
  recordConsent: ['caseworker', 'partner'],
  revokeConsent: ['caseworker', 'partner'],
  consent: ['caseworker', 'partner'],
  eraseClient: ['caseworker', 'orgAdmin'],
  // Referrals
  referral: ['caseworker', 'intake', 'partner'],
  referrals: ['caseworker', 'intake', 'partner'],
  sendReferral: ['caseworker', 'partner'],
  cancelReferral: ['caseworker', 'partner'],
  acceptReferral: ['intake', 'partner'],
  declineReferral: ['intake', 'partner'],
  startReferral: ['intake', 'partner'],
  holdReferral: ['intake', 'partner'],
  resumeReferral: ['intake', 'partner'],
  completeReferral: ['intake', 'partner'],
  closeReferralUnmet: ['intake', 'partner'],
  addReferralNote: ['caseworker', 'intake', 'partner'],
  referralChanges: ['caseworker', 'intake', 'partner'],
  // Webhooks
  webhookEndpoints: ['orgAdmin', 'partner'],
  createWebhookEndpoint: ['orgAdmin', 'partner'],
  updateWebhookEndpoint: ['orgAdmin', 'partner'],
  deleteWebhookEndpoint: ['orgAdmin', 'partner'],
  rotateWebhookSecret: ['orgAdmin', 'partner'],
  sendTestWebhook: ['orgAdmin', 'partner'],
  webhookDeliveries: ['orgAdmin', 'partner'],
  redeliverWebhook: ['orgAdmin', 'partner'],
  replayWebhookDeliveries: ['orgAdmin', 'partner'],
  // Training
  trainingModules: ['caseworker', 'intake', 'networkAdmin'],
  publishTrainingModule: ['networkAdmin', 'areaLead'],
  acknowledgeTraining: ['caseworker', 'intake', 'areaLead'],
  trainingCoverage: ['networkAdmin', 'areaLead'],
};

/** Mutations that may change the world's callers (roles, memberships, keys, organizations): the world is put back after each case. */
const RESTORE_AFTER = new Set([
  'setStaffRoles',
  'deactivateStaffAccount',
  'revokeApiClient',
  'updateOrganization',
  'acceptInvitation',
  // A new version leaves everyone untrained: the world's people acknowledge it, so that later cases reach client data.
  'publishTrainingModule',
]);

// ---------------------------------------------------------------------------------------------
// Real ids, by schema coordinate

type PoolName =
  | 'organizations'
  | 'chains'
  | 'services'
  | 'locations'
  | 'clients'
  | 'consents'
  | 'referrals'
  | 'staff'
  | 'apiClients'
  | 'webhookEndpoints'
  | 'webhookDeliveries'
  | 'trainingModules'
  | 'any';

const REFERRAL_IDS = [
  'acceptReferral',
  'declineReferral',
  'startReferral',
  'holdReferral',
  'resumeReferral',
  'completeReferral',
  'closeReferralUnmet',
  'cancelReferral',
].map((op) => [`Mutation.${op}.id`, 'referrals'] as const);

const ID_POOLS: Record<string, PoolName> = {
  'Query.referral.id': 'referrals',
  ...Object.fromEntries(REFERRAL_IDS),
  'AddReferralNoteInput.referralId': 'referrals',
  'SendReferralInput.basedOnId': 'referrals',
  'Query.client.id': 'clients',
  'Mutation.updateClient.id': 'clients',
  'Mutation.eraseClient.id': 'clients',
  'Query.clientAccessReport.clientId': 'clients',
  'SendReferralInput.clientId': 'clients',
  'RecordConsentInput.clientId': 'clients',
  'AuditEventsFilterInput.subjectClientId': 'clients',
  'Query.consent.id': 'consents',
  'Mutation.revokeConsent.id': 'consents',
  'SendReferralInput.consentId': 'consents',
  'Query.service.id': 'services',
  'Mutation.updateService.id': 'services',
  'SendReferralInput.serviceId': 'services',
  'Query.referrals.serviceId': 'services',
  'Mutation.updateLocation.id': 'locations',
  'CreateServiceInput.locationIds': 'locations',
  'UpdateServiceInput.locationIds': 'locations',
  'Query.organization.id': 'organizations',
  'Mutation.updateOrganization.id': 'organizations',
  'RecordConsentInput.recipientOrganizationIds': 'organizations',
  'LoginInput.organizationId': 'organizations',
  'CreateStaffAccountInput.organizationId': 'organizations',
  'ServicesFilterInput.organizationId': 'organizations',
  'Query.verifyAuditLog.chainId': 'chains',
  'AuditEventsFilterInput.organizationId': 'chains',
  'SetStaffRolesInput.accountId': 'staff',
  'Mutation.deactivateStaffAccount.accountId': 'staff',
  'AuditEventsFilterInput.actorId': 'staff',
  'Mutation.revokeApiClient.id': 'apiClients',
  'Mutation.updateWebhookEndpoint.id': 'webhookEndpoints',
  'Mutation.deleteWebhookEndpoint.id': 'webhookEndpoints',
  'Mutation.rotateWebhookSecret.id': 'webhookEndpoints',
  'Mutation.sendTestWebhook.id': 'webhookEndpoints',
  'Query.webhookDeliveries.endpointId': 'webhookEndpoints',
  'ReplayWebhookDeliveriesInput.endpointId': 'webhookEndpoints',
  'Mutation.redeliverWebhook.deliveryId': 'webhookDeliveries',
  'AuditEventsFilterInput.entityId': 'any',
  'PublishTrainingModuleInput.moduleId': 'trainingModules',
  'Mutation.acknowledgeTraining.moduleId': 'trainingModules',
};

/**
 * Stands for an object made for the one case, by the runner, just before the call: a generated
 * value may hold it where an id or a token goes, so that the call finds what it needs in the
 * state it needs (a pending invitation, a referral in the status the action starts from, a client
 * with an active consent) however earlier cases changed the world.
 */
type FreshKind =
  | 'invitation'
  | 'client'
  | 'consent'
  | 'service'
  | 'ownConsent'
  | 'webhookEndpoint'
  | 'webhookDelivery'
  | `referral:${ReferralStatus}:${'sent' | 'received' | 'mine'}`;
const fresh = (kind: FreshKind) => `@@fuzz:fresh:${kind}@@`;
const FRESH = /^@@fuzz:fresh:([\w:]+)@@$/;

// ---------------------------------------------------------------------------------------------
// What an answer must never be

/** A stack frame, a source path, SQL or a database error's words. */
const LEAK =
  /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|select .* from|insert into|update .* set|violates|SQLSTATE|syntax error at or near/i;

interface Answer {
  status: number;
  text: string;
  body: unknown;
  ms: number;
  requestId?: string;
}

function problemsOf(answer: Answer, variables: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
  const errors = (answer.body as { errors?: { extensions?: Record<string, unknown> }[] } | null)?.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) problems.push('INTERNAL_SERVER_ERROR');
  if (errors.some((e) => e.extensions && ('stacktrace' in e.extensions || 'exception' in e.extensions)))
    problems.push('a stacktrace or exception extension');
  const leak = LEAK.exec(answer.text);
  // What the caller sent may come back as data (a name, a note): only text the server made up counts.
  if (leak && !requestBody('', variables).includes(leak[0]))
    problems.push(`the answer matches ${String(LEAK)}: "${leak[0].slice(0, 120)}"`);
  return problems;
}

function describeAnswer(answer: Answer): string {
  const text = answer.text.length > 2000 ? `${answer.text.slice(0, 2000)}…(${answer.text.length} chars)` : answer.text;
  return `HTTP ${answer.status} in ${answer.ms} ms: ${text}`;
}

// ---------------------------------------------------------------------------------------------
// The world

interface Caller {
  token?: string;
  accountId?: string;
  email?: string;
}

interface World {
  t: TestApp;
  f: Fixtures;
  marker: string;
  own: Organization;
  other: Organization;
  third: Organization;
  operator: Organization;
  callers: Record<Exclude<CallerName, 'freshStaff' | 'anonymous'>, Caller>;
  pools: Record<PoolName, string[]>;
  emails: string[];
  cursors: string[];
  /** The real cursors of each list operation. */
  cursorsByOperation: Record<string, string[]>;
  /** Ids that belong together: what a referral may be sent with, whom a consent may name. */
  coherent: { sendReferral: Record<string, string>[]; recordConsent: Record<string, unknown>[] };
  /** Puts back what mutations of RESTORE_AFTER may change. */
  restore(): Promise<void>;
}

async function buildWorld(t: TestApp, marker: string): Promise<World> {
  const f = new Fixtures(t);
  const operator = await f.operator();
  const own = await f.organization({ name: 'Fuzz shelter', serviceAreas: [ServiceArea.SHELTER, ServiceArea.HOUSING] });
  const other = await f.organization({ name: 'Fuzz clinic', serviceAreas: [ServiceArea.HEALTH] });
  const third = await f.organization({ name: 'Fuzz food bank' });
  const person = async (org: Organization, roles: Role[]): Promise<Caller> => {
    const s = await f.signedIn(org, roles);
    return { token: s.token, accountId: s.accountId, email: s.email };
  };
  const partnerKey = await f.apiClient(own, Object.values(ApiScope));
  const callers: World['callers'] = {
    orgAdmin: await person(own, [Role.ORG_ADMIN]),
    caseworker: await person(own, [Role.CASEWORKER]),
    intake: await person(own, [Role.INTAKE]),
    auditor: await person(own, [Role.AUDITOR]),
    networkAdmin: await person(operator, [Role.NETWORK_ADMIN]),
    networkAuditor: await person(operator, [Role.AUDITOR]),
    areaLead: await person(operator, [Role.SERVICE_AREA_LEAD]),
    partner: { token: partnerKey.key, accountId: partnerKey.id },
  };
  // Targets for the staff and key mutations, besides the callers themselves.
  const targets = [
    await f.staff(own, [Role.CASEWORKER]),
    await f.staff(own, [Role.INTAKE, Role.AUDITOR]),
    await f.staff(other, [Role.ORG_ADMIN]),
  ];
  const otherCaseworker = await f.staff(other, [Role.CASEWORKER]);
  const keys = [
    (await f.apiClient(own, [ApiScope.REFERRALS_READ])).id,
    (await f.apiClient(own, [ApiScope.DIRECTORY_WRITE])).id,
    (await f.apiClient(other, [ApiScope.AUDIT_READ])).id,
  ];
  for (const roles of [[Role.CASEWORKER], [Role.ORG_ADMIN, Role.AUDITOR]]) await f.invitation(own, roles);
  // Webhook endpoints (some deleted by cases, which then meet NOT_FOUND) and delivered messages to send again.
  const endpoints = [
    ...(await Promise.all(
      [1, 2, 3, 4, 5].map(async (i) => (await f.webhookEndpoint(own, `https://hooks.fuzz.example/${i}`)).endpoint),
    )),
    (await f.webhookEndpoint(other)).endpoint,
  ];
  const deliveries = [
    ...(await Promise.all(endpoints.slice(0, 3).map((endpoint) => f.webhookDelivery(endpoint)))),
    await f.webhookDelivery(endpoints[endpoints.length - 1]),
  ];

  const ownLocations = [await f.location(own), await f.location(own, { name: 'Safe house', confidential: true })];
  const otherLocations = [await f.location(other)];
  const ownServices = [
    await f.service(own, { serviceArea: ServiceArea.SHELTER }),
    await f.service(own, { serviceArea: ServiceArea.HOUSING, languages: ['en', 'fr-CA'] }),
  ];
  const otherServices = [await f.service(other), await f.service(other, { serviceArea: ServiceArea.MENTAL_HEALTH })];
  const thirdServices = [await f.service(third, { serviceArea: ServiceArea.FOOD })];

  const ownClients = [
    await f.client(own),
    await f.client(own, {
      legalName: 'Legal Name',
      birthYear: 1980,
      pronouns: 'she/her',
      languages: ['fr'],
      needs: 'Needs a place to stay',
      municipalIdNumber: 'M-1',
    }),
    await f.client(own, { preferredName: 'Zoë' }),
    await f.client(own, { preferredName: 'aaa' }),
  ];
  const otherClients = [await f.client(other), await f.client(other, { needs: 'Needs a clinic' })];
  const thirdClients = [await f.client(third)];

  const allCategories = Object.values(ConsentDataCategory);
  const ownConsents = [
    await f.consent(ownClients[0], [other, third], { dataCategories: allCategories }),
    await f.consent(ownClients[1], [other], { dataCategories: allCategories }),
    await f.consent(ownClients[2], [other, third]),
    await f.consent(ownClients[3], [other], { revoked: true }),
    await f.consent(ownClients[0], [other], {
      givenAt: new Date(Date.now() - 40 * 86_400_000),
      expiresAt: new Date(Date.now() - 10 * 86_400_000),
    }),
  ];
  const otherConsents = [
    await f.consent(otherClients[0], [own], { dataCategories: allCategories }),
    await f.consent(otherClients[1], [own, third]),
  ];
  const thirdConsents = [await f.consent(thirdClients[0], [other])];

  const referrals: string[] = [];
  const sentStatuses = [
    ReferralStatus.SENT,
    ReferralStatus.SENT,
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.ON_HOLD,
    ReferralStatus.COMPLETED,
    ReferralStatus.DECLINED,
    ReferralStatus.CANCELLED,
  ];
  for (const [i, status] of sentStatuses.entries())
    referrals.push((await f.referral(ownConsents[i % 3], otherServices[i % 2], { status })).id);
  const receivedStatuses = [
    ReferralStatus.SENT,
    ReferralStatus.SENT,
    ReferralStatus.SENT,
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.ON_HOLD,
    ReferralStatus.ON_HOLD,
    ReferralStatus.COMPLETED,
    ReferralStatus.UNMET,
  ];
  for (const [i, status] of receivedStatuses.entries())
    referrals.push((await f.referral(otherConsents[i % 2], ownServices[i % 2], { status })).id);
  referrals.push((await f.referral(thirdConsents[0], otherServices[0])).id);

  const trainingModules = [
    await f.trainingModule(),
    await f.trainingModule({ serviceArea: ServiceArea.SHELTER, version: 3 }),
    await f.trainingModule({ serviceArea: ServiceArea.HEALTH }),
  ];
  await f.acknowledgeEverything();

  const ids = (items: { id: string }[]) => items.map((item) => item.id);
  const orgs = [operator, own, other, third];
  const staffIds = [
    ...Object.values(callers).flatMap((c) => (c.email ? [c.accountId!] : [])),
    ...targets.map((s) => s.accountId),
    otherCaseworker.accountId,
  ];
  const pools: Record<PoolName, string[]> = {
    organizations: ids(orgs),
    chains: [...ids(orgs), 'network'],
    services: ids([...ownServices, ...otherServices, ...thirdServices]),
    locations: ids([...ownLocations, ...otherLocations]),
    clients: ids([...ownClients, ...otherClients, ...thirdClients]),
    consents: ids([...ownConsents, ...otherConsents, ...thirdConsents]),
    referrals,
    staff: staffIds,
    apiClients: [partnerKey.id, ...keys],
    webhookEndpoints: ids(endpoints),
    webhookDeliveries: ids(deliveries),
    trainingModules: ids(trainingModules),
    any: [],
  };
  pools.any = [...new Set(Object.entries(pools).flatMap(([name, list]) => (name === 'chains' ? [] : list)))];

  // What RESTORE_AFTER mutations may change, as it is now.
  const em = () => t.orm.em.fork();
  const memberships = (await em().find(Membership, { account: { $in: staffIds } })).map((m) => ({
    id: m.id,
    roles: [...m.roles],
    active: m.active,
    leadServiceArea: m.leadServiceArea,
  }));
  const accounts = (await em().find(StaffAccount, { id: { $in: staffIds } })).map((a) => ({
    id: a.id,
    passwordHash: a.passwordHash,
    credentialVersion: a.credentialVersion,
  }));
  const restore = async () => {
    const e = em();
    // Leads last: a case may have named another lead of a world lead's area (one active lead per area).
    for (const m of [...memberships].sort(
      (a, b) => Number(a.leadServiceArea !== null) - Number(b.leadServiceArea !== null),
    ))
      await e.nativeUpdate(
        Membership,
        { id: m.id },
        { roles: m.roles, active: m.active, leadServiceArea: m.leadServiceArea },
      );
    for (const a of accounts)
      await e.nativeUpdate(
        StaffAccount,
        { id: a.id },
        { passwordHash: a.passwordHash, credentialVersion: a.credentialVersion },
      );
    await e.nativeUpdate(ApiClient, { id: partnerKey.id }, { revokedAt: null });
    await e.nativeUpdate(Organization, { id: { $in: ids(orgs) } }, { active: true });
    await f.acknowledgeEverything();
  };

  return {
    t,
    f,
    marker,
    own,
    other,
    third,
    operator,
    callers,
    pools,
    emails: [...Object.values(callers).flatMap((c) => (c.email ? [c.email] : [])), ...targets.map((s) => s.email)],
    cursors: [],
    cursorsByOperation: {},
    coherent: {
      sendReferral: ownConsents.slice(0, 3).flatMap((consent) =>
        otherServices.map((service) => ({
          clientId: consent.client.id,
          consentId: consent.id,
          serviceId: service.id,
        })),
      ),
      recordConsent: ownClients.flatMap((client, i) => {
        const ids = { clientId: client.id, recipientOrganizationIds: i % 2 === 0 ? [other.id] : [other.id, third.id] };
        return [
          ids,
          { ...ids, language: 'en', givenAt: null, expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
        ];
      }),
    },
    restore,
  };
}

/** Real cursors: the first page (of two items) of every list, for every caller of it. */
async function harvestCursors(
  w: World,
  schema: GraphQLSchema,
): Promise<{ all: string[]; byOperation: Record<string, string[]> }> {
  const cursors = new Set<string>();
  const byOperation: Record<string, string[]> = {};
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if ((key === 'cursor' || key === 'endCursor') && typeof item === 'string') cursors.add(item);
        else collect(item);
      }
    }
  };
  for (const { kind, name } of rootFields(schema)) {
    if (kind !== 'query') continue;
    const field = rootField(schema, kind, name);
    if (!field.args.some((arg) => arg.name === 'first' || arg.name === 'id' || arg.name === 'clientId')) continue;
    for (const box of ['INBOX', 'OUTBOX']) {
      const variables: Record<string, unknown> = {};
      field.args.forEach((arg, i) => {
        if (arg.name === 'first') variables[`a${i}`] = 2;
        if (arg.name === 'box') variables[`a${i}`] = box;
        const pool = ID_POOLS[`Query.${name}.${arg.name}`];
        if (pool) variables[`a${i}`] = w.pools[pool][pool === 'organizations' ? 1 : 0];
      });
      for (const caller of CALLERS[name] ?? []) {
        const token = caller === 'anonymous' || caller === 'freshStaff' ? undefined : w.callers[caller].token;
        const response = await w.t.gql<Record<string, { edges?: { cursor: string }[] } | null>>(
          documentFor(kind, field),
          variables,
          token,
        );
        collect(response.data);
        const own = (response.data?.[name]?.edges ?? []).map((edge) => edge.cursor);
        byOperation[name] = [...new Set([...(byOperation[name] ?? []), ...own])];
      }
      if (!field.args.some((arg) => arg.name === 'box')) break;
    }
  }
  return { all: [...cursors], byOperation };
}

// ---------------------------------------------------------------------------------------------
// Running a case

/** Replaces the `fresh(…)` strings of a value (deeply; generated values are shallow) by what `make` makes for them. */
async function resolveFresh(value: unknown, make: (kind: FreshKind) => Promise<string>, depth = 0): Promise<unknown> {
  if (typeof value === 'string') {
    const kind = FRESH.exec(value)?.[1];
    return kind ? make(kind as FreshKind) : value;
  }
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveFresh(item, make, depth + 1)));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty keeps a generated `__proto__` key an own key.
    Object.defineProperty(out, key, {
      value: await resolveFresh(item, make, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

let freshReferrals = 0;

/** Makes the fresh objects of one case (each kind once: a client, its consent and a service belong together). */
function freshMaker(w: World, caller: CallerName, current: Caller): (kind: FreshKind) => Promise<string> {
  const made = new Map<string, Promise<string>>();
  let triple: Promise<{ client: string; consent: string; service: string }> | undefined;
  const makeTriple = () =>
    (triple ??= (async () => {
      const client = await w.f.client(w.own);
      const consent = await w.f.consent(client, [w.other], { dataCategories: Object.values(ConsentDataCategory) });
      const service = await w.f.service(w.other);
      return { client: client.id, consent: consent.id, service: service.id };
    })());
  const make = async (kind: FreshKind): Promise<string> => {
    if (kind === 'invitation') {
      // Of the signed-in person into another organization, or of a new person.
      return current.email
        ? w.f.invitation(w.other, [Role.INTAKE], { email: current.email })
        : w.f.invitation(w.own, [Role.INTAKE], { email: `fuzz-${randomUUID()}@example.test` });
    }
    if (kind === 'client' || kind === 'consent' || kind === 'service') return (await makeTriple())[kind];
    if (kind === 'ownConsent') return (await w.f.consent(await w.f.client(w.own), [w.other])).id;
    if (kind === 'webhookEndpoint') return (await w.f.webhookEndpoint(w.own)).endpoint.id;
    if (kind === 'webhookDelivery') return (await w.f.webhookDelivery((await w.f.webhookEndpoint(w.own)).endpoint)).id;
    const [, status, side] = kind.split(':') as [string, ReferralStatus, 'sent' | 'received' | 'mine'];
    // `mine`: the side the caller works (a partner system works both: alternately).
    const received =
      side === 'received' ||
      (side === 'mine' && (caller === 'intake' || (caller === 'partner' && freshReferrals++ % 2 === 0)));
    const [holder, receiver] = received ? [w.other, w.own] : [w.own, w.other];
    const consent = await w.f.consent(await w.f.client(holder), [receiver], {
      dataCategories: Object.values(ConsentDataCategory),
    });
    return (await w.f.referral(consent, await w.f.service(receiver), { status })).id;
  };
  return (kind) => {
    if (!made.has(kind)) made.set(kind, make(kind));
    return made.get(kind)!;
  };
}

async function send(
  t: TestApp,
  query: string,
  variables: Record<string, unknown>,
  token: string | undefined,
): Promise<Answer> {
  const started = Date.now();
  const call = t.http().post('/graphql').set('content-type', 'application/json');
  if (token) void call.set('authorization', `Bearer ${token}`);
  const response = await call.send(requestBody(query, variables));
  const requestId = response.headers['x-request-id'] as string | undefined;
  return {
    status: response.status,
    text: response.text,
    body: response.body as unknown,
    ms: Date.now() - started,
    requestId,
  };
}

interface Stats {
  cases: number;
  byCaller: Partial<Record<CallerName, number>>;
  slowestMs: number;
  codes: Record<string, number>;
}

async function runCase(w: World, caller: CallerName, call: FuzzCall, stats: Stats): Promise<void> {
  stats.cases++;
  stats.byCaller[caller] = (stats.byCaller[caller] ?? 0) + 1;
  let current: Caller = {};
  if (caller === 'freshStaff') {
    const s = await w.f.signedIn(w.own, [Role.CASEWORKER]);
    current = { token: s.token, accountId: s.accountId, email: s.email };
  } else if (caller !== 'anonymous') {
    current = w.callers[caller];
  }
  const variables = (await resolveFresh(call.variables, freshMaker(w, caller, current))) as Record<string, unknown>;
  let answer: Answer;
  try {
    answer = await send(w.t, call.query, variables, current.token);
  } finally {
    if (RESTORE_AFTER.has(call.operation)) await w.restore();
  }
  stats.slowestMs = Math.max(stats.slowestMs, answer.ms);
  const errors = (answer.body as { errors?: { extensions?: { code?: string } }[] } | null)?.errors;
  const code = answer.status >= 400 && !errors ? `HTTP ${answer.status}` : (errors?.[0]?.extensions?.code ?? 'OK');
  stats.codes[code] = (stats.codes[code] ?? 0) + 1;
  if (FUZZ_LOG) {
    const message = errors
      ? errors.map((e) => (e as { message?: string }).message).join(' | ')
      : answer.text.slice(0, 300);
    appendFileSync(
      FUZZ_LOG,
      `${JSON.stringify({ op: call.operation, caller, code, ms: answer.ms, message: message?.slice(0, 300), variables: abbreviate(call.variables) })}\n`,
    );
  }
  const problems = problemsOf(answer, variables);
  if (problems.length > 0) {
    // The server's own account of the request: what its log says at warn level and up.
    const logged = answer.requestId
      ? w.t.logs.filter((line) => line.includes(answer.requestId!) && /"level":(40|50|60)/.test(line))
      : [];
    const log = logged
      .map(
        (line) => `\n  log: ${line.length > 1500 ? `${line.slice(0, 1500)}…(${line.length} chars)` : line.trimEnd()}`,
      )
      .join('');
    throw new Error(
      `${problems.join('; ')}\n  caller: ${caller}\n${describeCall({ ...call, variables })}\n  answer: ${describeAnswer(answer)}${log}`,
    );
  }
}

/** A log line that holds the marker, reduced to its level, message and the fields that hold it (with some context). */
function whereMarkerIs(line: string, marker: string): Record<string, unknown> {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return { unparsed: abbreviate(line) };
  }
  const found: Record<string, string> = {};
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      const at = value.toLowerCase().indexOf(marker);
      if (at >= 0) found[path] = JSON.stringify(value.slice(Math.max(0, at - 120), at + marker.length + 60));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    }
  };
  walk(entry, '');
  const { level, msg, component, err } = entry as {
    level?: unknown;
    msg?: unknown;
    component?: unknown;
    err?: { type?: unknown };
  };
  return { level, msg, component, errType: err?.type, found };
}

/** The referral actions: the status each starts from, the side that takes it, its action (for its reason codes). */
const TRANSITIONS: Record<string, { from: ReferralStatus; side: 'sent' | 'received'; action?: ReferralAction }> = {
  cancelReferral: { from: ReferralStatus.SENT, side: 'sent', action: ReferralAction.CANCEL },
  acceptReferral: { from: ReferralStatus.SENT, side: 'received' },
  declineReferral: { from: ReferralStatus.SENT, side: 'received', action: ReferralAction.DECLINE },
  startReferral: { from: ReferralStatus.ACCEPTED, side: 'received' },
  holdReferral: { from: ReferralStatus.ACCEPTED, side: 'received', action: ReferralAction.HOLD },
  resumeReferral: { from: ReferralStatus.ON_HOLD, side: 'received' },
  completeReferral: { from: ReferralStatus.IN_PROGRESS, side: 'received' },
  closeReferralUnmet: { from: ReferralStatus.ACCEPTED, side: 'received', action: ReferralAction.CLOSE_UNMET },
};

/** What each kind of location requires and refuses. */
const LOCATION_KINDS: Record<string, unknown>[] = [
  { kind: 'PHYSICAL', addressLine1: '1 Fuzz Street', city: 'Harbour City', url: null },
  {
    kind: 'VIRTUAL',
    url: 'https://example.test/line',
    addressLine1: null,
    addressLine2: null,
    city: null,
    region: null,
    postalCode: null,
    latitude: null,
    longitude: null,
  },
];

/** The generated value, or (as often) the generated object with one of `patches` laid over it. */
function withPatches(generated: fc.Arbitrary<unknown>, patches: Record<string, unknown>[]): fc.Arbitrary<unknown> {
  const patched = fc
    .tuple(generated, fc.constantFrom(...patches))
    .map(([value, patch]) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value, ...patch } : value,
    );
  return fc.oneof(generated, patched);
}

function failureReport(
  operation: string,
  details: Pick<fc.RunDetails<unknown>, 'errorInstance' | 'seed' | 'counterexamplePath' | 'numRuns' | 'numShrinks'>,
): string {
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return [
    `${operation}: a fuzz case failed (seed ${details.seed}, path "${details.counterexamplePath}", after ${details.numRuns} cases, shrunk ${details.numShrinks} times)`,
    `  replay: FUZZ_SEED=${details.seed} FUZZ_OPS=${operation} FUZZ_PATH=${details.counterexamplePath} npx jest test/e2e/fuzz.e2e-spec.ts`,
    `  ${error}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

describe('Schema fuzzing', () => {
  const marker = newMarker();
  let t: TestApp;
  let w: World;
  let schema: GraphQLSchema;
  const stats = new Map<string, Stats>();
  const started = Date.now();

  const operations = (() => {
    // The operations are listed from the caller table; the first test checks it against the schema.
    const all = Object.keys(CALLERS);
    return FUZZ_OPS ? all.filter((op) => FUZZ_OPS.includes(op)) : all;
  })();

  beforeAll(async () => {
    process.stdout.write(
      `fuzz: seed ${FUZZ_SEED} (replay with FUZZ_SEED=${FUZZ_SEED}), ${FUZZ_RUNS} cases per operation, marker ${marker}\n`,
    );
    t = await startTestApp({
      LOG_LEVEL: 'trace',
      LOGIN_SLOWDOWN_STEP_MS: '0',
      LOGIN_MAX_FAILURES_PER_EMAIL: '100',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '10000',
      AUDIT_ANONYMOUS_DENIALS_PER_WINDOW: '1000000',
    });
    schema = t.app.get(GraphQLSchemaHost).schema;
    w = await buildWorld(t, marker);
    const cursors = await harvestCursors(w, schema);
    w.cursors = cursors.all;
    w.cursorsByOperation = cursors.byOperation;
  }, 120_000);

  afterAll(async () => {
    const lines = [...stats.entries()].map(([op, s]) => {
      const callers = Object.entries(s.byCaller)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ');
      const codes = Object.entries(s.codes)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ');
      return `fuzz: ${op.padEnd(24)} ${String(s.cases).padStart(5)} cases (${callers}; slowest ${s.slowestMs} ms; ${codes})`;
    });
    const total = [...stats.values()].reduce((sum, s) => sum + s.cases, 0);
    process.stdout.write(
      `${lines.join('\n')}\nfuzz: ${total} cases in all over ${stats.size} operations and hand-made documents, seed ${FUZZ_SEED}, ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    await t?.close();
  });

  it('has callers for every operation of the schema, and a pool of real ids for every ID argument and input field', () => {
    const ops = rootFields(schema)
      .map((r) => r.name)
      .sort();
    expect(Object.keys(CALLERS).sort()).toEqual(ops);
    expect(Object.keys(ID_POOLS).sort()).toEqual(idCoordinates(schema));
    expect(w.cursors.length).toBeGreaterThan(10);
    for (const [name, pool] of Object.entries(w.pools)) expect([name, pool.length > 0]).toEqual([name, true]);
  });

  const kindOf = (name: string): RootKind => (name in schema.getQueryType()!.getFields() ? 'query' : 'mutation');

  it.each(operations)(
    '%s never answers with an internal error, a 5xx, a stack trace or SQL',
    async (operation) => {
      const world: FuzzWorld = {
        marker,
        idsFor: (coordinate) => {
          const pool = ID_POOLS[coordinate];
          return pool ? w.pools[pool] : [];
        },
        allIds: w.pools.any,
        cursors: w.cursors,
        cursorsFor: (coordinate) => w.cursorsByOperation[coordinate.split('.')[1]] ?? [],
        overrides: {
          'AcceptInvitationInput.token': (generated) =>
            fc.oneof({ arbitrary: fc.constant(fresh('invitation')), weight: 6 }, { arbitrary: generated, weight: 4 }),
          'AcceptInvitationInput.password': (generated) =>
            fc.oneof(fc.constant(`fuzz passphrase ${marker} harbour`), generated),
          'LoginInput.email': (generated) =>
            fc.oneof({ arbitrary: fc.constantFrom(...w.emails), weight: 4 }, { arbitrary: generated, weight: 6 }),
          'LoginInput.password': (generated) =>
            fc.oneof({ arbitrary: fc.constant(TEST_PASSWORD), weight: 4 }, { arbitrary: generated, weight: 6 }),
          'ChangePasswordInput.currentPassword': (generated) =>
            fc.oneof({ arbitrary: fc.constant(TEST_PASSWORD), weight: 6 }, { arbitrary: generated, weight: 4 }),
          'ChangePasswordInput.newPassword': (generated) =>
            fc.oneof(fc.constant(`another fuzz passphrase ${marker}`), generated),
          // Half the inputs get ids that belong together, so that the call gets past the lookups.
          'Mutation.sendReferral.input': (generated) =>
            withPatches(generated, [
              ...w.coherent.sendReferral,
              { clientId: fresh('client'), consentId: fresh('consent'), serviceId: fresh('service') },
            ]),
          'Mutation.recordConsent.input': (generated) => withPatches(generated, w.coherent.recordConsent),
          'Mutation.revokeConsent.id': (generated) => fc.oneof(generated, fc.constant(fresh('ownConsent'))),
          // Half the time a client made for the case: the pool's own clients have open referrals (CONFLICT).
          'Mutation.eraseClient.id': (generated) => fc.oneof(generated, fc.constant(fresh('client'))),
          'AddReferralNoteInput.referralId': (generated) =>
            fc.oneof(generated, fc.constant(fresh(`referral:${ReferralStatus.SENT}:mine`))),
          ...Object.fromEntries(
            Object.entries(TRANSITIONS).flatMap(([operation, { from, side, action }]) => [
              [
                `Mutation.${operation}.id`,
                (generated: fc.Arbitrary<unknown>) =>
                  fc.oneof(generated, fc.constant(fresh(`referral:${from}:${side}`))),
              ],
              ...(action && REASON_CODES[action]
                ? [
                    [
                      `Mutation.${operation}.reason`,
                      (generated: fc.Arbitrary<unknown>) =>
                        withPatches(
                          generated,
                          REASON_CODES[action]!.map((code) => ({ code })),
                        ),
                    ],
                  ]
                : []),
            ]),
          ),
          'Mutation.createLocation.input': (generated) => withPatches(generated, LOCATION_KINDS),
          // Endpoints and deliveries made for the case: a deletion in an earlier case must not leave only NOT_FOUND.
          ...Object.fromEntries(
            [
              'Mutation.updateWebhookEndpoint.id',
              'Mutation.deleteWebhookEndpoint.id',
              'Mutation.rotateWebhookSecret.id',
              'Mutation.sendTestWebhook.id',
              'Query.webhookDeliveries.endpointId',
              'ReplayWebhookDeliveriesInput.endpointId',
            ].map((coordinate) => [
              coordinate,
              (generated: fc.Arbitrary<unknown>) => fc.oneof(generated, fc.constant(fresh('webhookEndpoint'))),
            ]),
          ),
          'Mutation.redeliverWebhook.deliveryId': (generated) =>
            fc.oneof(generated, fc.constant(fresh('webhookDelivery'))),
          // Half the URLs pass the URL policy, so that the call reaches the service; the marker sits in
          // the query, which must reach neither the audit trail nor the log.
          ...Object.fromEntries(
            ['CreateWebhookEndpointInput.url', 'UpdateWebhookEndpointInput.url'].map((coordinate) => [
              coordinate,
              (generated: fc.Arbitrary<unknown>) =>
                fc.oneof(generated, fc.constant(`https://hooks.fuzz.example/in?token=${marker}`)),
            ]),
          ),
        },
      };
      const s: Stats = { cases: 0, byCaller: {}, slowestMs: 0, codes: {} };
      stats.set(operation, s);
      const arbitrary = fc.tuple(
        fc.constantFrom(...CALLERS[operation]),
        operationArbitrary(schema, kindOf(operation), operation, world),
      );
      const details = await fc.check(
        fc.asyncProperty(arbitrary, ([caller, call]) => runCase(w, caller, call, s)),
        { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, ...(FUZZ_PATH ? { path: FUZZ_PATH } : {}) },
      );
      if (details.failed) throw new Error(failureReport(operation, details));
    },
    60_000 + FUZZ_RUNS * 3_000,
  );

  describe('hand-made deeply nested documents', () => {
    // FUZZ_OPS selects them with the word `deep`.
    const cases =
      FUZZ_OPS && !FUZZ_OPS.includes('deep')
        ? []
        : deepNestingCases('FzMkplaceholder', { location: randomUUID(), referral: randomUUID() });
    if (cases.length === 0) it.skip('(not selected: FUZZ_OPS)', () => undefined);
    else
      it.each(cases.map((c) => [c.title, c.operation] as const))('%s (%s)', async (title) => {
        const made = deepNestingCases(marker, { location: w.pools.locations[0], referral: w.pools.referrals[0] }).find(
          (c) => c.title === title,
        )!;
        const s = stats.get('(hand-made documents)') ?? { cases: 0, byCaller: {}, slowestMs: 0, codes: {} };
        stats.set('(hand-made documents)', s);
        await runCase(w, CALLERS[made.operation][0], made, s);
      });
  });

  describe("the run's marker", () => {
    const markerLower = () => marker.toLowerCase();
    it('appears in no log line', () => {
      expect(t.logs.length).toBeGreaterThan(0);
      const lines = t.logs.filter((line) => line.toLowerCase().includes(markerLower()));
      if (FUZZ_LOG)
        for (const line of lines) appendFileSync(FUZZ_LOG, `${JSON.stringify({ logLineWithMarker: line })}\n`);
      expect(lines.map((line) => whereMarkerIs(line, markerLower()))).toEqual([]);
    });

    it('appears in no audit_event row', async () => {
      const rows = await superuserQuery<{ row: string }>(
        t.database.name,
        `select row_to_json(a)::text as row from audit_event a where row_to_json(a)::text ilike $1`,
        [`%${markerLower()}%`],
      );
      expect(rows.map((r) => abbreviate(r.row))).toEqual([]);
      const [{ n }] = await superuserQuery<{ n: string }>(t.database.name, 'select count(*) as n from audit_event');
      expect(Number(n)).toBeGreaterThan(0);
    });

    it('appears in no outbox_event row', async () => {
      const rows = await superuserQuery<{ row: string }>(
        t.database.name,
        `select row_to_json(o)::text as row from outbox_event o where row_to_json(o)::text ilike $1`,
        [`%${markerLower()}%`],
      );
      expect(rows.map((r) => abbreviate(r.row))).toEqual([]);
    });
  });
});
