import { ApiScope, Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';
import { codeOf } from '../support/responses';

const CREATE_ORGANIZATION =
  'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }';
const ORGANIZATION = 'query ($id: ID!) { organization(id: $id) { id } }';
const SERVICES = '{ services(first: 5) { totalCount edges { node { id name } } } }';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const newOrganization = (overrides: Record<string, unknown> = {}) => ({
  name: `Organization ${randomUUID().slice(0, 8)}`,
  description: 'Helps newcomers find housing.',
  kind: 'COMMUNITY_ORGANIZATION',
  ...overrides,
});

/** The app's JSON log lines, parsed. */
const logEntries = (t: TestApp) =>
  t.logs.map(
    (line) =>
      JSON.parse(line) as Record<string, unknown> & { msg?: string; requestId?: string; err?: { message?: string } },
  );

/** Runs `action` while the runtime role may not read `table`: a real failure deep in the app, no mock. */
async function withoutSelectOn<T>(t: TestApp, table: string, action: () => Promise<T>): Promise<T> {
  await superuserQuery(t.database.name, `REVOKE SELECT ON "${table}" FROM harbour_app`);
  try {
    return await action();
  } finally {
    await superuserQuery(t.database.name, `GRANT SELECT ON "${table}" TO harbour_app`);
  }
}

describe('GraphQL errors', () => {
  let t: TestApp;
  let f: Fixtures;
  let networkAdmin: string;
  let caseworker: string;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    networkAdmin = (await f.signedIn(await f.operator(), [Role.NETWORK_ADMIN])).token;
    const org = await f.organization();
    await f.service(org);
    caseworker = (await f.signedIn(org, [Role.CASEWORKER])).token;
  });
  afterAll(() => t.close());

  describe('domain errors keep their code', () => {
    it('UNAUTHENTICATED when an operation needs a credential and none is sent', async () => {
      const response = await t.gql('{ me { id } }');
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
      expect(response.errors![0].message).toMatch(/Authorization: Bearer/);
    });

    it('FORBIDDEN when the caller lacks the permission', async () => {
      const response = await t.gql(CREATE_ORGANIZATION, { input: newOrganization() }, caseworker);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.errors![0].path).toEqual(['createOrganization']);
    });

    it('NOT_FOUND for an unknown id, naming the kind of object but not repeating the id', async () => {
      const id = randomUUID();
      const response = await t.gql(ORGANIZATION, { id }, caseworker);
      expect(codeOf(response)).toBe('NOT_FOUND');
      expect(response.errors![0].message).toBe('Organization not found.');
    });

    it('BAD_USER_INPUT naming each offending input field by its path', async () => {
      const response = await t.gql(
        CREATE_ORGANIZATION,
        { input: newOrganization({ name: '', email: 'not an email' }) },
        networkAdmin,
      );
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      const fields = (response.errors![0].extensions!.fields as { field: string; message: string }[]).map(
        (problem) => problem.field,
      );
      expect([...new Set(fields)].sort()).toEqual(['input.email', 'input.name']);
    });

    it('CONFLICT for a name already taken', async () => {
      const existing = await f.organization();
      const response = await t.gql(
        CREATE_ORGANIZATION,
        { input: newOrganization({ name: existing.name }) },
        networkAdmin,
      );
      expect(codeOf(response)).toBe('CONFLICT');
    });
  });

  describe('request ids', () => {
    it.each<[string, (t: TestApp) => Promise<GraphQLResponse>]>([
      ['a domain error', (app) => app.gql('{ me { id } }')],
      ['a validation error', (app) => app.gql('{ me { nope } }', {}, caseworker)],
      ['a syntax error', (app) => app.gql('{ me { id }', {}, caseworker)],
      ['a variable that does not coerce', (app) => app.gql(ORGANIZATION, { id: 12.5 }, caseworker)],
      [
        'an abuse limit',
        (app) => app.gql(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }`, {}, caseworker),
      ],
    ])('stamps %s with the id of the x-request-id header', async (_kind, request) => {
      const response = await request(t);
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.errors!.length).toBeGreaterThan(0);
      for (const error of response.errors!) expect(error.extensions!.requestId).toBe(response.headers['x-request-id']);
    });

    it('stamps every error of a response, not only the first', async () => {
      const response = await t.gql('{ me { nope alsoNope } }', {}, caseworker);
      expect(response.errors).toHaveLength(2);
      for (const error of response.errors!) expect(error.extensions!.requestId).toBe(response.headers['x-request-id']);
    });

    it('ignores an id the caller sends and makes its own', async () => {
      const response = await t
        .http()
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('x-request-id', 'chosen-by-caller')
        .send({ query: '{ me { id } }' });
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.body.errors[0].extensions.requestId).toBe(response.headers['x-request-id']);
    });
  });

  describe('unknown input fields', () => {
    it('are refused in variables by GraphQL coercion as BAD_USER_INPUT, and nothing is created', async () => {
      const input = newOrganization({ isNetworkOperator: true });
      const response = await t.gql(CREATE_ORGANIZATION, { input }, networkAdmin);
      expect(response.status).toBe(400);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].extensions!.fields).toEqual([
        { field: '$input.isNetworkOperator', message: 'is not a field of CreateOrganizationInput' },
      ]);
      expect(await t.orm.em.fork().count(Organization, { name: input.name })).toBe(0);
    });

    it('are refused in the document by validation', async () => {
      const response = await t.gql(
        'mutation { createOrganization(input: { name: "X", description: "Y", kind: CITY_DEPARTMENT, isNetworkOperator: true }) { organization { id } } }',
        {},
        networkAdmin,
      );
      expect(codeOf(response)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.errors![0].message).toMatch(/"isNetworkOperator" is not defined/);
    });
  });

  describe('an unexpected internal error', () => {
    let response: GraphQLResponse;
    let requestId: string;

    beforeAll(async () => {
      response = await withoutSelectOn(t, 'service', () => t.gql(SERVICES, {}, caseworker));
      requestId = response.headers['x-request-id'];
    });

    it('is answered as INTERNAL_SERVER_ERROR quoting the request id', () => {
      expect(response.errors).toHaveLength(1);
      expect(codeOf(response)).toBe('INTERNAL_SERVER_ERROR');
      expect(response.errors![0].message).toBe(
        `Internal server error. Quote request id ${requestId} when reporting it.`,
      );
      expect(response.errors![0].extensions!.requestId).toBe(requestId);
    });

    it('reveals no stack, SQL, table, role or driver text', () => {
      expect(Object.keys(response.errors![0].extensions!).sort()).toEqual(['code', 'requestId']);
      const body = JSON.stringify({ data: response.data, errors: response.errors });
      expect(body).not.toMatch(/permission denied|stack|select |from "|"service"|harbour_app|table|\.ts:\d+/i);
    });

    it('is logged with the same request id and its cause by SQLSTATE, never by its message (which may quote SQL and values)', () => {
      const entries = logEntries(t).filter(
        (entry) => entry.requestId === requestId && entry.msg === 'unexpected error in GraphQL operation',
      );
      expect(entries).toHaveLength(1);
      expect(entries[0].err).toMatchObject({ sqlState: '42501' });
      expect(JSON.stringify(entries[0])).not.toMatch(/permission denied|select /i);
    });

    it('leaves the app working once the cause is gone', async () => {
      const after = await t.gql<{ services: { totalCount: number } }>(SERVICES, {}, caseworker);
      expect(after.errors).toBeUndefined();
      expect(after.data!.services.totalCount).toBeGreaterThan(0);
    });
  });

  describe('a failure while looking up the caller', () => {
    it('is an internal error, masked and logged, not a bad credential', async () => {
      const response = await withoutSelectOn(t, 'membership', () => t.gql('{ me { id } }', {}, caseworker));
      expect(codeOf(response)).toBe('INTERNAL_SERVER_ERROR');
      const requestId = response.headers['x-request-id'];
      const entries = logEntries(t).filter(
        (entry) => entry.requestId === requestId && entry.msg === 'unexpected error in GraphQL operation',
      );
      expect(entries[0]?.err).toMatchObject({ sqlState: '42501' });
    });
  });

  describe('credentials in the log', () => {
    it('never holds a query string, which could carry a GraphQL document with a password', async () => {
      const before = t.logs.length;
      const document =
        'mutation { login(input: { email: "a@b.test", password: "secret-in-a-url-123" }) { accessToken } }';
      await t.http().get(`/graphql?query=${encodeURIComponent(document)}`);
      const written = t.logs.slice(before).join('\n');
      expect(written).toContain('"path":"/graphql"');
      expect(written).not.toContain('secret-in-a-url-123');
    });

    it('never holds the Authorization header, an access token, an API key or a password', async () => {
      const org = await f.organization();
      const staff = await f.staff(org, [Role.ORG_ADMIN]);
      const login = await t.gql<{ login: { accessToken: string } }>(
        'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }',
        { input: { email: staff.email, password: TEST_PASSWORD } },
      );
      const token = login.data!.login.accessToken;
      const apiKey = (await f.apiClient(org, [ApiScope.DIRECTORY_WRITE])).key;
      const before = t.logs.length;

      await t.gql('{ me { id } }', {}, token);
      await t.gql('{ me { id } }', {}, apiKey);
      await t.gql('{ me { id } }', {}, 'not-a-token-but-still-secret');
      await withoutSelectOn(t, 'service', () => t.gql(SERVICES, {}, token));

      const written = t.logs.slice(before).join('\n');
      expect(written).toContain('"path":"/graphql"'); // the requests were logged at all
      for (const secret of [
        token,
        apiKey,
        apiKey.slice('hbk_'.length + 13),
        'not-a-token-but-still-secret',
        TEST_PASSWORD,
      ]) {
        expect(written).not.toContain(secret);
      }
      expect(written).not.toMatch(/authorization|bearer/i);
    });
  });
});

describe('GraphQL errors with NODE_ENV=development', () => {
  let t: TestApp;
  let token: string;
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    // Apollo reads NODE_ENV when the server is built: stack traces are on by default in development.
    process.env.NODE_ENV = 'development';
    t = await startTestApp();
    const f = new Fixtures(t);
    const org = await f.organization();
    token = (await f.signedIn(org, [Role.CASEWORKER])).token;
  });
  afterAll(async () => {
    await t.close();
    process.env.NODE_ENV = nodeEnv;
  });

  it('sends no stack trace with an internal error', async () => {
    const response = await withoutSelectOn(t, 'service', () => t.gql(SERVICES, {}, token));
    expect(codeOf(response)).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|permission denied|\.ts:\d+/i);
  });

  it('sends no stack trace (nor the suggestion it would carry) with a validation error', async () => {
    const response = await t.gql('{ me { idd } }', {}, token);
    expect(codeOf(response)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|did you mean|\.ts:\d+/i);
  });
});
