/**
 * Retries and idempotency (docs/architecture.md): every mutation a partner retries takes an
 * `idempotencyKey`. Walked as a table over all thirteen: the same key and input answer with the same
 * object and do nothing more (one audited change, then replays); the same key with other input is
 * CONFLICT; another caller's key is unrelated; concurrent retries do the work once; a malformed key
 * is BAD_USER_INPUT naming the field. Then the key's window (the purge) and what a replay shows.
 */
import { ApiScope, Role } from '@harbour/authz';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getNamedType, isInputObjectType } from 'graphql';
import { Clock } from '../../src/common/clock';
import { Idempotency } from '../../src/idempotency/idempotency.service';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import type { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { ReferralStatus } from '../../src/modules/referrals/referral.enums';
import { Fixtures, type StaffFixture } from '../support/fixtures';
import { codeOf, dataOf } from '../support/responses';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

type Side = 'sender' | 'receiver';

/** One request, ready to send with a key: the same input each time, or other input. */
interface Prepared {
  variables(key: string | undefined, other?: boolean): Record<string, unknown>;
  /** How many times the work was done: rows it adds (transitions, notes, clients, consents, referrals, revocations). */
  effects(): Promise<number>;
  /** The entity its audit events name, given the object the answer is about (a note's events name its referral). */
  audited(objectId: string): string;
}

interface Case {
  operation: string;
  /** Who calls: the shelter's caseworker (sending side, clients, consents) or the clinic's intake. */
  side: Side;
  query: string;
  /** The audit action of the work (and of its replays). */
  action: string;
  category: string;
  prepare(): Promise<Prepared>;
}

const count = async (t: TestApp, sql: string, params: unknown[]) =>
  Number((await superuserQuery<{ n: string }>(t.database.name, sql, params))[0].n);

describe('Retries and idempotency', () => {
  let t: TestApp;
  let f: Fixtures;
  let shelter: Organization;
  let clinic: Organization;
  let service: ServiceOffering;
  const tokens = {} as Record<Side | 'otherSender' | 'otherReceiver', string>;
  let caseworker: StaffFixture & { token: string };

  const referralIn = async (status: ReferralStatus) => {
    const client = await f.client(shelter);
    const consent = await f.consent(client, [clinic]);
    return f.referral(consent, service, { status });
  };
  const transitions = (referralId: string) =>
    count(t, 'select count(*) as n from referral_transition where referral_id = $1', [referralId]);

  /** A lifecycle step on a fresh referral in `from`; `other` is the same step on another referral, or with another reason. */
  const step = (
    operation: string,
    action: string,
    side: Side,
    from: ReferralStatus,
    extra: { name: 'reason' | 'outcome'; type: string; value: unknown; other: unknown } | null,
  ): Case => ({
    operation,
    side,
    query: extra
      ? `mutation ($id: ID!, $x: ${extra.type}!, $key: String) { ${operation}(id: $id, ${extra.name}: $x, idempotencyKey: $key) { referral { id status version } warnings { field } } }`
      : `mutation ($id: ID!, $key: String) { ${operation}(id: $id, idempotencyKey: $key) { referral { id status version } warnings { field } } }`,
    action,
    category: 'UPDATE',
    async prepare() {
      const referral = await referralIn(from);
      const another = extra ? referral : await referralIn(from);
      return {
        variables: (key, other = false) => ({
          id: other ? another.id : referral.id,
          key,
          ...(extra ? { x: other ? extra.other : extra.value } : {}),
        }),
        effects: () => transitions(referral.id),
        audited: (id) => id,
      };
    },
  });

  const CASES: Case[] = [
    {
      operation: 'sendReferral',
      side: 'sender',
      query:
        'mutation ($input: SendReferralInput!) { sendReferral(input: $input) { referral { id status } warnings { field } } }',
      action: 'referral.send',
      category: 'CREATE',
      async prepare() {
        const client = await f.client(shelter);
        const consent = await f.consent(client, [clinic]);
        return {
          variables: (key, other = false) => ({
            input: {
              clientId: client.id,
              serviceId: service.id,
              consentId: consent.id,
              reason: other ? 'Needs a dentist' : 'Needs a doctor',
              idempotencyKey: key,
            },
          }),
          effects: () => count(t, 'select count(*) as n from referral where client_id = $1', [client.id]),
          audited: (id) => id,
        };
      },
    },
    step('acceptReferral', 'referral.accept', 'receiver', ReferralStatus.SENT, null),
    step('declineReferral', 'referral.decline', 'receiver', ReferralStatus.SENT, {
      name: 'reason',
      type: 'ReferralReasonInput',
      value: { code: 'NO_CAPACITY' },
      other: { code: 'NOT_ELIGIBLE' },
    }),
    step('startReferral', 'referral.start', 'receiver', ReferralStatus.ACCEPTED, null),
    step('holdReferral', 'referral.hold', 'receiver', ReferralStatus.ACCEPTED, {
      name: 'reason',
      type: 'ReferralReasonInput',
      value: { code: 'WAITLISTED' },
      other: { code: 'OTHER', text: 'Closed for a week' },
    }),
    step('resumeReferral', 'referral.resume', 'receiver', ReferralStatus.ON_HOLD, null),
    step('completeReferral', 'referral.complete', 'receiver', ReferralStatus.IN_PROGRESS, {
      name: 'outcome',
      type: 'ReferralOutcomeInput',
      value: { code: 'SERVICE_PROVIDED' },
      other: { code: 'PARTIALLY_PROVIDED' },
    }),
    step('closeReferralUnmet', 'referral.close_unmet', 'receiver', ReferralStatus.ACCEPTED, {
      name: 'reason',
      type: 'ReferralReasonInput',
      value: { code: 'NO_CAPACITY' },
      other: { code: 'CLIENT_UNREACHABLE' },
    }),
    step('cancelReferral', 'referral.cancel', 'sender', ReferralStatus.SENT, {
      name: 'reason',
      type: 'ReferralReasonInput',
      value: { code: 'CLIENT_REQUEST' },
      other: { code: 'NO_LONGER_NEEDED' },
    }),
    {
      operation: 'addReferralNote',
      side: 'receiver',
      query:
        'mutation ($input: AddReferralNoteInput!) { addReferralNote(input: $input) { note { id body } warnings { field } } }',
      action: 'referral.note.add',
      category: 'CREATE',
      async prepare() {
        const referral = await referralIn(ReferralStatus.ACCEPTED);
        return {
          variables: (key, other = false) => ({
            input: { referralId: referral.id, body: other ? 'Called, no answer' : 'Called twice', idempotencyKey: key },
          }),
          effects: () => count(t, 'select count(*) as n from referral_note where referral_id = $1', [referral.id]),
          audited: () => referral.id,
        };
      },
    },
    {
      operation: 'registerClient',
      side: 'sender',
      query:
        'mutation ($input: RegisterClientInput!) { registerClient(input: $input) { client { id preferredName } warnings { field } } }',
      action: 'client.register',
      category: 'CREATE',
      prepare() {
        const name = `Client ${Math.random().toString(36).slice(2)}`;
        return Promise.resolve({
          variables: (key: string | undefined, other = false) => ({
            input: { preferredName: name, languages: other ? ['fr'] : ['en'], idempotencyKey: key },
          }),
          effects: () => count(t, 'select count(*) as n from client where preferred_name = $1', [name]),
          audited: (id: string) => id,
        });
      },
    },
    {
      operation: 'recordConsent',
      side: 'sender',
      query:
        'mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { consent { id status } warnings { field } } }',
      action: 'consent.record',
      category: 'CREATE',
      async prepare() {
        const client = await f.client(shelter);
        const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
        return {
          variables: (key, other = false) => ({
            input: {
              clientId: client.id,
              recipientOrganizationIds: [clinic.id],
              purpose: 'SERVICE_REFERRAL',
              dataCategories: ['NEEDS'],
              method: 'VERBAL',
              language: 'en',
              noticeVersion: other ? 'v2' : 'v1',
              expiresAt,
              idempotencyKey: key,
            },
          }),
          effects: () => count(t, 'select count(*) as n from consent where client_id = $1', [client.id]),
          audited: (id) => id,
        };
      },
    },
    {
      operation: 'revokeConsent',
      side: 'sender',
      query:
        'mutation ($id: ID!, $reason: ConsentRevocationInput!, $key: String) { revokeConsent(id: $id, reason: $reason, idempotencyKey: $key) { consent { id status } warnings { field } } }',
      action: 'consent.revoke',
      category: 'EXECUTE',
      async prepare() {
        const consent = await f.consent(await f.client(shelter), [clinic]);
        return {
          variables: (key, other = false) => ({
            id: consent.id,
            reason: { code: other ? 'RECORDED_IN_ERROR' : 'CLIENT_WITHDREW' },
            key,
          }),
          effects: () =>
            count(t, `select count(*) as n from outbox_event where aggregate_id = $1 and type = 'consent.revoked'`, [
              consent.id,
            ]),
          audited: (id) => id,
        };
      },
    },
  ];

  /** The id of the object a payload is about. */
  const objectOf = (response: GraphQLResponse, operation: string): string => {
    const payload = dataOf(response)[operation] as Record<string, unknown>;
    const object = Object.values(payload).find((value) => typeof value === 'object' && value !== null && 'id' in value);
    return (object as { id: string }).id;
  };
  /** The audit events of the work on an entity: done once (`work`) and answered again (`replays`), each of the case's category. */
  const auditOf = async (c: Case, entityId: string) => {
    const rows = await superuserQuery<{ replayed: boolean; category: string }>(
      t.database.name,
      `select coalesce((details->>'replayed')::boolean, false) as replayed, category::text from audit_event
       where action = $1 and entity_id = $2 and outcome = 'SUCCESS'`,
      [c.action, entityId],
    );
    expect(rows.every((row) => row.category === c.category)).toBe(true);
    return { work: rows.filter((r) => !r.replayed).length, replays: rows.filter((r) => r.replayed).length };
  };
  const call = (c: Case, variables: Record<string, unknown>, token = tokens[c.side]) =>
    t.gql<Record<string, unknown>>(c.query, variables, token);
  const key = () => `retry:${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    shelter = await f.organization({ name: 'Shelter' });
    clinic = await f.organization({ name: 'Clinic' });
    service = await f.service(clinic);
    caseworker = await f.signedIn(shelter, [Role.CASEWORKER]);
    tokens.sender = caseworker.token;
    tokens.receiver = (await f.signedIn(clinic, [Role.INTAKE])).token;
    tokens.otherSender = (await f.signedIn(shelter, [Role.CASEWORKER])).token;
    tokens.otherReceiver = (await f.signedIn(clinic, [Role.INTAKE])).token;
  });
  afterAll(() => t.close());

  it('covers every mutation that takes an idempotency key', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const keyed = Object.values(schema.getMutationType()!.getFields())
      .filter(
        (field) =>
          field.args.some((arg) => arg.name === 'idempotencyKey') ||
          field.args.some((arg) => {
            const type = getNamedType(arg.type);
            return isInputObjectType(type) && 'idempotencyKey' in type.getFields();
          }),
      )
      .map((field) => field.name)
      .sort();
    expect(keyed).toEqual(CASES.map((c) => c.operation).sort());
    expect(keyed).toHaveLength(13);
  });

  describe.each(CASES)('$operation', (c) => {
    it('answers a repeat with the same key and input with the same object, doing the work once (then replays, audited)', async () => {
      const p = await c.prepare();
      const k = key();
      const before = await p.effects();
      const first = objectOf(await call(c, p.variables(k)), c.operation);
      const again = objectOf(await call(c, p.variables(k)), c.operation);
      expect(again).toBe(first);
      expect((await p.effects()) - before).toBe(1);
      expect(await auditOf(c, p.audited(first))).toEqual({ work: 1, replays: 1 });
    });

    it('refuses the same key with other input (CONFLICT: use a new key), doing nothing', async () => {
      const p = await c.prepare();
      const k = key();
      dataOf(await call(c, p.variables(k)));
      const after = await p.effects();
      const conflict = await call(c, p.variables(k, true));
      expect(codeOf(conflict)).toBe('CONFLICT');
      expect(conflict.errors![0].message).toMatch(/use a new key/);
      expect(await p.effects()).toBe(after);
    });

    it("treats another caller's use of the same key as unrelated", async () => {
      const mine = await c.prepare();
      const theirs = await c.prepare();
      const k = key();
      const first = objectOf(await call(c, mine.variables(k)), c.operation);
      const other = c.side === 'sender' ? tokens.otherSender : tokens.otherReceiver;
      const before = await theirs.effects();
      const second = objectOf(await call(c, theirs.variables(k), other), c.operation);
      expect(second).not.toBe(first);
      expect((await theirs.effects()) - before).toBe(1);
    });

    it('does the work once for five concurrent identical requests, and answers each with the same object', async () => {
      const p = await c.prepare();
      const k = key();
      const before = await p.effects();
      const answers = await Promise.all(Array.from({ length: 5 }, () => call(c, p.variables(k))));
      const ids = answers.map((answer) => objectOf(answer, c.operation));
      expect(new Set(ids).size).toBe(1);
      expect((await p.effects()) - before).toBe(1);
      expect(await auditOf(c, p.audited(ids[0]))).toEqual({ work: 1, replays: 4 });
    });

    it.each([['not a key!'], ['é'], ['x'.repeat(201)], ['']])(
      'refuses the malformed key %j with BAD_USER_INPUT naming the field',
      async (malformed) => {
        const p = await c.prepare();
        const variables = p.variables(malformed);
        const before = await p.effects();
        const response = await call(c, variables);
        expect(codeOf(response)).toBe('BAD_USER_INPUT');
        const field = 'input' in variables ? 'input.idempotencyKey' : 'idempotencyKey';
        expect((response.errors![0].extensions!.fields as { field: string }[]).map((p) => p.field)).toEqual([field]);
        expect(await p.effects()).toBe(before);
      },
    );
  });

  const CASE = (operation: string) => CASES.find((c) => c.operation === operation)!;

  it('keeps keys per caller: a person in each of their organizations, a partner system and a colleague are unrelated', async () => {
    const c = CASE('registerClient');
    const p = await c.prepare();
    const k = key();
    const legal = await f.organization({ name: 'Legal clinic' });
    await f.staff(legal, [Role.CASEWORKER], { email: caseworker.email });
    const callers = [
      tokens.sender,
      await f.login({ ...caseworker, organizationId: legal.id }),
      (await f.apiClient(shelter, [ApiScope.CLIENTS_WRITE])).key,
      tokens.otherSender,
    ];
    const ids = [];
    for (const token of callers) ids.push(objectOf(await call(c, p.variables(k), token), c.operation));
    expect(new Set(ids).size).toBe(4);
    expect(await p.effects()).toBe(4);
    // Each caller's key still stands for its own first answer.
    for (const [i, token] of callers.entries())
      expect(objectOf(await call(c, p.variables(k), token), c.operation)).toBe(ids[i]);
  });

  it('keeps keys per mutation: one key may serve two different steps', async () => {
    const referral = await referralIn(ReferralStatus.SENT);
    const k = key();
    for (const operation of ['acceptReferral', 'startReferral']) {
      const c = CASE(operation);
      expect(dataOf(await call(c, { id: referral.id, key: k }))).toBeTruthy();
    }
    expect(await transitions(referral.id)).toBe(3);
  });

  it('leaves the key of a refused request unused', async () => {
    const c = CASE('acceptReferral');
    const k = key();
    const [a, b] = [await f.organization(), await f.organization()];
    const elsewhere = await f.referral(await f.consent(await f.client(a), [b]), await f.service(b));
    expect(codeOf(await call(c, { id: elsewhere.id, key: k }))).toBe('NOT_FOUND');
    const started = await referralIn(ReferralStatus.IN_PROGRESS);
    expect(codeOf(await call(c, { id: started.id, key: k }))).toBe('BAD_USER_INPUT');
    const sent = await referralIn(ReferralStatus.SENT);
    expect(dataOf(await call(c, { id: sent.id, key: k }))).toBeTruthy();
    expect(await transitions(sent.id)).toBe(2);
  });

  it('answers a replay with the object as it is now: a later step, a consent revoked since', async () => {
    const accept = CASE('acceptReferral');
    const referral = await referralIn(ReferralStatus.SENT);
    const k = key();
    dataOf(await call(accept, { id: referral.id, key: k }));
    dataOf(await call(CASE('startReferral'), { id: referral.id }));
    const replayed = dataOf(await call(accept, { id: referral.id, key: k })).acceptReferral as {
      referral: { status: string; version: number };
    };
    expect(replayed.referral).toMatchObject({ status: 'IN_PROGRESS', version: 3 });
    expect(await transitions(referral.id)).toBe(3);

    const record = CASE('recordConsent');
    const p = await record.prepare();
    const consentKey = key();
    const consentId = objectOf(await call(record, p.variables(consentKey)), record.operation);
    dataOf(await call(CASE('revokeConsent'), { id: consentId, reason: { code: 'CLIENT_WITHDREW' } }));
    const again = dataOf(await call(record, p.variables(consentKey))).recordConsent as {
      consent: { id: string; status: string };
    };
    expect(again.consent).toEqual({ id: consentId, status: 'REVOKED' });
  });

  it('keeps neither the input nor the key itself in its records, only their SHA-256', async () => {
    const c = CASE('registerClient');
    const marker = `Zelda${Math.random().toString(36).slice(2)}`;
    const k = `key-of-${marker}`;
    dataOf(await call(c, { input: { preferredName: marker, needs: `needs of ${marker}`, idempotencyKey: k } }));
    const rows = await superuserQuery<{ row: string }>(
      t.database.name,
      'select row_to_json(r)::text as row from idempotency_record r',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter(({ row }) => row.includes(marker))).toEqual([]);
  });

  describe('expectedVersion', () => {
    const VERSION = 'query ($id: ID!) { referral(id: $id) { version status } }';
    const versionOf = async (id: string) =>
      dataOf(await t.gql<{ referral: { version: number } }>(VERSION, { id }, tokens.receiver)).referral.version;
    const stepWith = (operation: string, id: string, expectedVersion: number, token = tokens.receiver) =>
      t.gql<Record<string, { referral: { status: string; version: number } }>>(
        `mutation ($id: ID!, $v: Int) { ${operation}(id: $id, expectedVersion: $v) { referral { status version } } }`,
        { id, v: expectedVersion },
        token,
      );

    it('takes a step from the version read, and refuses a stale one with CONFLICT before looking at the state', async () => {
      const referral = await referralIn(ReferralStatus.SENT);
      expect(await versionOf(referral.id)).toBe(1); // the opening (receivedAt) is no step
      expect(dataOf(await stepWith('acceptReferral', referral.id, 1)).acceptReferral.referral).toEqual({
        status: 'ACCEPTED',
        version: 2,
      });
      dataOf(await call(CASE('addReferralNote'), { input: { referralId: referral.id, body: 'Booked' } }));
      expect(await versionOf(referral.id)).toBe(2); // nor is a note

      const stale = await stepWith('startReferral', referral.id, 1);
      expect(codeOf(stale)).toBe('CONFLICT');
      expect(stale.errors![0].message).toMatch(/changed since you read it/);
      // Before the state: an illegal step with a stale version is CONFLICT too; with the current one, BAD_USER_INPUT.
      expect(codeOf(await stepWith('acceptReferral', referral.id, 1))).toBe('CONFLICT');
      expect(codeOf(await stepWith('acceptReferral', referral.id, 2))).toBe('BAD_USER_INPUT');
      expect(await transitions(referral.id)).toBe(2);
      expect(dataOf(await stepWith('startReferral', referral.id, 2)).startReferral.referral.version).toBe(3);
    });

    it("counts Harbour's steps too, and answers NOT_FOUND first for a referral that is not the caller's", async () => {
      const referral = await referralIn(ReferralStatus.SENT);
      dataOf(await call(CASE('revokeConsent'), { id: referral.consent.id, reason: { code: 'CLIENT_WITHDREW' } }));
      expect(codeOf(await stepWith('acceptReferral', referral.id, 1))).toBe('CONFLICT');
      const elsewhere = await f.signedIn(await f.organization(), [Role.INTAKE]);
      expect(codeOf(await stepWith('acceptReferral', referral.id, 1, elsewhere.token))).toBe('NOT_FOUND');
    });

    it('lets a retried step with its key answer again, whatever version it names', async () => {
      const c = CASE('acceptReferral');
      const referral = await referralIn(ReferralStatus.SENT);
      const k = key();
      const query =
        'mutation ($id: ID!, $key: String) { acceptReferral(id: $id, expectedVersion: 1, idempotencyKey: $key) { referral { status version } } }';
      for (let i = 0; i < 2; i++)
        expect(
          dataOf(await t.gql<Record<string, unknown>>(query, { id: referral.id, key: k }, tokens.receiver)),
        ).toEqual({
          acceptReferral: { referral: { status: 'ACCEPTED', version: 2 } },
        });
      expect(await auditOf(c, referral.id)).toEqual({ work: 1, replays: 1 });
    });

    it('refuses a version below 1 with BAD_USER_INPUT naming expectedVersion', async () => {
      const referral = await referralIn(ReferralStatus.SENT);
      const response = await stepWith('acceptReferral', referral.id, 0);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect((response.errors![0].extensions!.fields as { field: string }[]).map((p) => p.field)).toEqual([
        'expectedVersion',
      ]);
    });
  });

  it('remembers a key for at least 24 hours, and forgets it once older than 48 (the purge)', async () => {
    const c = CASE('registerClient');
    const p = await c.prepare();
    const k = key();
    const createdAt = t.app.get(Clock).now();
    const first = objectOf(await call(c, p.variables(k)), c.operation);
    const idempotency = t.app.get(Idempotency);
    const hours = (n: number) => new Date(createdAt.getTime() + n * 3_600_000);

    await idempotency.purge(hours(47));
    expect(objectOf(await call(c, p.variables(k)), c.operation)).toBe(first);
    expect(codeOf(await call(c, p.variables(k, true)))).toBe('CONFLICT');

    expect(await idempotency.purge(hours(48.1))).toBeGreaterThanOrEqual(1);
    const reused = objectOf(await call(c, p.variables(k, true)), c.operation);
    expect(reused).not.toBe(first);
  });
});
