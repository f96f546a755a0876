/**
 * The findings of the trust review, each reproduced as an attacker did it against the demo network
 * and answered as it must be now: no way into another organization's accounts, no personal data in
 * the log, no input that reaches an internal error, no oracle.
 */
import { ApiScope, Role } from '@harbour/authz';
import { generatePrivateKeyPem } from '@harbour/audit';
import { generateSecretBoxKey } from '@harbour/webhooks';
import { encodeCursor } from '@harbour/graphql-kit';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferralStatus } from '../../src/modules/referrals/referral.enums';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import { codeOf, dataOf } from '../support/responses';
import { startTestApp, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

const CREATE_STAFF = `mutation ($input: CreateStaffAccountInput!) {
  createStaffAccount(input: $input) { invitationToken invitationExpiresAt invitation { id email displayName roles organizationId createdAt expiresAt leadServiceArea } }
}`;
const ACCEPT =
  'mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken organizationId } }';
const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken organizationId } }';
const ME = '{ me { id organizationId roles } }';

const hashOf = (query: string) => createHash('sha256').update(query).digest('hex');

interface Invited {
  createStaffAccount: { invitationToken: string; invitation: Record<string, unknown> };
}

async function deniedCount(t: TestApp, action: string): Promise<number> {
  const [row] = await t.orm.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>(`select count(*) as n from audit_event where outcome = 'DENIED' and action = ?`, [
      action,
    ]);
  return Number(row.n);
}

