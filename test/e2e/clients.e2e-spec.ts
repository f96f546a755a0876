/**
 * Clients (docs/design.md, The client record; invariants 1, 3 and 4): registered with as little as a
 * preferred name, held by one organization and never found by another, and never shown without a
 * READ event that commits first (no event, no data).
 */
import { ApiScope, Role } from '@harbour/authz';
import { Client as PgClient } from 'pg';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';
import { codeOf, dataOf } from '../support/responses';

const CLIENT_FIELDS = `id preferredName legalName birthYear pronouns languages
  contact { phone email preference safeToLeaveMessage } municipalIdNumber needs createdAt updatedAt`;
const REGISTER = `mutation ($input: RegisterClientInput!) { registerClient(input: $input) { client { ${CLIENT_FIELDS} } warnings { field code message } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateClientInput!) { updateClient(id: $id, input: $input) { client { ${CLIENT_FIELDS} } warnings { field code message } } }`;
const CLIENT = `query ($id: ID!) { client(id: $id) { ${CLIENT_FIELDS} } }`;
const CLIENTS = `query ($first: Int, $after: String, $search: String) {
  clients(first: $first, after: $after, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id preferredName } }
  }
}`;
const ACCESS_REPORT = `query ($id: ID!, $first: Int, $after: String) {
  clientAccessReport(clientId: $id, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { recordedAt organization { id name } actorKind actorRoles actorId action category outcome purpose } }
  }
}`;

interface EventRow {
  chain_id: string;
  actor_id: string | null;
  actor_roles: string[];
  action: string;
  category: string;
  entity_type: string | null;
  entity_id: string | null;
  subject_client_id: string | null;
  purpose: string | null;
  outcome: string;
  request_id: string | null;
  details: Record<string, unknown>;
}

