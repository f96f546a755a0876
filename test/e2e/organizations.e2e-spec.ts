import { ApiScope, Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { OrganizationKind } from '../../src/modules/organizations/organization-kind.enum';
import { ServiceArea } from '../../src/common/service-area';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { codeOf } from '../support/responses';

const FIELDS =
  'id name alternateName description kind email website phone serviceAreas isNetworkOperator active createdAt updatedAt';
const ORGANIZATION = `query ($id: ID!) { organization(id: $id) { ${FIELDS} } }`;
const ORGANIZATIONS = `query ($first: Int, $after: String, $filter: OrganizationsFilterInput) {
  organizations(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name } }
  }
}`;
const CREATE = `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { ${FIELDS} } warnings { field } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { organization { ${FIELDS} } warnings { field } } }`;

interface OrganizationNode {
  id: string;
  name: string;
  email: string | null;
  active: boolean;
  [field: string]: unknown;
}
interface OrganizationPayload {
  organization: OrganizationNode;
  warnings: unknown[];
}
interface Page {
  organizations: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { cursor: string; node: { id: string; name: string } }[];
  };
}

/** The input fields an error names, each once (a field breaking several rules is named once per rule). */
const fieldsOf = (response: GraphQLResponse<unknown>) => [
  ...new Set(((response.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((problem) => problem.field)),
];
const names = (page: Page) => page.organizations.edges.map((edge) => edge.node.name);

describe('Organizations', () => {
  let t: TestApp;
  let f: Fixtures;
  let operator: Organization;
  let networkAdmin: string;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    operator = await f.operator();
    networkAdmin = (await f.signedIn(operator, [Role.NETWORK_ADMIN])).token;
  });
  afterAll(() => t.close());

  const newInput = (overrides: Record<string, unknown> = {}) => ({
    name: `Community legal clinic ${randomUUID().slice(0, 8)}`,
    description: 'Free legal information and advice.',
    kind: 'COMMUNITY_ORGANIZATION',
    ...overrides,
  });

  describe('organization', () => {
    it('returns an organization to any signed-in caller', async () => {
      const org = await f.organization({
        serviceAreas: [ServiceArea.LEGAL],
        kind: OrganizationKind.COMMUNITY_ORGANIZATION,
      });
      const reader = await f.signedIn(await f.organization(), [Role.CASEWORKER]);
      const res = await t.gql<{ organization: OrganizationNode }>(ORGANIZATION, { id: org.id }, reader.token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.organization).toMatchObject({
        id: org.id,
        name: org.name,
        kind: 'COMMUNITY_ORGANIZATION',
        serviceAreas: ['LEGAL'],
        isNetworkOperator: false,
        active: true,
      });
    });

    it('answers NOT_FOUND for an unknown id, and BAD_USER_INPUT for one that is not a UUID', async () => {
      expect(codeOf(await t.gql(ORGANIZATION, { id: randomUUID() }, networkAdmin))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(ORGANIZATION, { id: 'not-a-uuid' }, networkAdmin))).toBe('BAD_USER_INPUT');
    });

    it('needs a signed-in caller', async () => {
      const org = await f.organization();
      const res = await t.gql(ORGANIZATION, { id: org.id });
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    });
  });

  describe('organizations', () => {
    const token = `Q${randomUUID().slice(0, 6)}`;
    const made: Organization[] = [];

    beforeAll(async () => {
      made.push(
        await f.organization({
          name: `${token} Delta food bank`,
          kind: OrganizationKind.COMMUNITY_ORGANIZATION,
          serviceAreas: [ServiceArea.FOOD],
        }),
      );
      made.push(
        await f.organization({
          name: `${token} Alpha shelter`,
          kind: OrganizationKind.CITY_DEPARTMENT,
          serviceAreas: [ServiceArea.SHELTER, ServiceArea.HOUSING],
        }),
      );
      made.push(
        await f.organization({
          name: `${token} Charlie clinic 100%`,
          kind: OrganizationKind.CITY_DEPARTMENT,
          serviceAreas: [ServiceArea.HEALTH],
        }),
      );
      made.push(
        await f.organization({
          name: `${token} Bravo housing help 1000`,
          kind: OrganizationKind.COMMUNITY_ORGANIZATION,
          serviceAreas: [ServiceArea.HOUSING],
          active: false,
        }),
      );
    });

    const list = (variables: Record<string, unknown>) => t.gql<Page>(ORGANIZATIONS, variables, networkAdmin);

    it('lists by name, inactive organizations included, with the total count', async () => {
      const res = await list({ filter: { text: token } });
      expect(res.errors).toBeUndefined();
      expect(names(res.data!)).toEqual([
        `${token} Alpha shelter`,
        `${token} Bravo housing help 1000`,
        `${token} Charlie clinic 100%`,
        `${token} Delta food bank`,
      ]);
      expect(res.data!.organizations.totalCount).toBe(4);
    });

    it('filters by kind', async () => {
      const res = await list({ filter: { text: token, kind: 'CITY_DEPARTMENT' } });
      expect(names(res.data!)).toEqual([`${token} Alpha shelter`, `${token} Charlie clinic 100%`]);
    });

    it('filters by service area', async () => {
      const res = await list({ filter: { text: token, serviceArea: 'HOUSING' } });
      expect(names(res.data!)).toEqual([`${token} Alpha shelter`, `${token} Bravo housing help 1000`]);
    });

    it('filters by text, ignoring case and taking % and _ literally', async () => {
      expect(names((await list({ filter: { text: `${token.toLowerCase()} charlie` } })).data!)).toEqual([
        `${token} Charlie clinic 100%`,
      ]);
      expect(names((await list({ filter: { text: `${token} Charlie clinic 100%` } })).data!)).toEqual([
        `${token} Charlie clinic 100%`,
      ]);
      expect(
        (await list({ filter: { text: `${token} Bravo housing help 100%` } })).data!.organizations.totalCount,
      ).toBe(0);
      expect((await list({ filter: { text: `${token}_` } })).data!.organizations.totalCount).toBe(0);
    });

    it('combines filters with AND', async () => {
      const res = await list({ filter: { text: token, kind: 'COMMUNITY_ORGANIZATION', serviceArea: 'HOUSING' } });
      expect(names(res.data!)).toEqual([`${token} Bravo housing help 1000`]);
    });

    it('pages with first/after in a stable order', async () => {
      const first = await list({ first: 3, filter: { text: token } });
      expect(first.data!.organizations.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(first.data!.organizations.totalCount).toBe(4);
      const second = await list({
        first: 3,
        after: first.data!.organizations.pageInfo.endCursor,
        filter: { text: token },
      });
      expect(second.data!.organizations.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      expect(second.data!.organizations.totalCount).toBe(4);
      expect([...names(first.data!), ...names(second.data!)]).toEqual(
        names((await list({ filter: { text: token } })).data!),
      );
    });

    it('refuses more than 100 per page and cursors it did not make', async () => {
      const tooMany = await list({ first: 101 });
      expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(tooMany)).toEqual(['first']);
      expect(codeOf(await list({ first: 100 }))).toBeUndefined();
      expect(codeOf(await list({ after: 'garbage' }))).toBe('BAD_USER_INPUT');
      const forged = Buffer.from(`v1:${JSON.stringify(['x', "1' or '1'='1"])}`).toString('base64url');
      expect(codeOf(await list({ after: forged }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('createOrganization', () => {
    it('admits an active organization that is never the network operator', async () => {
      const input = newInput({
        alternateName: 'CLC',
        email: 'hello@clc.example.test',
        website: 'https://clc.example.test',
        phone: '+1 (416) 555-0100 x12',
        serviceAreas: ['LEGAL', 'SETTLEMENT'],
      });
      const res = await t.gql<{ createOrganization: OrganizationPayload }>(CREATE, { input }, networkAdmin);
      expect(res.errors).toBeUndefined();
      expect(res.data!.createOrganization.warnings).toEqual([]);
      expect(res.data!.createOrganization.organization).toMatchObject({
        ...input,
        isNetworkOperator: false,
        active: true,
      });
      const read = await t.gql<{ organization: OrganizationNode }>(
        ORGANIZATION,
        { id: res.data!.createOrganization.organization.id },
        networkAdmin,
      );
      expect(read.data!.organization).toEqual(res.data!.createOrganization.organization);
    });

    it('has no way to ask for a network operator', async () => {
      const res = await t.gql(CREATE, { input: newInput({ isNetworkOperator: true }) }, networkAdmin);
      expect(res.errors).toBeDefined();
      expect(
        await t.orm.em
          .fork()
          .getConnection()
          .execute('select count(*)::int as n from organization where is_network_operator'),
      ).toEqual([{ n: 1 }]);
    });

    it('answers CONFLICT for a name already taken', async () => {
      const input = newInput();
      expect((await t.gql(CREATE, { input }, networkAdmin)).errors).toBeUndefined();
      const again = await t.gql(CREATE, { input: { ...input, description: 'Another one.' } }, networkAdmin);
      expect(codeOf(again)).toBe('CONFLICT');
    });

    it.each([
      ['name', { name: 'x'.repeat(201) }],
      ['name', { name: '' }],
      ['description', { description: 'x'.repeat(4001) }],
      ['email', { email: 'not an email' }],
      ['website', { website: 'clc.example.test' }],
      ['website', { website: 'ftp://clc.example.test' }],
      ['phone', { phone: 'call us' }],
    ])('refuses a bad %s with BAD_USER_INPUT naming it', async (field, overrides) => {
      const res = await t.gql(CREATE, { input: newInput(overrides) }, networkAdmin);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toContain(`input.${field}`);
    });

    it('is for the network operator only', async () => {
      const orgAdmin = await f.signedIn(await f.organization(), [Role.ORG_ADMIN]);
      expect(codeOf(await t.gql(CREATE, { input: newInput() }, orgAdmin.token))).toBe('FORBIDDEN');
    });
  });

  describe('updateOrganization', () => {
    it("lets the network operator change any organization's profile", async () => {
      const org = await f.organization();
      const res = await t.gql<{ updateOrganization: OrganizationPayload }>(
        UPDATE,
        { id: org.id, input: { description: 'Now with evening hours.', serviceAreas: ['FOOD'] } },
        networkAdmin,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.updateOrganization.warnings).toEqual([]);
      expect(res.data!.updateOrganization.organization).toMatchObject({
        id: org.id,
        name: org.name,
        description: 'Now with evening hours.',
        serviceAreas: ['FOOD'],
      });
    });

    it('lets an organization admin change their own profile and keeps omitted fields', async () => {
      const org = await f.organization({ kind: OrganizationKind.CITY_DEPARTMENT });
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const res = await t.gql<{ updateOrganization: OrganizationPayload }>(
        UPDATE,
        { id: org.id, input: { email: 'desk@example.test', phone: '311' } },
        admin.token,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.updateOrganization.organization).toMatchObject({
        name: org.name,
        kind: 'CITY_DEPARTMENT',
        email: 'desk@example.test',
        phone: '311',
      });
    });

    it('lets an API client with directory:write change its own organization', async () => {
      const org = await f.organization();
      const client = await f.apiClient(org, [ApiScope.DIRECTORY_WRITE]);
      const res = await t.gql<{ updateOrganization: OrganizationPayload }>(
        UPDATE,
        { id: org.id, input: { alternateName: 'Partner-managed' } },
        client.key,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.updateOrganization.organization.alternateName).toBe('Partner-managed');
    });

    it('clears a nullable field with null and refuses null for the others, naming the field', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      await t.gql(UPDATE, { id: org.id, input: { email: 'old@example.test' } }, admin.token);
      const cleared = await t.gql<{ updateOrganization: OrganizationPayload }>(
        UPDATE,
        { id: org.id, input: { email: null } },
        admin.token,
      );
      expect(cleared.data!.updateOrganization.organization.email).toBeNull();
      const refused = await t.gql(UPDATE, { id: org.id, input: { name: null } }, admin.token);
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(refused)).toEqual(['input.name']);
    });

    it("answers NOT_FOUND for another organization's id, exactly as for an unknown id", async () => {
      const admin = await f.signedIn(await f.organization(), [Role.ORG_ADMIN]);
      const other = await f.organization();
      const unknown = randomUUID();
      const theirs = await t.gql(UPDATE, { id: other.id, input: { description: 'Taken over.' } }, admin.token);
      const missing = await t.gql(UPDATE, { id: unknown, input: { description: 'Taken over.' } }, admin.token);
      expect(codeOf(theirs)).toBe('NOT_FOUND');
      expect(codeOf(missing)).toBe('NOT_FOUND');
      expect(theirs.errors![0].message.replace(other.id, '<id>')).toBe(
        missing.errors![0].message.replace(unknown, '<id>'),
      );
      expect(codeOf(await t.gql(UPDATE, { id: randomUUID(), input: {} }, networkAdmin))).toBe('NOT_FOUND');
    });

    it('answers CONFLICT when renaming to a name already taken', async () => {
      const taken = await f.organization();
      const org = await f.organization();
      const res = await t.gql(UPDATE, { id: org.id, input: { name: taken.name } }, networkAdmin);
      expect(codeOf(res)).toBe('CONFLICT');
    });

    it('lets only the network operator deactivate an organization, which shuts its staff out', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const byAdmin = await t.gql(UPDATE, { id: org.id, input: { active: false } }, admin.token);
      expect(codeOf(byAdmin)).toBe('FORBIDDEN');

      const byOperator = await t.gql<{ updateOrganization: OrganizationPayload }>(
        UPDATE,
        { id: org.id, input: { active: false } },
        networkAdmin,
      );
      expect(byOperator.errors).toBeUndefined();
      expect(byOperator.data!.updateOrganization.organization.active).toBe(false);
      expect(codeOf(await t.gql(ORGANIZATION, { id: org.id }, admin.token))).toBe('UNAUTHENTICATED');

      const read = await t.gql<{ organization: OrganizationNode }>(ORGANIZATION, { id: org.id }, networkAdmin);
      expect(read.data!.organization.active).toBe(false);
      const reactivated = await t.gql<{ updateOrganization: OrganizationPayload }>(
        UPDATE,
        { id: org.id, input: { active: true } },
        networkAdmin,
      );
      expect(reactivated.data!.updateOrganization.organization.active).toBe(true);
    });

    it('never deactivates the network operator', async () => {
      const res = await t.gql(UPDATE, { id: operator.id, input: { active: false } }, networkAdmin);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['input.active']);
    });

    it('is refused to roles that manage no profile', async () => {
      const org = await f.organization();
      const caseworker = await f.signedIn(org, [Role.CASEWORKER]);
      expect(codeOf(await t.gql(UPDATE, { id: org.id, input: { description: 'x' } }, caseworker.token))).toBe(
        'FORBIDDEN',
      );
    });
  });
});
