/**
 * Consent (docs/design.md, Consent model; invariants 2 and 4): recorded with recipients, purpose,
 * categories and a required, capped expiry; a refusal is recordable; status is computed against
 * the clock on every read; a revocation is final and commits with its audit event and its
 * `consent.revoked` outbox row, or not at all.
 */
import { Role } from '@harbour/authz';
import { Outbox } from '@harbour/outbox';
import { Client as PgClient } from 'pg';
import { Clock } from '../../src/common/clock';
import { ConsentRevocationSteps } from '../../src/modules/consent/consent-revocation';
import { Consent } from '../../src/modules/consent/consent.entity';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import type { Client } from '../../src/modules/clients/client.entity';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';
import { codeOf, dataOf } from '../support/responses';

const DAY = 86_400_000;
const CONSENT_FIELDS = `id clientId organization { id } recipientOrganizations { id name } refusal purpose dataCategories method language noticeVersion
  recordedBy givenAt expiresAt status revokedAt revokedBy revocationReason revocationNote createdAt`;
const RECORD = `mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { consent { ${CONSENT_FIELDS} } warnings { field code } } }`;
const REVOKE = `mutation ($id: ID!, $reason: ConsentRevocationInput!) { revokeConsent(id: $id, reason: $reason) { consent { ${CONSENT_FIELDS} } warnings { field code } } }`;
const CONSENT = `query ($id: ID!) { consent(id: $id) { ${CONSENT_FIELDS} } }`;
const CLIENT_CONSENTS = `query ($id: ID!, $status: ConsentStatus, $first: Int, $after: String) {
  client(id: $id) { consents(status: $status, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } } }
}`;

interface ConsentNode {
  id: string;
  status: string;
  refusal: boolean;
  revokedAt: string | null;
  [field: string]: unknown;
}
interface ConsentPayload {
  consent: ConsentNode;
  warnings: { field: string; code: string }[];
}

interface OutboxRow {
  id: string;
  type: string;
  organization_ids: string[];
  aggregate_type: string;
  aggregate_id: string;
  occurred_at: Date;
}

