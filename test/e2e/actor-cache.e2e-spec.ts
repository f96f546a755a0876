/**
 * The actor cache (issue 11 §4): what a credential resolved to is kept between requests, and every
 * change to what an actor is built from still takes effect on the caller's very next request — in
 * the process that made it, in another process of the same database, and when the change is an
 * operator's SQL outside the application.
 */
import { ApiScope, Role } from '@harbour/authz';
import { Client as PgClient } from 'pg';
import { ActorCache } from '../../src/auth/actor-cache';
import { generateApiKey } from '../../src/auth/api-key';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { LISTENER_APPLICATION_NAME } from '../../src/database/notifications/pg-listener';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import { until } from '../support/promise-state';
import { startTestApp, type TestApp } from '../support/test-app';

const CLIENTS = '{ clients(first: 1) { edges { node { id } } } }';
const SERVICES = '{ services(first: 1) { edges { node { id } } } }';

/** The `select … from membership` / `api_client` statements sent while `request` ran: the actor lookups. */
async function lookupsDuring(request: () => Promise<unknown>): Promise<number> {
  type Query = (this: PgClient, ...args: unknown[]) => unknown;
  const prototype = PgClient.prototype as unknown as { query: Query };
  const original = prototype.query;
  let lookups = 0;
  prototype.query = function (this: PgClient, ...args: unknown[]) {
    const [config] = args;
    const text = typeof config === 'string' ? config : ((config as { text?: string } | undefined)?.text ?? '');
    if (/^\s*select\b[\s\S]*\bfrom (membership|api_client)\b/i.test(text)) lookups += 1;
    return original.apply(this, args);
  };
  try {
    await request();
  } finally {
    prototype.query = original;
  }
  return lookups;
}

const codeOf = (response: { errors?: { extensions?: { code?: string } }[] }) =>
  response.errors?.[0]?.extensions?.code ?? 'OK';

