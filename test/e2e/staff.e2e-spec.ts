import { Role } from '@harbour/authz';
import { encodeCursor } from '@harbour/graphql-kit';
import { Invitation } from '../../src/modules/staff/invitation.entity';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation ($input: CreateStaffAccountInput!) {
  createStaffAccount(input: $input) { invitationToken invitationExpiresAt invitation { id email displayName roles organizationId } warnings { field } }
}`;
const ACCEPT =
  'mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken organizationId } }';
const SET_ROLES =
  'mutation ($input: SetStaffRolesInput!) { setStaffRoles(input: $input) { staffMember { accountId roles leadServiceArea } warnings { field } } }';
const DEACTIVATE =
  'mutation ($id: ID!) { deactivateStaffAccount(accountId: $id) { staffMember { accountId active } warnings { field } } }';
const ME = '{ me { id roles organizationId } }';

interface Created {
  createStaffAccount: {
    invitationToken: string;
    invitationExpiresAt: string;
    invitation: { id: string; email: string; displayName: string; roles: string[]; organizationId: string };
    warnings: unknown[];
  };
}

describe('Staff accounts', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
  });
  afterAll(() => t.close());

  describe('invitations', () => {
    it('invite, accept with a new password, then act for the organization', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const created = await t.gql<Created>(
        CREATE,
        { input: { email: ' New.Person@Example.test ', displayName: 'New Person', roles: ['CASEWORKER'] } },
        admin.token,
      );
      expect(created.errors).toBeUndefined();
      const { invitationToken, invitation, warnings } = created.data!.createStaffAccount;
      expect(warnings).toEqual([]);
      expect(invitation).toMatchObject({
        email: 'new.person@example.test',
        displayName: 'New Person',
        roles: ['CASEWORKER'],
        organizationId: org.id,
      });

      const accepted = await t.gql<{ acceptInvitation: { accessToken: string; organizationId: string } }>(ACCEPT, {
        input: { token: invitationToken, password: 'violet kettle orbit sunrise' },
      });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data!.acceptInvitation.organizationId).toBe(org.id);
      const me = await t.gql<{ me: { id: string; roles: string[] } }>(
        ME,
        {},
        accepted.data!.acceptInvitation.accessToken,
      );
      expect(me.data!.me).toMatchObject({ roles: ['CASEWORKER'] });

      const again = await t.gql(ACCEPT, { input: { token: invitationToken, password: 'another long passphrase' } });
      expect(again.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('stores only a hash of the invitation token', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const created = await t.gql<Created>(
        CREATE,
        { input: { email: 'hash-check@example.test', displayName: 'H', roles: ['INTAKE'] } },
        admin.token,
      );
      const rows = await t.orm.em.fork().getConnection().execute('select * from invitation');
      expect(JSON.stringify(rows)).not.toContain(created.data!.createStaffAccount.invitationToken);
    });

    it('refuses an expired invitation', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const created = await t.gql<Created>(
        CREATE,
        { input: { email: 'late@example.test', displayName: 'Late', roles: ['INTAKE'] } },
        admin.token,
      );
      await t.orm.em.fork().nativeUpdate(Invitation, {}, { expiresAt: new Date(Date.now() - 1000) });
      const res = await t.gql(ACCEPT, {
        input: { token: created.data!.createStaffAccount.invitationToken, password: 'violet kettle orbit sunrise' },
      });
      expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('lets a person who already has an account join signed in as themselves, never with a password', async () => {
      const a = await f.organization();
      const b = await f.organization();
      const existing = await f.signedIn(a, [Role.CASEWORKER]);
      const adminB = await f.signedIn(b, [Role.ORG_ADMIN]);
      const created = await t.gql<Created>(
        CREATE,
        { input: { email: existing.email, displayName: 'Someone', roles: ['INTAKE'] } },
        adminB.token,
      );
      const token = created.data!.createStaffAccount.invitationToken;
      const takeover = await t.gql(ACCEPT, { input: { token, password: 'attacker chosen password' } });
      expect(takeover.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const withPassword = await t.gql(ACCEPT, { input: { token, password: TEST_PASSWORD } });
      expect(withPassword.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const joined = await t.gql<{ acceptInvitation: { organizationId: string } }>(
        ACCEPT,
        { input: { token } },
        existing.token,
      );
      expect(joined.errors).toBeUndefined();
      expect(joined.data!.acceptInvitation.organizationId).toBe(b.id);
    });

    it('refuses to invite someone who is already a member', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const member = await f.staff(org, [Role.INTAKE]);
      const res = await t.gql(
        CREATE,
        { input: { email: member.email, displayName: 'Again', roles: ['INTAKE'] } },
        admin.token,
      );
      expect(res.errors![0].extensions!.code).toBe('CONFLICT');
    });

    it('refuses invalid input, naming the field', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const res = await t.gql(
        CREATE,
        { input: { email: 'not-an-email', displayName: '', roles: ['INTAKE'] } },
        admin.token,
      );
      expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const fields = (res.errors![0].extensions!.fields as { field: string }[]).map((p) => p.field);
      expect(fields).toEqual(expect.arrayContaining(['input.email', 'input.displayName']));
    });

    it('lets an ORG_ADMIN grant only organization roles', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const res = await t.gql(
        CREATE,
        {
          input: {
            email: 'lead@example.test',
            displayName: 'L',
            roles: ['SERVICE_AREA_LEAD'],
            leadServiceArea: 'HEALTH',
          },
        },
        admin.token,
      );
      expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    });
  });

  describe('first ORG_ADMIN of an organization', () => {
    it('is invited by a NETWORK_ADMIN while the organization has none, and only then', async () => {
      const operator = await f.operator();
      const networkAdmin = await f.signedIn(operator, [Role.NETWORK_ADMIN]);
      const org = await f.organization();
      const first = await t.gql<Created>(
        CREATE,
        {
          input: {
            email: 'first-admin@example.test',
            displayName: 'First',
            roles: ['ORG_ADMIN'],
            organizationId: org.id,
          },
        },
        networkAdmin.token,
      );
      expect(first.errors).toBeUndefined();
      await t.gql(ACCEPT, {
        input: { token: first.data!.createStaffAccount.invitationToken, password: 'violet kettle orbit sunrise' },
      });
      const second = await t.gql(
        CREATE,
        {
          input: {
            email: 'second-admin@example.test',
            displayName: 'Second',
            roles: ['ORG_ADMIN'],
            organizationId: org.id,
          },
        },
        networkAdmin.token,
      );
      expect(second.errors![0].extensions!.code).toBe('CONFLICT');
      const caseworker = await t.gql(
        CREATE,
        { input: { email: 'cw@example.test', displayName: 'C', roles: ['CASEWORKER'], organizationId: org.id } },
        networkAdmin.token,
      );
      expect(caseworker.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('may be a network role only in the network operator (enforced by the database)', async () => {
      const org = await f.organization();
      await expect(f.staff(org, [Role.NETWORK_ADMIN])).rejects.toThrow(/network roles/);
    });
  });

  describe('setStaffRoles and deactivateStaffAccount', () => {
    it('change roles, effective on the next request', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const worker = await f.signedIn(org, [Role.CASEWORKER]);
      const res = await t.gql(
        SET_ROLES,
        { input: { accountId: worker.accountId, roles: ['INTAKE', 'AUDITOR'] } },
        admin.token,
      );
      expect(res.errors).toBeUndefined();
      const me = await t.gql<{ me: { roles: string[] } }>(ME, {}, worker.token);
      expect(me.data!.me.roles).toEqual(['INTAKE', 'AUDITOR']);
    });

    it('never let anybody change their own roles', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const res = await t.gql(
        SET_ROLES,
        { input: { accountId: admin.accountId, roles: ['ORG_ADMIN', 'CASEWORKER'] } },
        admin.token,
      );
      expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    });

    it('requires a service area with SERVICE_AREA_LEAD', async () => {
      const operator = await f.operator();
      const networkAdmin = await f.signedIn(operator, [Role.NETWORK_ADMIN]);
      const person = await f.staff(operator, [Role.AUDITOR]);
      const missing = await t.gql(
        SET_ROLES,
        { input: { accountId: person.accountId, roles: ['AUDITOR', 'SERVICE_AREA_LEAD'] } },
        networkAdmin.token,
      );
      expect(missing.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const ok = await t.gql<{ setStaffRoles: { staffMember: { roles: string[]; leadServiceArea: string } } }>(
        SET_ROLES,
        { input: { accountId: person.accountId, roles: ['AUDITOR', 'SERVICE_AREA_LEAD'], leadServiceArea: 'HOUSING' } },
        networkAdmin.token,
      );
      expect(ok.data!.setStaffRoles).toEqual({
        staffMember: {
          accountId: person.accountId,
          roles: ['AUDITOR', 'SERVICE_AREA_LEAD'],
          leadServiceArea: 'HOUSING',
        },
        warnings: [],
      });
    });

    it("deactivates a membership: the person's token stops on the next request", async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const worker = await f.signedIn(org, [Role.INTAKE]);
      const res = await t.gql<{ deactivateStaffAccount: { staffMember: { active: boolean }; warnings: unknown[] } }>(
        DEACTIVATE,
        { id: worker.accountId },
        admin.token,
      );
      expect(res.data!.deactivateStaffAccount).toEqual({
        staffMember: { accountId: worker.accountId, active: false },
        warnings: [],
      });
      const me = await t.gql(ME, {}, worker.token);
      expect(me.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      const login = await t.gql('mutation ($i: LoginInput!) { login(input: $i) { accessToken } }', {
        i: { email: worker.email, password: TEST_PASSWORD },
      });
      expect(login.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a forged cursor as bad input, not as a server error', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const forged = encodeCursor(['2026-01-01T00:00:00.000Z', "x' or 1=1 --"]);
      const res = await t.gql(
        'query ($after: String) { staffMembers(after: $after) { totalCount } }',
        { after: forged },
        admin.token,
      );
      expect(res.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.fields).toEqual([expect.objectContaining({ field: 'after' })]);
    });

    it("lists the organization's staff with pagination", async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      for (let i = 0; i < 3; i++) await f.staff(org, [Role.CASEWORKER]);
      const LIST =
        'query ($after: String) { staffMembers(first: 2, after: $after) { totalCount edges { node { accountId } } pageInfo { hasNextPage endCursor } } }';
      type Page = {
        staffMembers: {
          totalCount: number;
          edges: { node: { accountId: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
      const first = await t.gql<Page>(LIST, {}, admin.token);
      expect(first.data!.staffMembers.totalCount).toBe(4);
      expect(first.data!.staffMembers.pageInfo.hasNextPage).toBe(true);
      const second = await t.gql<Page>(LIST, { after: first.data!.staffMembers.pageInfo.endCursor }, admin.token);
      expect(second.data!.staffMembers.edges).toHaveLength(2);
      expect(second.data!.staffMembers.pageInfo.hasNextPage).toBe(false);
      const ids = [...first.data!.staffMembers.edges, ...second.data!.staffMembers.edges].map((e) => e.node.accountId);
      expect(new Set(ids).size).toBe(4);
    });
  });
});