const fieldsOf = (response: GraphQLResponse<unknown>) => [
  ...new Set(((response.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((problem) => problem.field)),
];

/** The text of a pg query call, whether it was sent as a string or a config object. */
const sqlOf = (args: unknown[]) =>
  typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? '');
const AUDIT_INSERT = /insert into audit_event/i;

describe('Clients', () => {
  let t: TestApp;
  let f: Fixtures;
  let shelter: Organization;
  let clinic: Organization;
  /** The shelter's caseworker and auditor, and the clinic's caseworker. */
  let caseworker: { token: string; accountId: string };
  let auditor: string;
  let clinicCaseworker: string;

  const events = (where: string, params: unknown[] = []) =>
    t.orm.em
      .fork()
      .getConnection()
      .execute<EventRow[]>(`select * from audit_event where ${where} order by chain_id, seq`, params);
  const register = async (input: Record<string, unknown>, token = caseworker.token) =>
    dataOf(
      await t.gql<{
        registerClient: {
          client: { id: string } & Record<string, unknown>;
          warnings: { field: string; code: string; message: string }[];
        };
      }>(REGISTER, { input }, token),
    ).registerClient;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    shelter = await f.organization({ name: 'City shelter' });
    clinic = await f.organization({ name: 'Public-health clinic' });
    caseworker = await f.signedIn(shelter, [Role.CASEWORKER]);
    auditor = (await f.signedIn(shelter, [Role.AUDITOR])).token;
    clinicCaseworker = (await f.signedIn(clinic, [Role.CASEWORKER])).token;
  });
  afterAll(() => t.close());

  describe('registerClient', () => {
    it('registers a client with a preferred name alone, with safe defaults for the rest', async () => {
      const { client, warnings } = await register({ preferredName: '  Rosa  ' });
      expect(client).toMatchObject({
        preferredName: 'Rosa',
        legalName: null,
        birthYear: null,
        pronouns: null,
        languages: [],
        contact: { phone: null, email: null, preference: 'ANY', safeToLeaveMessage: false },
        municipalIdNumber: null,
        needs: null,
      });
      expect(warnings).toEqual([]);
    });

    it('registers every field of the record', async () => {
      const input = {
        preferredName: 'Sam',
        legalName: 'Samira Haddad',
        birthYear: 1990,
        pronouns: 'she/her',
        languages: ['ar', 'fr-CA'],
        contact: {
          phone: '+1 555 0199',
          email: 'sam@example.test',
          preference: 'PHONE_ONLY',
          safeToLeaveMessage: true,
        },
        municipalIdNumber: 'HC-2026-0001',
        needs: 'A family doctor and a winter coat.',
      };
      const { client } = await register(input);
      expect(client).toMatchObject(input);
      expect(
        dataOf(await t.gql<{ client: Record<string, unknown> }>(CLIENT, { id: client.id }, caseworker.token)).client,
      ).toEqual(client);
    });

    it('records client.register in its organization chain, naming the client as subject, with field names but no personal data', async () => {
      const res = await t.gql<{ registerClient: { client: { id: string } } }>(
        REGISTER,
        { input: { preferredName: 'Yusuf', legalName: 'Yusuf Legalname', needs: 'Boots' } },
        caseworker.token,
      );
      const id = dataOf(res).registerClient.client.id;
      const [event] = await events('request_id = ?', [res.headers['x-request-id']]);
      expect(event).toMatchObject({
        chain_id: shelter.id,
        actor_id: caseworker.accountId,
        action: 'client.register',
        category: 'CREATE',
        entity_type: 'Client',
        entity_id: id,
        subject_client_id: id,
        outcome: 'SUCCESS',
        details: { fields: ['legalName', 'needs', 'preferredName'], warnings: [] },
      });
      expect(JSON.stringify(event)).not.toMatch(/Yusuf|Legalname|Boots/);
    });

    it('refuses invalid input with BAD_USER_INPUT naming every bad field', async () => {
      const res = await t.gql(
        REGISTER,
        {
          input: {
            preferredName: '   ',
            birthYear: 1850,
            languages: ['English'],
            contact: { email: 'not-an-email', phone: 'call me' },
            municipalIdNumber: '#12?',
            needs: 'x'.repeat(4001),
          },
        },
        caseworker.token,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res).sort()).toEqual(
        [
          'input.birthYear',
          'input.contact.email',
          'input.contact.phone',
          'input.languages',
          'input.municipalIdNumber',
          'input.needs',
          'input.preferredName',
        ].sort(),
      );
    });

    it('refuses a birth year after the current year', async () => {
      const res = await t.gql(
        REGISTER,
        { input: { preferredName: 'Future', birthYear: new Date().getUTCFullYear() + 1 } },
        caseworker.token,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['input.birthYear']);
    });

    it.each([
      ['PHONE_ONLY', 'input.contact.phone'],
      ['EMAIL_ONLY', 'input.contact.email'],
    ])('refuses contact preference %s without the means to use it', async (preference, field) => {
      const res = await t.gql(
        REGISTER,
        { input: { preferredName: 'Reach', contact: { preference } } },
        caseworker.token,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual([field]);
    });

    it('has no field for anything the record does not hold (a date of birth, a document)', async () => {
      for (const field of ['dateOfBirth', 'documentNumber']) {
        const res = await t.gql(REGISTER, { input: { preferredName: 'Nobody', [field]: 'x' } }, caseworker.token);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.data ?? null).toBeNull();
      }
    });

    it('registers, and warns the writer, when needs read like status information — without repeating it', async () => {
      const needs = 'Afraid of deportation; needs a doctor who will not ask for papers';
      const res = await t.gql<{
        registerClient: {
          client: { id: string; needs: string };
          warnings: { field: string; code: string; message: string }[];
        };
      }>(REGISTER, { input: { preferredName: 'Ines', needs } }, caseworker.token);
      const { client, warnings } = dataOf(res).registerClient;
      expect(client.needs).toBe(needs);
      expect(warnings).toEqual([
        { field: 'input.needs', code: 'STATUS_INFORMATION', message: expect.stringContaining('input.needs') },
      ]);
      expect(warnings[0].message).not.toMatch(/deport|papers/i);
      const [event] = await events('request_id = ?', [res.headers['x-request-id']]);
      expect(event.details).toMatchObject({ warnings: ['input.needs'] });
    });
  });

  describe('updateClient', () => {
    it('changes the fields sent and keeps the others', async () => {
      const { client } = await register({
        preferredName: 'Tom',
        pronouns: 'he/him',
        languages: ['en'],
        needs: 'Shoes',
      });
      const res = await t.gql<{ updateClient: { client: Record<string, unknown> } }>(
        UPDATE,
        { id: client.id, input: { preferredName: 'Thomas', birthYear: 1980 } },
        caseworker.token,
      );
      expect(dataOf(res).updateClient.client).toMatchObject({
        preferredName: 'Thomas',
        birthYear: 1980,
        pronouns: 'he/him',
        languages: ['en'],
        needs: 'Shoes',
      });
      const [event] = await events('request_id = ?', [res.headers['x-request-id']]);
      expect(event).toMatchObject({
        action: 'client.update',
        category: 'UPDATE',
        subject_client_id: client.id,
        details: { fields: ['birthYear', 'preferredName'] },
      });
    });

    it('clears optional fields with null and refuses null for preferredName, languages and contact', async () => {
      const { client } = await register({
        preferredName: 'Lee',
        legalName: 'Lee Legal',
        birthYear: 1970,
        pronouns: 'they/them',
        municipalIdNumber: 'M-1',
        needs: 'Bus fare',
      });
      const cleared = dataOf(
        await t.gql<{ updateClient: { client: Record<string, unknown> } }>(
          UPDATE,
          {
            id: client.id,
            input: { legalName: null, birthYear: null, pronouns: null, municipalIdNumber: null, needs: null },
          },
          caseworker.token,
        ),
      ).updateClient.client;
      expect(cleared).toMatchObject({
        preferredName: 'Lee',
        legalName: null,
        birthYear: null,
        pronouns: null,
        municipalIdNumber: null,
        needs: null,
      });
      const refused = await t.gql(
        UPDATE,
        { id: client.id, input: { preferredName: null, languages: null, contact: null } },
        caseworker.token,
      );
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(refused).sort()).toEqual(['input.contact', 'input.languages', 'input.preferredName']);
    });

    it('changes contact details one by one, keeping the rules of the record', async () => {
      const { client } = await register({
        preferredName: 'Ana',
        contact: { phone: '555 0101', preference: 'PHONE_ONLY' },
      });
      const updated = dataOf(
        await t.gql<{ updateClient: { client: { contact: Record<string, unknown> } } }>(
          UPDATE,
          { id: client.id, input: { contact: { safeToLeaveMessage: true } } },
          caseworker.token,
        ),
      ).updateClient.client;
      expect(updated.contact).toEqual({
        phone: '555 0101',
        email: null,
        preference: 'PHONE_ONLY',
        safeToLeaveMessage: true,
      });
      const refused = await t.gql(UPDATE, { id: client.id, input: { contact: { phone: null } } }, caseworker.token);
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(refused)).toEqual(['input.contact.phone']);
      const set = dataOf(
        await t.gql<{ updateClient: { client: { contact: Record<string, unknown> } } }>(
          UPDATE,
          { id: client.id, input: { contact: { phone: null, preference: 'DO_NOT_CONTACT' } } },
          caseworker.token,
        ),
      ).updateClient.client;
      expect(set.contact).toEqual({ phone: null, email: null, preference: 'DO_NOT_CONTACT', safeToLeaveMessage: true });
    });

    it('warns when updated needs read like status information, and saves them', async () => {
      const { client } = await register({ preferredName: 'Oumar' });
      const { updateClient } = dataOf(
        await t.gql<{ updateClient: { client: { needs: string }; warnings: { field: string }[] } }>(
          UPDATE,
          { id: client.id, input: { needs: 'Sans papiers, cherche un médecin' } },
          caseworker.token,
        ),
      );
      expect(updateClient.client.needs).toBe('Sans papiers, cherche un médecin');
      expect(updateClient.warnings.map((w) => w.field)).toEqual(['input.needs']);
    });

    it("answers NOT_FOUND for another organization's client, like an unknown id, and changes nothing", async () => {
      const foreign = await f.client(clinic, { preferredName: 'Clinic client' });
      for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await t.gql(UPDATE, { id, input: { preferredName: 'Taken over' } }, caseworker.token);
        expect(codeOf(res)).toBe('NOT_FOUND');
        expect(res.data).toBeNull();
      }
      const stored = dataOf(
        await t.gql<{ client: { preferredName: string } }>(CLIENT, { id: foreign.id }, clinicCaseworker),
      ).client;
      expect(stored.preferredName).toBe('Clinic client');
    });
  });

  describe('client', () => {
    it('writes one READ event — subject client, purpose, request — before returning the record', async () => {
      const stored = await f.client(shelter, { preferredName: 'Read me' });
      const res = await t.gql<{ client: { id: string } }>(CLIENT, { id: stored.id }, caseworker.token);
      expect(dataOf(res).client.id).toBe(stored.id);
      // From another connection, straight after the response: the event is committed.
      const rows = await superuserQuery<EventRow>(t.database.name, 'select * from audit_event where request_id = $1', [
        res.headers['x-request-id'],
      ]);
      expect(rows).toEqual([
        expect.objectContaining({
          chain_id: shelter.id,
          actor_id: caseworker.accountId,
          actor_roles: ['CASEWORKER'],
          action: 'client.read',
          category: 'READ',
          entity_type: 'Client',
          entity_id: stored.id,
          subject_client_id: stored.id,
          purpose: 'CASE_MANAGEMENT',
          outcome: 'SUCCESS',
        }),
      ]);
    });

    it("answers NOT_FOUND for another organization's client and for unknown ids alike, with a DENIED event and no READ", async () => {
      const foreign = await f.client(clinic);
      for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await t.gql(CLIENT, { id }, caseworker.token);
        expect(codeOf(res)).toBe('NOT_FOUND');
        expect(res.data).toBeNull();
        const written = await events('request_id = ?', [res.headers['x-request-id']]);
        expect(written.map((e) => [e.outcome, e.action, e.entity_type])).toEqual([
          ['DENIED', 'graphql.client', 'Client'],
        ]);
      }
    });

    it('returns no data when its READ event cannot be written (no event, no data)', async () => {
      const stored = await f.client(shelter, { preferredName: 'Unrecorded', needs: 'Secret needs' });
      await superuserQuery(t.database.name, 'revoke insert on audit_event from harbour_app');
      let res: GraphQLResponse<unknown>;
      try {
        res = await t.gql(CLIENT, { id: stored.id }, caseworker.token);
      } finally {
        await superuserQuery(t.database.name, 'grant insert on audit_event to harbour_app');
      }
      expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.data ?? null).toBeNull();
      expect(JSON.stringify(res)).not.toMatch(/Unrecorded|Secret needs/);
      expect(await events('subject_client_id = ?', [stored.id])).toEqual([]);
    });

    it('reads through an API client with clients:read, recording its scopes as roles', async () => {
      const stored = await f.client(shelter);
      const system = await f.apiClient(shelter, [ApiScope.CLIENTS_READ]);
      const res = await t.gql<{ client: { id: string } }>(CLIENT, { id: stored.id }, system.key);
      expect(dataOf(res).client.id).toBe(stored.id);
      const [event] = await events('request_id = ?', [res.headers['x-request-id']]);
      expect(event).toMatchObject({
        actor_id: system.id,
        actor_roles: ['clients:read'],
        action: 'client.read',
        subject_client_id: stored.id,
      });
    });
  });

  describe('clients', () => {
    /** A fresh organization, so that its list can be checked exactly. */
    let home: Organization;
    let homeToken: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      home = await f.organization({ name: 'Community centre' });
      homeToken = (await f.signedIn(home, [Role.CASEWORKER])).token;
      for (const [key, fields] of Object.entries({
        ana: { preferredName: 'Ana', legalName: 'Ana Maria Lopez', municipalIdNumber: 'HC-100' },
        anaelle: { preferredName: 'Anaëlle' },
        bo: { preferredName: 'Bo', legalName: 'Bo Canavan', needs: 'Ana helps him with forms' },
        percent: { preferredName: '100% Chris' },
        under: { preferredName: 'Dee_Dee' },
        zoe: { preferredName: 'Zoe', municipalIdNumber: 'HC-1000' },
      })) {
        ids[key] = (await f.client(home, fields)).id;
      }
      // Another organization's clients match every search below: they must never appear.
      await f.client(clinic, { preferredName: 'Ana', legalName: 'Ana Maria Lopez', municipalIdNumber: 'HC-100' });
      await f.client(clinic, { preferredName: '100% Other' });
    });

    const list = async (variables: Record<string, unknown>, token = homeToken) =>
      dataOf(
        await t.gql<{
          clients: {
            totalCount: number;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            edges: { node: { id: string; preferredName: string } }[];
          };
        }>(CLIENTS, variables, token),
      ).clients;
    const names = (page: { edges: { node: { preferredName: string } }[] }) =>
      page.edges.map((e) => e.node.preferredName);

    it("lists the organization's own clients only, by preferred name then id, page after page", async () => {
      const first = await list({ first: 4 });
      expect(first.totalCount).toBe(6);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = await list({ first: 4, after: first.pageInfo.endCursor });
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect([...names(first), ...names(second)]).toEqual(['100% Chris', 'Ana', 'Anaëlle', 'Bo', 'Dee_Dee', 'Zoe']);
    });

    it('searches preferred and legal names, ignoring case, within the organization only', async () => {
      expect(names(await list({ search: 'ana' }))).toEqual(['Ana', 'Anaëlle', 'Bo']);
      expect(names(await list({ search: 'LOPEZ' }))).toEqual(['Ana']);
    });

    it('finds a client by the exact municipal ID number, never by part of it', async () => {
      expect(names(await list({ search: 'HC-100' }))).toEqual(['Ana']);
      expect(names(await list({ search: 'HC-1000' }))).toEqual(['Zoe']);
      expect(names(await list({ search: 'HC-10' }))).toEqual([]);
    });

    it('takes % and _ literally', async () => {
      expect(names(await list({ search: '%' }))).toEqual(['100% Chris']);
      expect(names(await list({ search: '_' }))).toEqual(['Dee_Dee']);
    });

    it('never searches needs', async () => {
      expect(names(await list({ search: 'helps him with forms' }))).toEqual([]);
    });

    it("never finds another organization's clients, whatever the search", async () => {
      expect(names(await list({ search: 'Other' }))).toEqual([]);
      const fromClinic = await list({ search: 'Ana' }, clinicCaseworker);
      expect(fromClinic.totalCount).toBe(1);
      expect(fromClinic.edges[0].node.id).not.toBe(ids.ana);
    });

    it('refuses an empty search and a bad page size, naming the argument', async () => {
      for (const [variables, field] of [
        [{ search: '  ' }, 'search'],
        [{ first: 0 }, 'first'],
        [{ after: 'garbage' }, 'after'],
      ] as const) {
        const res = await t.gql(CLIENTS, variables, homeToken);
        expect({ variables, code: codeOf(res), fields: fieldsOf(res) }).toEqual({
          variables,
          code: 'BAD_USER_INPUT',
          fields: [field],
        });
      }
    });

    it('writes one READ event per client on the page, in one INSERT, committed before the page is returned', async () => {
      const query = jest.spyOn(PgClient.prototype, 'query');
      let res: GraphQLResponse<{ clients: { edges: { node: { id: string } }[] } }>;
      let statements: string[];
      try {
        res = await t.gql(CLIENTS, { first: 3 }, homeToken);
      } finally {
        statements = query.mock.calls.map(sqlOf);
        query.mockRestore();
      }
      const shown = dataOf(res).clients.edges.map((e) => e.node.id);
      expect(shown).toHaveLength(3);
      expect(statements.filter((sql) => AUDIT_INSERT.test(sql))).toHaveLength(1);
      const rows = await superuserQuery<EventRow>(
        t.database.name,
        'select * from audit_event where request_id = $1 order by seq',
        [res.headers['x-request-id']],
      );
      expect(rows.map((row) => [row.action, row.subject_client_id, row.entity_id, row.purpose])).toEqual(
        shown.map((id) => ['client.read', id, id, 'CASE_MANAGEMENT']),
      );
    });

    it('writes no READ event for a page with no client', async () => {
      const res = await t.gql(CLIENTS, { search: 'nobody by this name' }, homeToken);
      expect(dataOf(res)).toBeTruthy();
      expect(await events('request_id = ?', [res.headers['x-request-id']])).toEqual([]);
    });
  });

  describe('clientAccessReport', () => {
    it('lists who accessed the client — organization, roles, action, time, purpose — newest first, and is itself recorded', async () => {
      const { client } = await register({ preferredName: 'Watched' });
      dataOf(await t.gql(CLIENT, { id: client.id }, caseworker.token));
      const system = await f.apiClient(shelter, [ApiScope.CLIENTS_READ]);
      dataOf(await t.gql(CLIENT, { id: client.id }, system.key));

      const res = await t.gql<{
        clientAccessReport: { totalCount: string; edges: { node: Record<string, unknown> }[] };
      }>(ACCESS_REPORT, { id: client.id }, auditor);
      const report = dataOf(res).clientAccessReport;
      expect(report.totalCount).toBe('3');
      expect(report.edges.map((e) => e.node)).toEqual([
        expect.objectContaining({
          action: 'client.read',
          actorKind: 'API_CLIENT',
          actorRoles: ['clients:read'],
          actorId: system.id,
          category: 'READ',
          purpose: 'CASE_MANAGEMENT',
        }),
        expect.objectContaining({
          action: 'client.read',
          actorKind: 'STAFF',
          actorRoles: ['CASEWORKER'],
          actorId: caseworker.accountId,
          purpose: 'CASE_MANAGEMENT',
        }),
        expect.objectContaining({
          action: 'client.register',
          actorKind: 'STAFF',
          category: 'CREATE',
          outcome: 'SUCCESS',
          purpose: null,
        }),
      ]);
      for (const { node } of report.edges) expect(node.organization).toEqual({ id: shelter.id, name: 'City shelter' });
      const times = report.edges.map((e) => Date.parse(e.node.recordedAt as string));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const [event] = await events('request_id = ?', [res.headers['x-request-id']]);
      expect(event).toMatchObject({
        action: 'client.accessReport',
        category: 'READ',
        subject_client_id: client.id,
        purpose: 'ACCESS_REVIEW',
        details: { returned: 3 },
      });
      // The next report shows the previous one.
      const again = dataOf(
        await t.gql<{ clientAccessReport: { edges: { node: { action: string } }[] } }>(
          ACCESS_REPORT,
          { id: client.id, first: 1 },
          caseworker.token,
        ),
      );
      expect(again.clientAccessReport.edges.map((e) => e.node.action)).toEqual(['client.accessReport']);
    });

    it('pages through the report with cursors', async () => {
      const stored = await f.client(shelter);
      for (let i = 0; i < 3; i++) dataOf(await t.gql(CLIENT, { id: stored.id }, caseworker.token));
      const first = dataOf(
        await t.gql<{ clientAccessReport: { pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
          ACCESS_REPORT,
          { id: stored.id, first: 2 },
          auditor,
        ),
      ).clientAccessReport;
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = dataOf(
        await t.gql<{ clientAccessReport: { pageInfo: { hasNextPage: boolean }; edges: unknown[] } }>(
          ACCESS_REPORT,
          { id: stored.id, first: 2, after: first.pageInfo.endCursor },
          auditor,
        ),
      ).clientAccessReport;
      expect(second.edges).toHaveLength(1);
      expect(second.pageInfo.hasNextPage).toBe(false);
    });

    it("answers NOT_FOUND for another organization's client", async () => {
      const foreign = await f.client(clinic);
      const res = await t.gql(ACCESS_REPORT, { id: foreign.id }, auditor);
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(await events('subject_client_id = ? and chain_id = ?', [foreign.id, shelter.id])).toEqual([]);
    });
  });
});