describe('Trust', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL: '4' });
    f = new Fixtures(t);
  });
  afterAll(() => t.close());

  describe('1. an invitation never touches an account without its owner', () => {
    it("answers an invitation of another organization's staff exactly as one of a new email, with nothing of the account", async () => {
      const shelter = await f.organization({ name: 'Trust shelter' });
      const clinic = await f.organization({ name: 'Trust clinic' });
      const victim = await f.staff(clinic, [Role.CASEWORKER]);
      const admin = await f.signedIn(shelter, [Role.ORG_ADMIN]);

      const existing = await t.gql<Invited>(
        CREATE_STAFF,
        { input: { email: victim.email, displayName: 'Anything', roles: ['AUDITOR'] } },
        admin.token,
      );
      const fresh = await t.gql<Invited>(
        CREATE_STAFF,
        { input: { email: `fresh-${randomUUID()}@example.test`, displayName: 'Anything', roles: ['AUDITOR'] } },
        admin.token,
      );
      const a = dataOf(existing).createStaffAccount;
      const b = dataOf(fresh).createStaffAccount;
      expect(Object.keys(a.invitation).sort()).toEqual(Object.keys(b.invitation).sort());
      expect(a.invitation).toMatchObject({
        email: victim.email,
        displayName: 'Anything',
        roles: ['AUDITOR'],
        organizationId: shelter.id,
      });
      expect(JSON.stringify(existing.data)).not.toContain(victim.accountId);
      expect(JSON.stringify(existing.data)).not.toContain(`Staff ${victim.email}`);

      // No membership until the owner accepts: the victim cannot act for the shelter, and still signs in plainly.
      const intoShelter = await t.gql(LOGIN, {
        input: { email: victim.email, password: TEST_PASSWORD, organizationId: shelter.id },
      });
      expect(codeOf(intoShelter)).toBe('BAD_USER_INPUT');
      const plain = await t.gql<{ login: { organizationId: string } }>(LOGIN, {
        input: { email: victim.email, password: TEST_PASSWORD },
      });
      expect(dataOf(plain).login.organizationId).toBe(clinic.id);
    });

    it('never lets the token holder test a password: right and wrong answers are the same refusal, throttled and audited', async () => {
      const shelter = await f.organization();
      const clinic = await f.organization();
      const victim = await f.staff(clinic, [Role.CASEWORKER]);
      const admin = await f.signedIn(shelter, [Role.ORG_ADMIN]);
      const token = dataOf(
        await t.gql<Invited>(
          CREATE_STAFF,
          { input: { email: victim.email, displayName: 'X', roles: ['AUDITOR'] } },
          admin.token,
        ),
      ).createStaffAccount.invitationToken;
      const before = await deniedCount(t, 'staff.invitation.accept');

      const wrong = await t.gql(ACCEPT, { input: { token, password: 'a wrong guess at it' } });
      const right = await t.gql(ACCEPT, { input: { token, password: TEST_PASSWORD } });
      expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
      expect(right.errors).toEqual(
        wrong.errors?.map((e) => ({
          ...e,
          extensions: { ...e.extensions, requestId: right.errors![0].extensions!.requestId },
        })),
      );
      expect(right.data?.acceptInvitation ?? null).toBeNull();
      expect(await deniedCount(t, 'staff.invitation.accept')).toBe(before + 2);

      // Throttled like sign-in: after the limit even the owner's own session waits.
      for (let i = 0; i < 3; i += 1) await t.gql(ACCEPT, { input: { token, password: 'another wrong guess' } });
      const locked = await t.gql(ACCEPT, { input: { token } }, await f.login(victim));
      expect(codeOf(locked)).toBe('BAD_USER_INPUT');
      expect(locked.errors![0].message).toMatch(/Too many failed attempts/);
    });

    it('lets the owner accept signed in as themselves; anyone else signed in is refused', async () => {
      const shelter = await f.organization();
      const clinic = await f.organization();
      const person = await f.signedIn(clinic, [Role.CASEWORKER]);
      const stranger = await f.signedIn(clinic, [Role.INTAKE]);
      const admin = await f.signedIn(shelter, [Role.ORG_ADMIN]);
      const token = dataOf(
        await t.gql<Invited>(
          CREATE_STAFF,
          { input: { email: person.email, displayName: 'Named by the shelter', roles: ['AUDITOR'] } },
          admin.token,
        ),
      ).createStaffAccount.invitationToken;

      const other = await t.gql(ACCEPT, { input: { token } }, stranger.token);
      expect(codeOf(other)).toBe('BAD_USER_INPUT');
      expect(other.errors![0].message).toMatch(/someone else/);
      const partner = await t.gql(
        ACCEPT,
        { input: { token } },
        (await f.apiClient(clinic, [ApiScope.REFERRALS_READ])).key,
      );
      expect(codeOf(partner)).toBe('FORBIDDEN');

      const joined = await t.gql<{ acceptInvitation: { accessToken: string; organizationId: string } }>(
        ACCEPT,
        { input: { token } },
        person.token,
      );
      expect(dataOf(joined).acceptInvitation.organizationId).toBe(shelter.id);
      const me = await t.gql<{ me: { id: string; roles: string[] } }>(
        ME,
        {},
        joined.data!.acceptInvitation.accessToken,
      );
      expect(dataOf(me).me).toEqual({ id: person.accountId, organizationId: shelter.id, roles: ['AUDITOR'] });

      // Each organization sees the name it typed, never another organization's.
      const members = await t.gql<{ staffMembers: { edges: { node: { accountId: string; displayName: string } }[] } }>(
        '{ staffMembers { edges { node { accountId displayName } } } }',
        {},
        admin.token,
      );
      expect(dataOf(members).staffMembers.edges.map((e) => e.node)).toContainEqual({
        accountId: person.accountId,
        displayName: 'Named by the shelter',
      });
    });

    it('shows an administrator its pending invitations only, with the names it typed', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const otherAdmin = await f.signedIn(await f.organization(), [Role.ORG_ADMIN]);
      await t.gql(
        CREATE_STAFF,
        { input: { email: `pending-${randomUUID()}@example.test`, displayName: 'Typed name', roles: ['INTAKE'] } },
        admin.token,
      );
      const query = '{ staffInvitations { totalCount edges { node { displayName roles } } } }';
      const own = await t.gql<{ staffInvitations: { totalCount: number; edges: { node: { displayName: string } }[] } }>(
        query,
        {},
        admin.token,
      );
      expect(dataOf(own).staffInvitations.edges.map((e) => e.node.displayName)).toEqual(['Typed name']);
      const other = await t.gql<{ staffInvitations: { totalCount: number } }>(query, {}, otherAdmin.token);
      expect(dataOf(other).staffInvitations.totalCount).toBe(0);
    });

    it('replaces a pending invitation of the same email: the older token stops working', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const email = `again-${randomUUID()}@example.test`;
      const first = dataOf(
        await t.gql<Invited>(CREATE_STAFF, { input: { email, displayName: 'One', roles: ['INTAKE'] } }, admin.token),
      ).createStaffAccount;
      const second = dataOf(
        await t.gql<Invited>(CREATE_STAFF, { input: { email, displayName: 'Two', roles: ['INTAKE'] } }, admin.token),
      ).createStaffAccount;
      expect(
        codeOf(
          await t.gql(ACCEPT, { input: { token: first.invitationToken, password: 'violet kettle orbit sunrise' } }),
        ),
      ).toBe('BAD_USER_INPUT');
      expect(
        dataOf(
          await t.gql(ACCEPT, { input: { token: second.invitationToken, password: 'violet kettle orbit sunrise' } }),
        ),
      ).toBeTruthy();
    });

    it('lets only one of two invitations of one new email, accepted at once, create the account; the other is told to sign in', async () => {
      const email = `race-${randomUUID()}@example.test`;
      const tokens = await Promise.all(
        [f.organization(), f.organization()].map(async (org) => f.invitation(await org, [Role.INTAKE], { email })),
      );
      const answers = await Promise.all(
        tokens.map((token) => t.gql(ACCEPT, { input: { token, password: 'violet kettle orbit sunrise' } })),
      );
      const codes = answers.map((res) => codeOf(res) ?? 'OK').sort();
      expect(codes).toEqual(['BAD_USER_INPUT', 'OK']);
    });

    it('refuses bad and expired tokens as DENIED', async () => {
      const org = await f.organization();
      const expired = await f.invitation(org, [Role.INTAKE], { expiresAt: new Date(Date.now() - 1000) });
      const before = await deniedCount(t, 'staff.invitation.accept');
      for (const token of [expired, 'x'.repeat(43)]) {
        const res = await t.gql(ACCEPT, { input: { token, password: 'violet kettle orbit sunrise' } });
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.errors![0].extensions!.fields).toEqual([{ field: 'input.token', message: 'is not valid' }]);
      }
      expect(await deniedCount(t, 'staff.invitation.accept')).toBe(before + 2);
    });
  });

  describe('2. hostile input is a clear BAD_USER_INPUT naming the field, and never reaches the log', () => {
    const MARKER = `Zq${randomUUID().slice(0, 8)}Marker`;

    it.each([
      [
        'NUL in a name',
        'mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }',
        { i: { preferredName: `${MARKER}\u0000` } },
        'input.preferredName',
      ],
      [
        'a control character in free text',
        'mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }',
        { i: { preferredName: 'A', needs: `${MARKER}\u0007` } },
        'input.needs',
      ],
      [
        'a lone surrogate',
        'mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }',
        { i: { preferredName: `${MARKER}\ud800` } },
        'input.preferredName',
      ],
      [
        'a non-UUID id',
        'mutation ($id: ID!) { deactivateStaffAccount(accountId: $id) { staffMember { accountId } } }',
        { id: `1' OR '1'='1 ${MARKER}` },
        'accountId',
      ],
      [
        'a non-UUID id to revoke',
        'mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id } } }',
        { id: MARKER },
        'id',
      ],
      [
        'a date in the year 275760',
        'query ($d: DateTime) { referrals(box: OUTBOX, updatedSince: $d) { totalCount } }',
        { d: '+275760-09-13T00:00:00Z' },
        'updatedSince',
      ],
      [
        'a date in the year 0',
        'query ($d: DateTime) { auditEvents(filter: { from: $d }) { totalCount } }',
        { d: '0000-01-01T00:00:00Z' },
        'filter.from',
      ],
      [
        'a literal NUL in the document',
        `mutation { registerClient(input: { preferredName: "${MARKER}\\u0000" }) { client { id } } }`,
        {},
        'input.preferredName',
      ],
    ])('%s', async (_what, query, variables, field) => {
      const org = await f.organization();
      const token = (await f.signedIn(org, [Role.CASEWORKER, Role.ORG_ADMIN, Role.AUDITOR])).token;
      const res = await t.gql(query, variables, token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.status).toBeLessThan(500);
      expect((res.errors![0].extensions!.fields as { field: string }[]).map((p) => p.field)).toContain(field);
      expect(JSON.stringify(res.errors)).not.toContain(MARKER);
      expect(t.logs.join('\n')).not.toContain(MARKER);
    });

    it.each([
      [
        'a date out of range',
        'query ($a: String) { referrals(box: OUTBOX, after: $a) { totalCount } }',
        encodeCursor(['-271821-04-20T00:00:00.000Z', randomUUID()]),
      ],
      [
        'a sequence number beyond bigint',
        'query ($a: String) { auditEvents(after: $a) { totalCount } }',
        encodeCursor([new Date().toISOString(), randomUUID(), '9999999999999999999']),
      ],
      [
        'a sequence number of 2^63 in the access report',
        'query ($a: String, $c: ID!) { clientAccessReport(clientId: $c, after: $a) { totalCount } }',
        encodeCursor(['2026-01-01T00:00:00.000Z', randomUUID(), '9223372036854775808']),
      ],
      [
        'a NUL in a name sort value (clients)',
        'query ($a: String) { clients(after: $a) { totalCount } }',
        encodeCursor(['\u0000x', randomUUID()]),
      ],
      [
        'a NUL in a name sort value (organizations)',
        'query ($a: String) { organizations(after: $a) { totalCount } }',
        encodeCursor(['\u0000x', randomUUID()]),
      ],
      [
        'a NUL in a name sort value (services)',
        'query ($a: String) { services(after: $a) { totalCount } }',
        encodeCursor(['\u0000x', randomUUID()]),
      ],
    ])('refuses a forged cursor with %s', async (_what, query, after) => {
      const org = await f.organization();
      const token = (await f.signedIn(org, [Role.CASEWORKER, Role.AUDITOR])).token;
      const res = await t.gql(query, { a: after, c: (await f.client(org)).id }, token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.fields).toEqual([{ field: 'after', message: 'not a cursor of this list' }]);
    });

    it('keeps coordinates to 7 decimals, so that a subnormal one cannot break the distance search', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const created = await t.gql<{ createLocation: { location: { id: string; latitude: number } } }>(
        'mutation ($i: CreateLocationInput!) { createLocation(input: $i) { location { id latitude } } }',
        {
          i: {
            name: 'Tiny',
            kind: 'PHYSICAL',
            addressLine1: '1 Main St',
            city: 'City',
            latitude: 5e-324,
            longitude: 0.123456789,
          },
        },
        admin.token,
      );
      expect(dataOf(created).createLocation.location.latitude).toBe(0);
      await f.service(org);
      const near = await t.gql(
        'query ($n: NearInput!) { services(filter: { near: $n }) { totalCount } }',
        { n: { latitude: -5e-324, longitude: 0, radiusKm: 0.5 } },
        admin.token,
      );
      expect(near.errors).toBeUndefined();
    });

    it('logs an unexpected database error by SQLSTATE, table and constraint only', async () => {
      const caseworker = await f.signedIn(await f.organization(), [Role.CASEWORKER]);
      await superuserQuery(t.database.name, 'REVOKE INSERT ON "client" FROM harbour_app');
      try {
        const res = await t.gql(
          'mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }',
          { i: { preferredName: MARKER, needs: `needs ${MARKER}` } },
          caseworker.token,
        );
        expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        await superuserQuery(t.database.name, 'GRANT INSERT ON "client" TO harbour_app');
      }
      const logged = t.logs.filter((line) => line.includes('unexpected'));
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.join('\n')).toContain('"sqlState":"42501"');
      expect(t.logs.join('\n')).not.toContain(MARKER);
      expect(t.logs.join('\n')).not.toMatch(/insert into/i);
    });
  });

  describe('3. no query-history oracle', () => {
    it('answers a hash-only request the same whether or not its document was ever sent', async () => {
      const token = (await f.signedIn(await f.organization(), [Role.CASEWORKER])).token;
      const sent = '{ me { id } }';
      await t.gql(sent, {}, token);
      const ask = async (hash: string) => {
        const res = await t
          .http()
          .post('/graphql')
          .set('content-type', 'application/json')
          .send({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
        return {
          status: res.status,
          codes: (res.body as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code),
        };
      };
      const known = await ask(hashOf(sent));
      const unknown = await ask(hashOf('{ never { sent } }'));
      expect(known).toEqual(unknown);
      expect(known.codes).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    });

    it('answers a hash that does not match its document as a client error', async () => {
      const res = await t
        .http()
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({
          query: '{ __typename }',
          extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('{ other }') } },
        });
      expect(res.status).toBeLessThan(500);
      expect((res.body as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
        'PERSISTED_QUERY_NOT_SUPPORTED',
      );
    });
  });

  describe('3b. trusted documents, when the operator lists them', () => {
    const trustedQuery = '{ me { id } }';
    let trusted: TestApp;

    beforeAll(async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'harbour-trusted-')), 'documents.json');
      writeFileSync(
        file,
        JSON.stringify({
          format: 'apollo-persisted-query-manifest',
          version: 1,
          operations: [{ id: hashOf(trustedQuery), name: 'Me', type: 'query', body: trustedQuery }],
        }),
      );
      trusted = await startTestApp({ GRAPHQL_TRUSTED_DOCUMENTS: file });
    });
    afterAll(() => trusted.close());

    const send = (body: object, token?: string) => {
      const request = trusted.http().post('/graphql').set('content-type', 'application/json');
      if (token) void request.set('authorization', `Bearer ${token}`);
      return request.send(body);
    };
    const codes = (res: { body: unknown }) =>
      (res.body as { errors?: { extensions: { code: string } }[] }).errors?.map((e) => e.extensions.code);

    it('runs a listed document, by its text or by its hash alone', async () => {
      // Signing in is a document of its own (not on this list): a partner system's key needs none.
      const tf = new Fixtures(trusted);
      const token = (await tf.apiClient(await tf.organization(), [ApiScope.REFERRALS_READ])).key;
      expect(codes(await send({ query: trustedQuery }, token))).toBeUndefined();
      expect(
        codes(await send({ extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(trustedQuery) } } }, token)),
      ).toBeUndefined();
    });

    it('refuses any other document as a client error', async () => {
      const res = await send({ query: '{ __typename }' });
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['BAD_REQUEST']);
      expect(
        codes(await send({ extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('{ __typename }') } } })),
      ).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      const mismatched = await send({
        query: trustedQuery,
        extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('{ other }') } },
      });
      expect(mismatched.status).toBe(400);
      expect(codes(mismatched)).toEqual(['BAD_REQUEST']);
    });
  });

  describe('4. a role without access learns no state', () => {
    it.each([ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED])(
      "the receiving organization's CASEWORKER cancelling a %s referral is FORBIDDEN and audited",
      async (status) => {
        const shelter = await f.organization();
        const clinic = await f.organization();
        const client = await f.client(shelter);
        const referral = await f.referral(await f.consent(client, [clinic]), await f.service(clinic), { status });
        const caseworker = await f.signedIn(clinic, [Role.CASEWORKER]);
        const before = await deniedCount(t, 'graphql.cancelReferral');
        const res = await t.gql(
          'mutation ($id: ID!) { cancelReferral(id: $id, reason: { code: CLIENT_REQUEST }) { referral { status } } }',
          { id: referral.id },
          caseworker.token,
        );
        expect(codeOf(res)).toBe('FORBIDDEN');
        expect(res.errors![0].message).not.toMatch(/SENT|ACCEPTED|COMPLETED/);
        expect(await deniedCount(t, 'graphql.cancelReferral')).toBe(before + 1);
      },
    );
  });

  describe('5. a password change ends every earlier token', () => {
    it('stops the old token on the next request and answers with a new one', async () => {
      const person = await f.signedIn(await f.organization(), [Role.CASEWORKER]);
      const changed = await t.gql<{ changePassword: { accessToken: string } }>(
        'mutation ($i: ChangePasswordInput!) { changePassword(input: $i) { accessToken } }',
        { i: { currentPassword: TEST_PASSWORD, newPassword: 'violet kettle orbit sunrise' } },
        person.token,
      );
      const fresh = dataOf(changed).changePassword.accessToken;
      expect(codeOf(await t.gql(ME, {}, person.token))).toBe('UNAUTHENTICATED');
      expect(dataOf(await t.gql(ME, {}, fresh))).toBeTruthy();
    });
  });

  describe('7. messages name the field, never the raw input', () => {
    it('does not repeat an id, a literal or an enum value the caller sent', async () => {
      const token = (await f.signedIn(await f.organization(), [Role.CASEWORKER])).token;
      const probes = [
        await t.gql('query ($id: ID!) { client(id: $id) { id } }', { id: "1' OR '1'='1" }, token),
        await t.gql(`query { client(id: "${randomUUID()}") { id } }`, {}, token),
        await t.gql('{ clients(first: "Amina") { totalCount } }', {}, token),
        await t.gql(
          'query ($s: [ReferralStatus!]) { referrals(box: OUTBOX, status: $s) { totalCount } }',
          { s: ['Amina'] },
          token,
        ),
        await t.gql('{ me { id } } Amina', {}, token),
      ];
      for (const res of probes) {
        expect(res.errors).toBeDefined();
        expect(JSON.stringify(res.errors)).not.toMatch(/Amina|OR '1'/);
      }
      expect(probes[1].errors![0].message).toBe('Client not found.');
    });
  });

  describe('8. the GraphQL surface', () => {
    it('counts every alias, __typename included', async () => {
      const token = (await f.signedIn(await f.organization(), [Role.CASEWORKER])).token;
      const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ');
      const res = await t.gql(`{ ${aliases} }`, {}, token);
      expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('refuses introspection to anonymous callers in production, keeps it for staff and partner systems', async () => {
      const production = await startTestApp({
        HARBOUR_ENV: 'production',
        AUDIT_PSEUDONYM_KEY: 'a-production-like-pseudonym-key-of-32-chars',
        AUDIT_SIGNING_KEY: generatePrivateKeyPem(),
        HARBOUR_FAST_PASSWORD_HASHING: 'false',
        WEBHOOK_SECRET_KEY: generateSecretBoxKey(),
      });
      try {
        const query = '{ __schema { queryType { name } } }';
        const anonymous = await production.gql(query);
        expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
        const pf = new Fixtures(production);
        const org = await pf.organization();
        expect(dataOf(await production.gql(query, {}, (await pf.signedIn(org, [Role.CASEWORKER])).token))).toBeTruthy();
        expect(
          dataOf(await production.gql(query, {}, (await pf.apiClient(org, [ApiScope.REFERRALS_READ])).key)),
        ).toBeTruthy();
        expect(dataOf(await production.gql('{ __typename }'))).toEqual({ __typename: 'Query' });
      } finally {
        await production.close();
      }
      expect(dataOf(await t.gql('{ __schema { queryType { name } } }'))).toBeTruthy();
    });
  });

  describe('9. small inconsistencies', () => {
    it('accepts the bearer scheme in any case, for access tokens and API keys alike', async () => {
      const org = await f.organization();
      const person = await f.signedIn(org, [Role.CASEWORKER]);
      const key = (await f.apiClient(org, [ApiScope.REFERRALS_READ])).key;
      for (const [scheme, credential] of [
        ['bearer', person.token],
        ['BEARER', person.token],
        ['bearer', key],
        ['BeArEr', key],
      ]) {
        const res = await t
          .http()
          .post('/graphql')
          .set('content-type', 'application/json')
          .set('authorization', `${scheme} ${credential}`)
          .send({ query: '{ me { id } }' });
        expect((res.body as { errors?: unknown }).errors).toBeUndefined();
      }
    });

    it('takes organizationId: null as leaving it out', async () => {
      const person = await f.staff(await f.organization(), [Role.CASEWORKER]);
      const res = await t.gql(LOGIN, { input: { email: person.email, password: TEST_PASSWORD, organizationId: null } });
      expect(dataOf(res)).toBeTruthy();
    });
  });
});