describe('Actor cache', () => {
  let a: TestApp;
  let b: TestApp;
  let f: Fixtures;
  let operatorAdmin: string;
  let owner: PgClient;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({}, { database: a.database });
    f = new Fixtures(a);
    operatorAdmin = (await f.signedIn(await f.operator(), [Role.NETWORK_ADMIN])).token;
    owner = new PgClient({ connectionString: a.database.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await b.close();
    await a.close();
  });

  /** A caller whose credential both processes have resolved and kept. */
  async function warmed(credential: string, query: string): Promise<void> {
    for (const app of [a, b]) {
      expect(codeOf(await app.gql(query, {}, credential))).toBe('OK');
      // Kept once the process listens (its LISTEN connection opens on the first lookup).
      await until(async () => (await lookupsDuring(() => app.gql(query, {}, credential))) === 0, 'the credential kept');
    }
  }

  it('keeps what a credential resolved to: a second request looks nobody up', async () => {
    const org = await f.organization();
    const { token } = await f.signedIn(org, [Role.CASEWORKER]);
    const key = (await f.apiClient(org, [ApiScope.CLIENTS_READ])).key;
    await warmed(token, SERVICES);
    await warmed(key, CLIENTS);
    expect(await lookupsDuring(() => a.gql(SERVICES, {}, token))).toBe(0);
    expect(await lookupsDuring(() => a.gql(CLIENTS, {}, key))).toBe(0);
    // A refusal is not kept: an unknown key is looked up every time.
    const unknown = generateApiKey().key;
    expect(codeOf(await a.gql(CLIENTS, {}, unknown))).toBe('UNAUTHENTICATED');
    expect(await lookupsDuring(() => a.gql(CLIENTS, {}, unknown))).toBe(1);
  });

  interface Change {
    name: string;
    /** Sets up a caller, returns its credential, the query it can make, and the change. */
    arrange(org: Organization): Promise<{ credential: string; query: string; change: () => Promise<void> }>;
    /** What the caller's query answers after the change. */
    after: string;
  }

  const viaApi = async (app: TestApp, query: string, variables: Record<string, unknown>, token: string) => {
    const response = await app.gql(query, variables, token);
    expect(response.errors).toBeUndefined();
  };

  const changes: Change[] = [
    {
      name: 'deactivateStaffAccount',
      after: 'UNAUTHENTICATED',
      async arrange(org) {
        const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
        const person = await f.signedIn(org, [Role.CASEWORKER]);
        return {
          credential: person.token,
          query: CLIENTS,
          change: () =>
            viaApi(
              a,
              'mutation ($id: ID!) { deactivateStaffAccount(accountId: $id) { staffMember { active } } }',
              { id: person.accountId },
              admin.token,
            ),
        };
      },
    },
    {
      name: 'setStaffRoles (CASEWORKER withdrawn)',
      after: 'FORBIDDEN',
      async arrange(org) {
        const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
        const person = await f.signedIn(org, [Role.CASEWORKER]);
        return {
          credential: person.token,
          query: CLIENTS,
          change: () =>
            viaApi(
              a,
              'mutation ($input: SetStaffRolesInput!) { setStaffRoles(input: $input) { staffMember { roles } } }',
              { input: { accountId: person.accountId, roles: ['AUDITOR'] } },
              admin.token,
            ),
        };
      },
    },
    {
      name: 'changePassword (earlier tokens end)',
      after: 'UNAUTHENTICATED',
      async arrange(org) {
        const person = await f.signedIn(org, [Role.CASEWORKER]);
        return {
          credential: person.token,
          query: CLIENTS,
          change: () =>
            viaApi(
              a,
              'mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken } }',
              { input: { currentPassword: TEST_PASSWORD, newPassword: 'amber lantern quietly crosses rivers' } },
              person.token,
            ),
        };
      },
    },
    {
      name: 'revokeApiClient',
      after: 'UNAUTHENTICATED',
      async arrange(org) {
        const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
        const client = await f.apiClient(org, [ApiScope.CLIENTS_READ]);
        return {
          credential: client.key,
          query: CLIENTS,
          change: () =>
            viaApi(
              a,
              'mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id } } }',
              { id: client.id },
              admin.token,
            ),
        };
      },
    },
    {
      name: 'updateOrganization (deactivated)',
      after: 'UNAUTHENTICATED',
      async arrange(org) {
        const person = await f.signedIn(org, [Role.CASEWORKER]);
        return {
          credential: person.token,
          query: CLIENTS,
          change: () =>
            viaApi(
              a,
              'mutation ($id: ID!) { updateOrganization(id: $id, input: { active: false }) { organization { id } } }',
              { id: org.id },
              operatorAdmin,
            ),
        };
      },
    },
    {
      name: "an operator's SQL (membership deactivated outside the application)",
      after: 'UNAUTHENTICATED',
      async arrange(org) {
        const person = await f.signedIn(org, [Role.CASEWORKER]);
        return {
          credential: person.token,
          query: CLIENTS,
          change: async () => {
            await owner.query('update membership set active = false where account_id = $1', [person.accountId]);
          },
        };
      },
    },
  ];

  describe.each(changes)('$name', (change) => {
    const { after } = change;
    it(`takes effect on the very next request in the process that made it, and in another process (${after})`, async () => {
      const org = await f.organization();
      const { credential, query, change: make } = await change.arrange(org);
      await warmed(credential, query);
      await make();
      // No wait of any kind: the next request of each process.
      expect(codeOf(await a.gql(query, {}, credential))).toBe(after);
      expect(codeOf(await b.gql(query, {}, credential))).toBe(after);
    });
  });

  it('a new training module and its acknowledgement take effect on the very next request, in both processes', async () => {
    const org = await f.organization();
    const person = await f.signedIn(org, [Role.CASEWORKER]);
    await warmed(person.token, CLIENTS);
    let moduleId: string | undefined;
    try {
      const published = await a.gql<{ publishTrainingModule: { trainingModule: { id: string; version: number } } }>(
        `mutation ($input: PublishTrainingModuleInput!) {
          publishTrainingModule(input: $input) { trainingModule { id version } }
        }`,
        {
          input: {
            audience: 'ALL',
            title: 'Serving every resident',
            summary: 'What we never ask or record.',
            url: 'https://training.example.test/every-resident',
          },
        },
        operatorAdmin,
      );
      expect(published.errors).toBeUndefined();
      const reasonOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) =>
        response.errors?.[0]?.extensions?.reason ?? 'OK';
      expect(reasonOf(await a.gql(CLIENTS, {}, person.token))).toBe('TRAINING_REQUIRED');
      expect(reasonOf(await b.gql(CLIENTS, {}, person.token))).toBe('TRAINING_REQUIRED');
      const { id, version } = published.data!.publishTrainingModule.trainingModule;
      moduleId = id;
      await viaApi(
        b,
        'mutation ($id: ID!, $version: Int!) { acknowledgeTraining(moduleId: $id, version: $version) { trainingModule { id } } }',
        { id, version },
        person.token,
      );
      expect(codeOf(await a.gql(CLIENTS, {}, person.token))).toBe('OK');
      expect(codeOf(await b.gql(CLIENTS, {}, person.token))).toBe('OK');
    } finally {
      // The module would hold back everyone the later tests create: it goes, as an operator would remove it.
      await owner.query('delete from training_acknowledgement where module_id = $1', [moduleId]);
      await owner.query('delete from training_module where id = $1', [moduleId]);
    }
  });

  it('another process hears every change before the caller can ask again (200 changes in a row)', async () => {
    const org = await f.organization();
    const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
    const setRoles =
      'mutation ($input: SetStaffRolesInput!) { setStaffRoles(input: $input) { staffMember { roles } } }';
    const person = await f.signedIn(org, [Role.CASEWORKER]);
    await warmed(person.token, CLIENTS);
    let stale = 0;
    for (let i = 0; i < 200; i += 1) {
      const roles = i % 2 === 0 ? ['AUDITOR'] : ['CASEWORKER'];
      await viaApi(a, setRoles, { input: { accountId: person.accountId, roles } }, admin.token);
      const answer = codeOf(await b.gql(CLIENTS, {}, person.token));
      if (answer !== (i % 2 === 0 ? 'FORBIDDEN' : 'OK')) stale += 1;
    }
    expect(stale).toBe(0);
  });

  it('keeps nothing while the LISTEN connection is down, and starts afresh when it is back', async () => {
    const org = await f.organization();
    const person = await f.signedIn(org, [Role.CASEWORKER]);
    await warmed(person.token, SERVICES);
    const cache = b.app.get(ActorCache);
    // Cut the LISTEN connections from the server side; the membership changes meanwhile.
    const admin = new PgClient({ connectionString: process.env.HARBOUR_TEST_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = $2',
        [a.database.name, LISTENER_APPLICATION_NAME],
      );
    } finally {
      await admin.end();
    }
    await until(() => cache.size === 0, 'the cache emptied when the connection dropped');
    await owner.query('update membership set active = false where account_id = $1', [person.accountId]);
    expect(codeOf(await b.gql(SERVICES, {}, person.token))).toBe('UNAUTHENTICATED');
    await owner.query('update membership set active = true where account_id = $1', [person.accountId]);
    expect(codeOf(await b.gql(SERVICES, {}, person.token))).toBe('OK');
    // Listening again: kept again.
    await until(async () => (await b.gql(SERVICES, {}, person.token), cache.size > 0), 'kept again');
  });
});