const fieldsOf = (response: GraphQLResponse<unknown>) => [
  ...new Set(((response.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((problem) => problem.field)),
];
const inDays = (days: number, from = Date.now()) => new Date(from + days * DAY).toISOString();

describe('Consent', () => {
  let t: TestApp;
  let f: Fixtures;
  let shelter: Organization;
  let clinic: Organization;
  let legal: Organization;
  let caseworker: { token: string; accountId: string };
  let clinicCaseworker: string;

  const events = (where: string, params: unknown[] = []) =>
    t.orm.em.fork().getConnection().execute<
      {
        action: string;
        category: string;
        outcome: string;
        subject_client_id: string | null;
        entity_id: string;
        purpose: string | null;
        details: Record<string, unknown>;
      }[]
    >(`select * from audit_event where ${where} order by chain_id, seq`, params);
  const outbox = (aggregateId: string) =>
    superuserQuery<OutboxRow>(t.database.name, 'select * from outbox_event where aggregate_id = $1', [aggregateId]);
  const input = (client: Client, overrides: Record<string, unknown> = {}) => ({
    clientId: client.id,
    recipientOrganizationIds: [clinic.id],
    purpose: 'SERVICE_REFERRAL',
    dataCategories: ['NEEDS', 'CONTACT'],
    method: 'VERBAL',
    language: 'es',
    noticeVersion: '2026-01',
    expiresAt: inDays(90),
    ...overrides,
  });
  /** The consent recorded, once its payload is found without warnings (a consent's input holds no free text). */
  const recorded = (payload: ConsentPayload) => {
    expect(payload.warnings).toEqual([]);
    return payload.consent;
  };
  const record = async (client: Client, overrides: Record<string, unknown> = {}) =>
    recorded(
      dataOf(
        await t.gql<{ recordConsent: ConsentPayload }>(RECORD, { input: input(client, overrides) }, caseworker.token),
      ).recordConsent,
    );
  const revoke = (id: string, reason: Record<string, unknown> = { code: 'CLIENT_WITHDREW' }) =>
    t.gql<{ revokeConsent: ConsentPayload }>(REVOKE, { id, reason }, caseworker.token);
  const statusOf = async (id: string) =>
    dataOf(await t.gql<{ consent: ConsentNode }>(CONSENT, { id }, caseworker.token)).consent.status;

  /** Runs `work` with Harbour's clock moved by `offsetMs`. */
  async function withClockMoved<T>(offsetMs: number, work: () => Promise<T>): Promise<T> {
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    const moved = jest.spyOn(clock, 'now').mockImplementation(() => new Date(real().getTime() + offsetMs));
    try {
      return await work();
    } finally {
      moved.mockRestore();
    }
  }

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    shelter = await f.organization({ name: 'City shelter' });
    clinic = await f.organization({ name: 'Public-health clinic' });
    legal = await f.organization({ name: 'Community legal clinic' });
    caseworker = await f.signedIn(shelter, [Role.CASEWORKER]);
    clinicCaseworker = (await f.signedIn(clinic, [Role.CASEWORKER])).token;
  });
  afterAll(() => t.close());

  describe('recordConsent', () => {
    it('records recipients, purpose, categories, method, language, notice and expiry; ACTIVE; given now by default', async () => {
      const client = await f.client(shelter);
      const before = Date.now();
      const consent = await record(client, {
        recipientOrganizationIds: [clinic.id, legal.id],
        purpose: 'CARE_COORDINATION',
      });
      expect(consent).toMatchObject({
        clientId: client.id,
        organization: { id: shelter.id },
        recipientOrganizations: [
          { id: clinic.id, name: 'Public-health clinic' },
          { id: legal.id, name: 'Community legal clinic' },
        ],
        refusal: false,
        purpose: 'CARE_COORDINATION',
        dataCategories: ['NEEDS', 'CONTACT'],
        method: 'VERBAL',
        language: 'es',
        noticeVersion: '2026-01',
        recordedBy: caseworker.accountId,
        status: 'ACTIVE',
        revokedAt: null,
        revokedBy: null,
        revocationReason: null,
        revocationNote: null,
      });
      expect(Date.parse(consent.givenAt as string)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('records consent.record with the client as subject, and ids and codes only', async () => {
      const client = await f.client(shelter, { preferredName: 'Nadia' });
      const res = await t.gql<{ recordConsent: ConsentPayload }>(RECORD, { input: input(client) }, caseworker.token);
      const consent = recorded(dataOf(res).recordConsent);
      const [event] = await events('request_id = ?', [res.headers['x-request-id']]);
      expect(event).toMatchObject({
        action: 'consent.record',
        category: 'CREATE',
        outcome: 'SUCCESS',
        entity_id: consent.id,
        subject_client_id: client.id,
        details: {
          purpose: 'SERVICE_REFERRAL',
          dataCategories: ['NEEDS', 'CONTACT'],
          recipientOrganizationIds: [clinic.id],
          refusal: false,
        },
      });
      expect(JSON.stringify(event)).not.toContain('Nadia');
    });

    it('shares nothing beyond the preferred name and languages unless categories are listed (deny by default)', async () => {
      const client = await f.client(shelter);
      const { dataCategories: _omitted, ...withoutCategories } = input(client);
      const consent = recorded(
        dataOf(await t.gql<{ recordConsent: ConsentPayload }>(RECORD, { input: withoutCategories }, caseworker.token))
          .recordConsent,
      );
      expect(consent.dataCategories).toEqual([]);
    });

    it('records a refusal: no recipient organization, nothing shared', async () => {
      const client = await f.client(shelter);
      const refusal = await record(client, { recipientOrganizationIds: [], dataCategories: [] });
      expect(refusal).toMatchObject({
        refusal: true,
        recipientOrganizations: [],
        dataCategories: [],
        status: 'ACTIVE',
      });
    });

    it('refuses a refusal that lists data categories', async () => {
      const res = await t.gql(
        RECORD,
        { input: input(await f.client(shelter), { recipientOrganizationIds: [] }) },
        caseworker.token,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['input.dataCategories']);
    });

    it('requires an expiry', async () => {
      const { expiresAt: _omitted, ...withoutExpiry } = input(await f.client(shelter));
      const res = await t.gql(RECORD, { input: withoutExpiry }, caseworker.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/expiresAt/);
    });

    // One instant for both: two calls to inDays can fall a millisecond apart.
    const tenDaysAgo = inDays(-10);
    it.each([
      [
        'beyond the network maximum of 365 days',
        { expiresAt: inDays(366) },
        'input.expiresAt',
        /at most 365 days after givenAt/,
      ],
      ['not after givenAt', { givenAt: tenDaysAgo, expiresAt: tenDaysAgo }, 'input.expiresAt', /after givenAt/],
      ['already past', { givenAt: inDays(-10), expiresAt: inDays(-1) }, 'input.expiresAt', /in the future/],
      ['given in the future', { givenAt: inDays(1), expiresAt: inDays(30) }, 'input.givenAt', /not be in the future/],
    ])('refuses an expiry %s, naming the field', async (_case, overrides, field, message) => {
      const res = await t.gql(RECORD, { input: input(await f.client(shelter), overrides) }, caseworker.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual([field]);
      expect(res.errors![0].message).toMatch(message);
    });

    it('measures the maximum from givenAt: a consent given 100 days ago may run 265 more days, not 266', async () => {
      const client = await f.client(shelter);
      const givenAt = Date.now() - 100 * DAY;
      expect(
        codeOf(
          await t.gql(
            RECORD,
            { input: input(client, { givenAt: new Date(givenAt).toISOString(), expiresAt: inDays(366, givenAt) }) },
            caseworker.token,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      const consent = await record(client, {
        givenAt: new Date(givenAt).toISOString(),
        expiresAt: inDays(364, givenAt),
      });
      expect(consent.status).toBe('ACTIVE');
    });

    it('refuses bad enums, languages and notice versions, naming the fields', async () => {
      const res = await t.gql(
        RECORD,
        {
          input: input(await f.client(shelter), {
            language: 'Spanish',
            noticeVersion: ' ',
            dataCategories: ['NEEDS', 'NEEDS'],
          }),
        },
        caseworker.token,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res).sort()).toEqual(['input.dataCategories', 'input.language', 'input.noticeVersion']);
    });

    it("answers NOT_FOUND for another organization's client, and records nothing", async () => {
      const foreign = await f.client(clinic);
      const res = await t.gql(
        RECORD,
        { input: input(foreign, { recipientOrganizationIds: [legal.id] }) },
        caseworker.token,
      );
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(await t.orm.em.fork().count(Consent, { client: foreign.id })).toBe(0);
    });

    it('answers NOT_FOUND for a recipient that does not exist or is no longer active', async () => {
      const closed = await f.organization({ active: false });
      for (const recipient of ['00000000-0000-4000-8000-000000000000', closed.id]) {
        const res = await t.gql(
          RECORD,
          { input: input(await f.client(shelter), { recipientOrganizationIds: [clinic.id, recipient] }) },
          caseworker.token,
        );
        expect(codeOf(res)).toBe('NOT_FOUND');
        expect(res.errors![0].message).toBe('Organization not found.');
      }
    });

    it('refuses naming its own organization as a recipient', async () => {
      const res = await t.gql(
        RECORD,
        { input: input(await f.client(shelter), { recipientOrganizationIds: [shelter.id] }) },
        caseworker.token,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['input.recipientOrganizationIds']);
    });
  });

  describe('a configured network maximum', () => {
    let short: TestApp;
    afterAll(() => short?.close());

    it('caps consents at CONSENT_MAX_DAYS', async () => {
      short = await startTestApp({ CONSENT_MAX_DAYS: '30' });
      const sf = new Fixtures(short);
      const holder = await sf.organization();
      const recipient = await sf.organization();
      const token = (await sf.signedIn(holder, [Role.CASEWORKER])).token;
      const client = await sf.client(holder);
      const attempt = (days: number) =>
        short.gql(
          RECORD,
          { input: { ...input(client, { expiresAt: inDays(days) }), recipientOrganizationIds: [recipient.id] } },
          token,
        );
      const refused = await attempt(31);
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors![0].message).toMatch(/at most 30 days/);
      expect((await attempt(29)).errors).toBeUndefined();
    });
  });

  describe('reading', () => {
    it('reads a consent and records consent.read with the client as subject before returning it', async () => {
      const client = await f.client(shelter);
      const stored = await f.consent(client, [clinic]);
      const res = await t.gql<{ consent: ConsentNode }>(CONSENT, { id: stored.id }, caseworker.token);
      expect(dataOf(res).consent).toMatchObject({ id: stored.id, clientId: client.id, status: 'ACTIVE' });
      const rows = await superuserQuery(
        t.database.name,
        'select action, category, subject_client_id, purpose from audit_event where request_id = $1',
        [res.headers['x-request-id']],
      );
      expect(rows).toEqual([
        { action: 'consent.read', category: 'READ', subject_client_id: client.id, purpose: 'CASE_MANAGEMENT' },
      ]);
    });

    it("answers NOT_FOUND for another organization's consent, like an unknown id", async () => {
      const foreign = await f.consent(await f.client(clinic), [legal]);
      for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await t.gql(CONSENT, { id }, caseworker.token);
        expect(codeOf(res)).toBe('NOT_FOUND');
        expect(res.data).toBeNull();
      }
    });

    it("lists a client's consents newest first, by status, page after page", async () => {
      const client = await f.client(shelter);
      const now = Date.now();
      const old = await f.consent(client, [clinic], {
        givenAt: new Date(now - 50 * DAY),
        expiresAt: new Date(now - 20 * DAY),
      });
      const revoked = await f.consent(client, [legal], { givenAt: new Date(now - 10 * DAY), revoked: true });
      const current = await f.consent(client, [clinic], { givenAt: new Date(now - DAY) });
      const page = async (variables: Record<string, unknown>) =>
        dataOf(
          await t.gql<{
            client: {
              consents: {
                totalCount: number;
                pageInfo: { hasNextPage: boolean; endCursor: string };
                edges: { node: ConsentNode }[];
              };
            };
          }>(CLIENT_CONSENTS, { id: client.id, ...variables }, caseworker.token),
        ).client.consents;
      const all = await page({});
      expect(all.edges.map((e) => [e.node.id, e.node.status])).toEqual([
        [current.id, 'ACTIVE'],
        [revoked.id, 'REVOKED'],
        [old.id, 'EXPIRED'],
      ]);
      for (const [status, id] of [
        ['ACTIVE', current.id],
        ['REVOKED', revoked.id],
        ['EXPIRED', old.id],
      ]) {
        expect((await page({ status })).edges.map((e) => e.node.id)).toEqual([id]);
      }
      const first = await page({ first: 2 });
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect((await page({ first: 2, after: first.pageInfo.endCursor })).edges.map((e) => e.node.id)).toEqual([old.id]);
    });
  });

  describe('active and expired, against the clock', () => {
    it('is ACTIVE until its expiry and EXPIRED from then on, on every read, with no job having run', async () => {
      const client = await f.client(shelter);
      const consent = await record(client, { expiresAt: inDays(1) });
      expect(await statusOf(consent.id)).toBe('ACTIVE');
      await withClockMoved(DAY + 60_000, async () => {
        expect(await statusOf(consent.id)).toBe('EXPIRED');
        const active = dataOf(
          await t.gql<{ client: { consents: { edges: unknown[] } } }>(
            CLIENT_CONSENTS,
            { id: client.id, status: 'ACTIVE' },
            caseworker.token,
          ),
        );
        expect(active.client.consents.edges).toEqual([]);
      });
      expect(await statusOf(consent.id)).toBe('ACTIVE');
    });

    it('checks new terms against the same clock', async () => {
      const client = await f.client(shelter);
      // A year from now is in the past for a clock two years ahead.
      await withClockMoved(2 * 365 * DAY, async () => {
        const res = await t.gql(
          RECORD,
          { input: input(client, { givenAt: new Date().toISOString(), expiresAt: inDays(365) }) },
          caseworker.token,
        );
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(res)).toEqual(['input.expiresAt']);
      });
    });
  });

  describe('revokeConsent', () => {
    it('revokes: REVOKED from the next read on, with who, when and why; audited; one id-only outbox row', async () => {
      const client = await f.client(shelter);
      const consent = await record(client);
      const res = await revoke(consent.id, { code: 'CLIENT_WITHDREW', note: 'Prefers to go on her own.' });
      const { consent: revoked, warnings } = dataOf(res).revokeConsent;
      expect(revoked).toMatchObject({
        status: 'REVOKED',
        revokedBy: caseworker.accountId,
        revocationReason: 'CLIENT_WITHDREW',
        revocationNote: 'Prefers to go on her own.',
      });
      expect(revoked.revokedAt).not.toBeNull();
      expect(warnings).toEqual([]);
      expect(await statusOf(consent.id)).toBe('REVOKED');

      const [event] = await events('request_id = ?', [res.headers['x-request-id']]);
      expect(event).toMatchObject({
        action: 'consent.revoke',
        outcome: 'SUCCESS',
        entity_id: consent.id,
        subject_client_id: client.id,
        details: { reason: 'CLIENT_WITHDREW' },
      });
      expect(JSON.stringify(event)).not.toContain('Prefers');

      const rows = await outbox(consent.id);
      expect(rows).toEqual([
        {
          id: expect.any(String),
          type: 'consent.revoked',
          organization_ids: [shelter.id],
          aggregate_type: 'Consent',
          aggregate_id: consent.id,
          acting_organization_id: shelter.id,
          // Ids only, and not the other recipients: a receiver must not learn where else the client was referred.
          data: { consentId: consent.id, actingOrganizationId: shelter.id },
          occurred_at: expect.any(Date),
          tx_id: expect.stringMatching(/^\d+$/),
          position: expect.stringMatching(/^\d+$/),
        },
      ]);
    });

    it('refuses revoking twice with BAD_USER_INPUT naming the state, and writes nothing more', async () => {
      const consent = await record(await f.client(shelter));
      dataOf(await revoke(consent.id));
      const again = await revoke(consent.id);
      expect(codeOf(again)).toBe('BAD_USER_INPUT');
      expect(again.errors![0].message).toMatch(/already REVOKED/);
      expect(await outbox(consent.id)).toHaveLength(1);
      expect(await events(`entity_id = ? and action = 'consent.revoke'`, [consent.id])).toHaveLength(1);
    });

    it('lets exactly one of two concurrent revocations win', async () => {
      const consent = await record(await f.client(shelter));
      const results = await Promise.all([revoke(consent.id), revoke(consent.id)]);
      expect(results.map((r) => codeOf(r) ?? 'OK').sort()).toEqual(['BAD_USER_INPUT', 'OK']);
      expect(await outbox(consent.id)).toHaveLength(1);
    });

    it('revokes an expired consent too (open work under it may still need cancelling)', async () => {
      const consent = await record(await f.client(shelter), { expiresAt: inDays(1) });
      await withClockMoved(2 * DAY, async () => {
        expect(await statusOf(consent.id)).toBe('EXPIRED');
        expect(dataOf(await revoke(consent.id)).revokeConsent.consent.status).toBe('REVOKED');
      });
    });

    it('requires a note with reason OTHER', async () => {
      const consent = await record(await f.client(shelter));
      const res = await revoke(consent.id, { code: 'OTHER' });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['reason.note']);
      expect(await statusOf(consent.id)).toBe('ACTIVE');
    });

    it('warns, and still revokes, when the note reads like status information', async () => {
      const consent = await record(await f.client(shelter));
      const { revokeConsent } = dataOf(
        await revoke(consent.id, { code: 'OTHER', note: 'Worried the clinic would ask about her visa' }),
      );
      expect(revokeConsent.consent.status).toBe('REVOKED');
      expect(revokeConsent.warnings).toEqual([{ field: 'reason.note', code: 'STATUS_INFORMATION' }]);
    });

    it("answers NOT_FOUND for another organization's consent and leaves it active", async () => {
      const foreign = await f.consent(await f.client(clinic), [legal]);
      const res = await revoke(foreign.id);
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(
        dataOf(await t.gql<{ consent: ConsentNode }>(CONSENT, { id: foreign.id }, clinicCaseworker)).consent.status,
      ).toBe('ACTIVE');
      expect(await outbox(foreign.id)).toEqual([]);
    });

    it('runs the registered revocation steps in its transaction; they may tell more organizations', async () => {
      const consent = await record(await f.client(shelter));
      const seen: { inTransaction: boolean; revoked: boolean }[] = [];
      const unregister = t.app.get(ConsentRevocationSteps).register({
        name: 'test: tell the clinic',
        run: (revocation) => {
          seen.push({ inTransaction: revocation.em.isInTransaction(), revoked: revocation.consent.revokedAt !== null });
          revocation.notify(clinic.id);
          return Promise.resolve();
        },
      });
      try {
        dataOf(await revoke(consent.id));
      } finally {
        unregister();
      }
      expect(seen).toEqual([{ inTransaction: true, revoked: true }]);
      expect((await outbox(consent.id))[0].organization_ids.sort()).toEqual([shelter.id, clinic.id].sort());
    });

    it('rolls everything back — revocation, event, outbox row — when a revocation step fails', async () => {
      const consent = await record(await f.client(shelter));
      const unregister = t.app
        .get(ConsentRevocationSteps)
        .register({ name: 'test: failing step', run: () => Promise.reject(new Error('cancelling referrals failed')) });
      let res: GraphQLResponse<unknown>;
      try {
        res = await revoke(consent.id);
      } finally {
        unregister();
      }
      expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(await statusOf(consent.id)).toBe('ACTIVE');
      expect(await outbox(consent.id)).toEqual([]);
      expect(await events(`entity_id = ? and action = 'consent.revoke'`, [consent.id])).toEqual([]);
    });

    it('rolls back the revocation and its outbox row, already written, when its audit event cannot be appended', async () => {
      const consent = await record(await f.client(shelter));
      const query = jest.spyOn(PgClient.prototype, 'query');
      await superuserQuery(t.database.name, 'revoke insert on audit_event from harbour_app');
      let res: GraphQLResponse<unknown>;
      let statements: string[];
      try {
        res = await revoke(consent.id);
      } finally {
        statements = query.mock.calls.map((args) =>
          typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? ''),
        );
        query.mockRestore();
        await superuserQuery(t.database.name, 'grant insert on audit_event to harbour_app');
      }
      // The outbox row was sent to PostgreSQL before the audit append failed.
      expect(statements.some((sql) => /insert into "outbox_event"/i.test(sql))).toBe(true);
      expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(await statusOf(consent.id)).toBe('ACTIVE');
      expect(await outbox(consent.id)).toEqual([]);
    });
  });

  describe('outbox', () => {
    it('refuses an event outside the transaction of a change: it must commit with the change or not at all', () => {
      expect(() =>
        t.app.get(Outbox).add(t.orm.em.fork(), {
          type: 'consent.revoked',
          organizationIds: [shelter.id],
          aggregateType: 'Consent',
          aggregateId: shelter.id,
          actingOrganizationId: shelter.id,
          data: {},
        }),
      ).toThrow(/inside the transaction/);
    });
  });

  describe('integrity in the database', () => {
    it('refuses changing the terms of a consent, and un-revoking one', async () => {
      const consent = await f.consent(await f.client(shelter), [clinic]);
      const em = t.orm.em.fork();
      await expect(
        em.nativeUpdate(Consent, { id: consent.id }, { expiresAt: new Date(Date.now() + 400 * DAY) }),
      ).rejects.toThrow(/terms of a consent never change/);
      await expect(
        em.nativeUpdate(Consent, { id: consent.id }, { recipientOrganizationIds: [clinic.id, legal.id] }),
      ).rejects.toThrow(/terms of a consent never change/);
      const revoked = await f.consent(await f.client(shelter), [clinic], { revoked: true });
      await expect(
        em.nativeUpdate(Consent, { id: revoked.id }, { revokedAt: null, revokedBy: null, revocationReason: null }),
      ).rejects.toThrow(/revoked consent is final/);
    });

    it("refuses a consent held by another organization than its client's", async () => {
      const client = await f.client(clinic);
      await expect(f.consent({ ...client, organization: shelter } as unknown as Client, [legal])).rejects.toThrow(
        /held by the organization of its client/,
      );
    });
  });
});
