import { ApiScope, Role } from '@harbour/authz';
import { Membership } from '../../src/modules/staff/membership.entity';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const LOGIN =
  'mutation ($input: LoginInput!) { login(input: $input) { accessToken tokenType expiresAt organizationId } }';
const ME =
  '{ me { kind id email displayName organizationId organizationName roles scopes permissions memberships { organizationId roles } } }';

describe('Authentication', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
  });
  afterAll(() => t.close());

  describe('login', () => {
    it('returns a bearer token for the acting organization and its expiry', async () => {
      const org = await f.organization();
      const staff = await f.staff(org, [Role.CASEWORKER]);
      const before = Date.now();
      const res = await t.gql<{
        login: { accessToken: string; tokenType: string; expiresAt: string; organizationId: string };
      }>(LOGIN, {
        input: { email: staff.email.toUpperCase(), password: TEST_PASSWORD },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.login.tokenType).toBe('Bearer');
      expect(res.data!.login.organizationId).toBe(org.id);
      const expiresAt = Date.parse(res.data!.login.expiresAt);
      expect(expiresAt - before).toBeGreaterThan(14 * 60_000);
      expect(expiresAt - before).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    });

    it('gives the same answer for an unknown email and a wrong password', async () => {
      const org = await f.organization();
      const staff = await f.staff(org, [Role.INTAKE]);
      const wrong = await t.gql(LOGIN, { input: { email: staff.email, password: 'not the password at all' } });
      const unknown = await t.gql(LOGIN, {
        input: { email: 'nobody-here@example.test', password: 'not the password at all' },
      });
      expect(wrong.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      expect(unknown.errors![0].message).toBe(wrong.errors![0].message);
      expect(unknown.errors![0].extensions!.code).toBe(wrong.errors![0].extensions!.code);
      expect(unknown.status).toBe(wrong.status);
    });

    it('locks an email after repeated failures, even with the right password, and alike for unknown emails', async () => {
      const org = await f.organization();
      const staff = await f.staff(org, [Role.INTAKE]);
      for (const email of [staff.email, 'ghost@example.test']) {
        for (let i = 0; i < 5; i++) await t.gql(LOGIN, { input: { email, password: 'wrong password 123' } });
        const locked = await t.gql(LOGIN, {
          input: { email, password: email === staff.email ? TEST_PASSWORD : 'wrong password 123' },
        });
        expect(locked.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
        expect(locked.errors![0].message).toMatch(/locked/);
      }
    });

    it('slows down answers after a few failures', async () => {
      const timed = async () => {
        const started = process.hrtime.bigint();
        await t.gql(LOGIN, { input: { email: 'slow@example.test', password: 'wrong password 123' } });
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      await timed();
      await timed();
      // Test profile: 10 ms per step beyond two failures; the fourth failure waits two steps.
      await timed();
      expect(await timed()).toBeGreaterThanOrEqual(20);
    });

    it('asks a member of several organizations to choose one, and acts for the chosen one', async () => {
      const a = await f.organization();
      const b = await f.organization();
      const staff = await f.staff(a, [Role.CASEWORKER]);
      await f.staff(b, [Role.INTAKE], { email: staff.email });
      const ambiguous = await t.gql(LOGIN, { input: { email: staff.email, password: TEST_PASSWORD } });
      expect(ambiguous.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(ambiguous.errors![0].extensions)).toContain(b.id);

      const token = await f.login({ ...staff, organizationId: b.id });
      const me = await t.gql<{ me: { organizationId: string; roles: string[]; memberships: unknown[] } }>(
        ME,
        {},
        token,
      );
      expect(me.data!.me.organizationId).toBe(b.id);
      expect(me.data!.me.roles).toEqual([Role.INTAKE]);
      expect(me.data!.me.memberships).toHaveLength(2);
    });

    it('refuses an organization the person is not a member of', async () => {
      const a = await f.organization();
      const b = await f.organization();
      const staff = await f.staff(a, [Role.CASEWORKER]);
      const res = await t.gql(LOGIN, { input: { email: staff.email, password: TEST_PASSWORD, organizationId: b.id } });
      expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('per-request permissions', () => {
    it('reports effective permissions looked up on each request', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const me = await t.gql<{ me: { kind: string; permissions: string[]; email: string } }>(ME, {}, admin.token);
      expect(me.data!.me.kind).toBe('STAFF');
      expect(me.data!.me.email).toBe(admin.email);
      expect(me.data!.me.permissions).toEqual(
        expect.arrayContaining(['DIRECTORY_MANAGE', 'STAFF_MANAGE', 'API_CLIENT_MANAGE']),
      );

      await t.orm.em
        .fork()
        .nativeUpdate(Membership, { account: admin.accountId, organization: org.id }, { roles: [Role.AUDITOR] });
      const after = await t.gql<{ me: { permissions: string[]; roles: string[] } }>(ME, {}, admin.token);
      expect(after.data!.me.roles).toEqual([Role.AUDITOR]);
      expect(after.data!.me.permissions).not.toContain('STAFF_MANAGE');
    });

    it('stops a deactivated membership on its next request', async () => {
      const org = await f.organization();
      const staff = await f.signedIn(org, [Role.CASEWORKER]);
      expect((await t.gql(ME, {}, staff.token)).errors).toBeUndefined();
      await t.orm.em.fork().nativeUpdate(Membership, { account: staff.accountId }, { active: false });
      const res = await t.gql(ME, {}, staff.token);
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('refuses malformed, forged and expired credentials', async () => {
      const forged =
        Buffer.from('{"alg":"none"}').toString('base64url') +
        '.' +
        Buffer.from('{"sub":"x","org":"y"}').toString('base64url') +
        '.';
      for (const token of ['garbage', forged, 'hbk_000000000000_' + 'a'.repeat(43)]) {
        const res = await t.gql(ME, {}, token);
        expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      }
    });

    it('requires a credential for everything but the public operations', async () => {
      const res = await t.gql(ME);
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('API keys', () => {
    it('authenticate a partner system with its scopes', async () => {
      const org = await f.organization();
      const client = await f.apiClient(org, [ApiScope.DIRECTORY_WRITE]);
      const me = await t.gql<{
        me: { kind: string; id: string; scopes: string[]; permissions: string[]; email: string | null };
      }>(ME, {}, client.key);
      expect(me.errors).toBeUndefined();
      expect(me.data!.me).toMatchObject({
        kind: 'API_CLIENT',
        id: client.id,
        scopes: ['DIRECTORY_WRITE'],
        email: null,
      });
      expect(me.data!.me.permissions).toContain('DIRECTORY_MANAGE');
    });

    it('stop working once revoked, on the next request', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const created = await t.gql<{
        createApiClient: { apiClient: { id: string }; apiKey: string; warnings: unknown[] };
      }>(
        'mutation { createApiClient(input: { name: "Case system", scopes: [DIRECTORY_WRITE], operatorsTrained: true }) { apiClient { id } apiKey warnings { field } } }',
        {},
        admin.token,
      );
      const { apiKey, apiClient, warnings } = created.data!.createApiClient;
      expect(warnings).toEqual([]);
      expect((await t.gql(ME, {}, apiKey)).errors).toBeUndefined();
      const revoked = await t.gql<{ revokeApiClient: { apiClient: { id: string; revokedAt: string | null } } }>(
        'mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id revokedAt } warnings { field } } }',
        { id: apiClient.id },
        admin.token,
      );
      expect(revoked.data!.revokeApiClient).toMatchObject({
        apiClient: { id: apiClient.id, revokedAt: expect.any(String) as unknown },
        warnings: [],
      });
      const res = await t.gql(ME, {}, apiKey);
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('are stored only as a hash and never returned again', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const created = await t.gql<{ createApiClient: { apiKey: string } }>(
        'mutation { createApiClient(input: { name: "Records", scopes: [REFERRALS_READ], operatorsTrained: true }) { apiKey } }',
        {},
        admin.token,
      );
      const key = created.data!.createApiClient.apiKey;
      const secret = key.slice('hbk_'.length + 12 + 1);
      expect(secret).toHaveLength(43);
      const rows = await t.orm.em.fork().getConnection().execute<Record<string, unknown>[]>('select * from api_client');
      expect(JSON.stringify(rows)).not.toContain(secret);
      const listed = await t.gql('{ apiClients { edges { node { keyPrefix lastUsedAt } } } }', {}, admin.token);
      expect(JSON.stringify(listed.data)).not.toContain(secret);
    });

    it('record when they were last used', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const client = await f.apiClient(org, [ApiScope.CLIENTS_READ]);
      await t.gql(ME, {}, client.key);
      const listed = await t.gql<{ apiClients: { edges: { node: { id: string; lastUsedAt: string | null } }[] } }>(
        '{ apiClients { edges { node { id lastUsedAt } } } }',
        {},
        admin.token,
      );
      const node = listed.data!.apiClients.edges.find((e) => e.node.id === client.id)!.node;
      expect(node.lastUsedAt).not.toBeNull();
    });
  });

  describe('changePassword', () => {
    it('changes the password after checking the current one', async () => {
      const org = await f.organization();
      const staff = await f.signedIn(org, [Role.CASEWORKER]);
      const CHANGE = 'mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken } }';
      const wrong = await t.gql(
        CHANGE,
        { input: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' } },
        staff.token,
      );
      expect(wrong.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      for (const weak of [
        'short',
        '123456789012',
        'password1234',
        'aaaaaaaaaaaa',
        `${staff.email.split('@')[0]} rules ok`,
      ]) {
        const refused = await t.gql(
          CHANGE,
          { input: { currentPassword: TEST_PASSWORD, newPassword: weak } },
          staff.token,
        );
        const fields = refused.errors![0].extensions!.fields as { field: string }[];
        expect(fields.length).toBeGreaterThan(0);
        expect(new Set(fields.map((problem) => problem.field))).toEqual(new Set(['input.newPassword']));
        expect(JSON.stringify(refused.errors)).not.toContain(weak);
      }
      const ok = await t.gql(
        CHANGE,
        { input: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' } },
        staff.token,
      );
      expect(ok.errors).toBeUndefined();
      const relogin = await t.gql(LOGIN, { input: { email: staff.email, password: 'a brand new passphrase' } });
      expect(relogin.errors).toBeUndefined();
    });
  });
});
