/**
 * Erasure of a client's personal data (docs/design.md, Retention and erasure; README, "Retention and
 * erasure"): `eraseClient` at the client's request, and the retention schedule under the controlled
 * Clock. After an erasure none of the client's words is left on any read path of either side, nor
 * in any row of any table; the referral shells and the audit trail remain, and every chain still
 * verifies.
 */
import { Role } from '@harbour/authz';
import { Clock } from '../../src/common/clock';
import type { Client } from '../../src/modules/clients/client.entity';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import type { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { ClientRetention } from '../../src/modules/erasure';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { ReferralStatus } from '../../src/modules/referrals/referral.enums';
import { Fixtures } from '../support/fixtures';
import { relayAll } from '../support/relay';
import { codeOf, dataOf } from '../support/responses';
import { startTestApp, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

const DAY = 86_400_000;
const RETENTION_DAYS = 730;

/** Everything the client and the staff wrote about them: none of it may survive an erasure anywhere. */
const WORDS = {
  preferredName: 'Zephyrine-preferred',
  legalName: 'Zephyrine Quillfeather-legal',
  pronouns: 'xe-pronouns-zq',
  municipalIdNumber: 'HBR-998877-ZQ',
  phone: '+1 555 0199 771',
  email: 'zephyrine.zq@example.test',
  needs: 'needs-zq-warm-coat',
  reason: 'reason-zq-clinic-visit',
  declineReason: 'reason-zq-second-referral',
  declineText: 'decline-text-zq',
  senderNote: 'sender-note-zq',
  receiverNote: 'receiver-note-zq',
  holdText: 'hold-text-zq',
  closeText: 'close-text-zq',
  revocationNote: 'revocation-note-zq',
};
const TRACES = Object.values(WORDS);

const PERSON = `id preferredName erased legalName birthYear pronouns languages municipalIdNumber needs contact { phone email preference safeToLeaveMessage }`;
const VIEW = `id status reason client { id preferredName erased legalName birthYear pronouns languages municipalIdNumber needs contact { phone email } }
  notes { side body } history { action text } lastTransition { action text }`;
const ERASE = `mutation ($id: ID!) { eraseClient(id: $id) { client { ${PERSON} erasedAt } warnings { field } } }`;

interface Party {
  org: Organization;
  caseworker: string;
  orgAdmin: string;
  intake: string;
  auditor: string;
}

describe('Client erasure', () => {
  let t: TestApp;
  let f: Fixtures;
  let clock: Clock;
  let holder: Party;
  let receiver: Party;
  let service: ServiceOffering;

  beforeAll(async () => {
    t = await startTestApp({
      CLIENT_RETENTION_DAYS: String(RETENTION_DAYS),
      CLIENT_ERASURE_SWEEP_SECONDS: '0',
      REFERRAL_EXPIRY_SWEEP_SECONDS: '0',
    });
    f = new Fixtures(t);
    clock = t.app.get(Clock);
    const party = async (name: string): Promise<Party> => {
      const org = await f.organization({ name });
      const token = async (roles: Role[]) => (await f.signedIn(org, roles)).token;
      return {
        org,
        caseworker: await token([Role.CASEWORKER]),
        orgAdmin: await token([Role.ORG_ADMIN]),
        intake: await token([Role.INTAKE]),
        auditor: await token([Role.AUDITOR]),
      };
    };
    holder = await party('Erasure shelter');
    receiver = await party('Erasure clinic');
    service = await f.service(receiver.org);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t?.close());

  /** Harbour's clock from now on (wall time again after the test). */
  function setClock(at: Date): void {
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(at));
  }

  async function gql<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return dataOf(await t.gql<T>(query, variables, token));
  }

  /**
   * A client with a whole history written through the API: every field given; a consent of every
   * category; one referral accepted, noted by both sides, held and closed unmet; a second one
   * declined; the consent revoked with a note.
   */
  async function clientWithHistory(): Promise<{ clientId: string; consentId: string; referralIds: string[] }> {
    const { registerClient } = await gql<{ registerClient: { client: { id: string } } }>(
      holder.caseworker,
      `mutation ($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }`,
      {
        i: {
          preferredName: WORDS.preferredName,
          legalName: WORDS.legalName,
          birthYear: 1990,
          pronouns: WORDS.pronouns,
          languages: ['fr'],
          municipalIdNumber: WORDS.municipalIdNumber,
          needs: WORDS.needs,
          contact: { phone: WORDS.phone, email: WORDS.email, safeToLeaveMessage: true },
          idempotencyKey: `erasure-${Math.random()}`,
        },
      },
    );
    const clientId = registerClient.client.id;
    const { recordConsent } = await gql<{ recordConsent: { consent: { id: string } } }>(
      holder.caseworker,
      `mutation ($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } } }`,
      {
        i: {
          clientId,
          recipientOrganizationIds: [receiver.org.id],
          purpose: 'SERVICE_REFERRAL',
          dataCategories: Object.values(ConsentDataCategory),
          method: 'VERBAL',
          language: 'fr',
          noticeVersion: 'erasure-1',
          expiresAt: new Date(Date.now() + 30 * DAY).toISOString(),
        },
      },
    );
    const consentId = recordConsent.consent.id;
    const send = async (reason: string) =>
      (
        await gql<{ sendReferral: { referral: { id: string } } }>(
          holder.caseworker,
          `mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }`,
          { i: { clientId, serviceId: service.id, consentId, reason } },
        )
      ).sendReferral.referral.id;
    const first = await send(WORDS.reason);
    await gql(receiver.intake, `mutation ($id: ID!) { acceptReferral(id: $id) { referral { id } } }`, { id: first });
    const note = `mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }`;
    await gql(holder.caseworker, note, { i: { referralId: first, body: WORDS.senderNote } });
    await gql(receiver.intake, note, { i: { referralId: first, body: WORDS.receiverNote } });
    await gql(
      receiver.intake,
      `mutation ($id: ID!) { holdReferral(id: $id, reason: { code: WAITLISTED, text: "${WORDS.holdText}" }) { referral { id } } }`,
      { id: first },
    );
    await gql(
      receiver.intake,
      `mutation ($id: ID!) { closeReferralUnmet(id: $id, reason: { code: NO_CAPACITY, text: "${WORDS.closeText}" }) { referral { id } } }`,
      { id: first },
    );
    const second = await send(WORDS.declineReason);
    await gql(
      receiver.intake,
      `mutation ($id: ID!) { declineReferral(id: $id, reason: { code: NO_CAPACITY, text: "${WORDS.declineText}" }) { referral { id } } }`,
      { id: second },
    );
    await gql(
      holder.caseworker,
      `mutation ($id: ID!) { revokeConsent(id: $id, reason: { code: OTHER, note: "${WORDS.revocationNote}" }) { consent { id } } }`,
      { id: consentId },
    );
    return { clientId, consentId, referralIds: [first, second] };
  }

  /** Every row of every table of the database, as JSON text (read as the schema owner: nothing is hidden). */
  async function wholeDatabase(): Promise<string> {
    const tables = await superuserQuery<{ table_name: string }>(
      t.database.name,
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    expect(tables.map((table) => table.table_name)).toEqual(
      expect.arrayContaining(['client', 'referral', 'audit_event', 'outbox_event', 'idempotency_record']),
    );
    const dumps = await Promise.all(
      tables.map(({ table_name }) =>
        superuserQuery<{ rows: unknown }>(
          t.database.name,
          `select coalesce(json_agg(row_to_json(x)), '[]'::json) as rows from "${table_name}" x`,
        ),
      ),
    );
    return JSON.stringify(dumps);
  }

  const tracesIn = (text: string) => TRACES.filter((trace) => text.includes(trace));

  describe('eraseClient', () => {
    let history: Awaited<ReturnType<typeof clientWithHistory>>;

    beforeAll(async () => {
      // Both parties listen: every change of the history becomes a webhook delivery, body stored.
      await f.webhookEndpoint(holder.org);
      await f.webhookEndpoint(receiver.org);
      history = await clientWithHistory();
      await relayAll(t);
      const [{ n }] = await superuserQuery<{ n: string }>(
        t.database.name,
        'select count(*) as n from webhook_delivery',
      );
      expect(Number(n)).toBeGreaterThanOrEqual(2 * 9);
      expect(tracesIn(await wholeDatabase()).sort()).toEqual([...TRACES].sort());
    });

    it('erases the record and every word about the client, and answers with the erased record', async () => {
      const { eraseClient } = await gql<{ eraseClient: { client: Record<string, unknown> } }>(
        holder.caseworker,
        ERASE,
        { id: history.clientId },
      );
      expect(eraseClient.client).toEqual({
        id: history.clientId,
        preferredName: 'Erased client',
        erased: true,
        erasedAt: expect.any(String),
        legalName: null,
        birthYear: null,
        pronouns: null,
        languages: [],
        municipalIdNumber: null,
        needs: null,
        contact: { phone: null, email: null, preference: 'DO_NOT_CONTACT', safeToLeaveMessage: false },
      });
    });

    it('leaves none of it in any row of any table: client, shells, consents, audit log, outbox, idempotency records, deliveries', async () => {
      expect(tracesIn(await wholeDatabase())).toEqual([]);
    });

    /** Every way a caller reads a client or a referral, of either side: none shows a trace, each shows the placeholder. */
    const READ_PATHS: {
      path: string;
      as: 'holder' | 'receiver';
      query: string;
      vars: () => Record<string, unknown>;
    }[] = [
      {
        path: 'client',
        as: 'holder',
        query: `query ($id: ID!) { client(id: $id) { ${PERSON} } }`,
        vars: () => ({ id: history.clientId }),
      },
      {
        path: 'clients (search by the placeholder)',
        as: 'holder',
        query: `{ clients(search: "Erased", first: 50) { edges { node { ${PERSON} } } } }`,
        vars: () => ({}),
      },
      {
        path: 'Client.consents and consent',
        as: 'holder',
        query: `query ($id: ID!, $c: ID!) { client(id: $id) { consents(first: 10) { edges { node { status revocationNote language dataCategories } } } } consent(id: $c) { status revocationReason revocationNote } }`,
        vars: () => ({ id: history.clientId, c: history.consentId }),
      },
      ...(['holder', 'receiver'] as const).flatMap((as) => [
        {
          path: `referral (${as})`,
          as,
          query: `query ($id: ID!, $id2: ID!) { a: referral(id: $id) { ${VIEW} } b: referral(id: $id2) { ${VIEW} } }`,
          vars: () => ({ id: history.referralIds[0], id2: history.referralIds[1] }),
        },
        {
          path: `referrals (${as})`,
          as,
          query: `{ referrals(box: ${as === 'holder' ? 'OUTBOX' : 'INBOX'}, first: 50) { edges { node { ${VIEW} } } } }`,
          vars: () => ({}),
        },
        {
          path: `referralChanges (${as})`,
          as,
          query: `{ referralChanges(first: 100) { edges { node { id type referralId status } } } }`,
          vars: () => ({}),
        },
      ]),
      {
        path: 'clientAccessReport',
        as: 'holder',
        query: `query ($id: ID!) { clientAccessReport(clientId: $id, first: 100) { edges { node { action purpose organization { id } } } } }`,
        vars: () => ({ id: history.clientId }),
      },
    ];

    it.each(READ_PATHS)('shows nothing of the client through $path', async ({ as, query, vars }) => {
      const token = as === 'holder' ? holder.caseworker : receiver.intake;
      const text = JSON.stringify(await gql(token, query, vars()));
      expect(tracesIn(text)).toEqual([]);
    });

    it.each(['holder', 'receiver'] as const)('shows the %s the referral shells with the client erased', async (as) => {
      const token = as === 'holder' ? holder.caseworker : receiver.intake;
      const { referral } = await gql<{ referral: Record<string, unknown> }>(
        token,
        `query ($id: ID!) { referral(id: $id) { ${VIEW} } }`,
        { id: history.referralIds[0] },
      );
      expect(referral).toMatchObject({
        status: 'UNMET',
        reason: null,
        client: {
          preferredName: 'Erased client',
          erased: true,
          legalName: null,
          needs: null,
          // The holder sees its record's (emptied) contact; the receiver nothing of a terminal referral.
          contact: as === 'holder' ? { phone: null, email: null } : null,
        },
        notes: [
          { side: 'SENDER', body: null },
          { side: 'RECEIVER', body: null },
        ],
      });
      expect(
        (referral.history as { action: string; text: string | null }[]).map((step) => [step.action, step.text]),
      ).toEqual([
        ['SEND', null],
        ['ACCEPT', null],
        ['HOLD', null],
        ['CLOSE_UNMET', null],
      ]);
    });

    it('keeps the consent terms and dates, and ends nothing else', async () => {
      const { consent } = await gql<{ consent: Record<string, unknown> }>(
        holder.caseworker,
        `query ($id: ID!) { consent(id: $id) { status purpose dataCategories method language noticeVersion givenAt expiresAt revokedAt revocationReason revocationNote recipientOrganizations { id } } }`,
        { id: history.consentId },
      );
      expect(consent).toMatchObject({
        status: 'REVOKED',
        purpose: 'SERVICE_REFERRAL',
        dataCategories: expect.arrayContaining(Object.values(ConsentDataCategory)),
        revocationReason: 'OTHER',
        revocationNote: null,
        recipientOrganizations: [{ id: receiver.org.id }],
      });
    });

    it('keeps the audit trail: one client.erased event of ids and counts, and both chains verify', async () => {
      const events = await superuserQuery<{ action: string; details: unknown; entity_id: string }>(
        t.database.name,
        `select action, details, entity_id from audit_event where action = 'client.erased' and subject_client_id = $1`,
        [history.clientId],
      );
      expect(events).toEqual([
        {
          action: 'client.erased',
          entity_id: history.clientId,
          details: { basis: 'CLIENT_REQUEST', referralReasons: 2, stepTexts: 3, notes: 2, revocationNotes: 1 },
        },
      ]);
      for (const party of [holder, receiver]) {
        const { verifyAuditLog } = await gql<{ verifyAuditLog: { valid: boolean }[] }>(
          party.auditor,
          'query ($id: ID) { verifyAuditLog(chainId: $id) { valid } }',
          { id: party.org.id },
        );
        expect(verifyAuditLog).toEqual([{ valid: true }]);
      }
    });

    it.each([
      ['eraseClient', ERASE, (id: string) => ({ id }), 'id'],
      [
        'updateClient',
        `mutation ($id: ID!) { updateClient(id: $id, input: { needs: "again" }) { client { id } } }`,
        (id: string) => ({ id }),
        'id',
      ],
      [
        'recordConsent',
        `mutation ($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } } }`,
        (clientId: string) => ({
          i: {
            clientId,
            recipientOrganizationIds: [receiver.org.id],
            purpose: 'SERVICE_REFERRAL',
            method: 'VERBAL',
            language: 'en',
            noticeVersion: 'erasure-2',
            expiresAt: new Date(Date.now() + DAY).toISOString(),
          },
        }),
        'input.clientId',
      ],
    ])(
      'refuses %s on an erased client with CONFLICT naming it erased, audited as DENIED',
      async (operation, query, vars, field) => {
        const before = await deniedCount();
        const response = await t.gql(query, vars(history.clientId), holder.caseworker);
        expect(codeOf(response)).toBe('CONFLICT');
        expect(response.errors?.[0].message).toMatch(/erased/);
        expect(response.errors?.[0].extensions?.fields).toEqual([{ field, message: 'client is erased' }]);
        expect(await deniedCount()).toBe(before + 1);
      },
    );

    it("refuses revokeConsent on an erased client's consent, expired but never revoked, with CONFLICT", async () => {
      const client = await f.client(holder.org);
      const consent = await f.consent(client, [receiver.org], {
        givenAt: new Date(Date.now() - 10 * DAY),
        expiresAt: new Date(Date.now() - DAY),
      });
      await gql(holder.caseworker, ERASE, { id: client.id });
      const response = await t.gql(
        `mutation ($id: ID!) { revokeConsent(id: $id, reason: { code: OTHER, note: "words after the erasure" }) { consent { id } } }`,
        { id: consent.id },
        holder.caseworker,
      );
      expect(codeOf(response)).toBe('CONFLICT');
      expect(response.errors?.[0].extensions?.fields).toEqual([{ field: 'id', message: 'client is erased' }]);
    });

    it('refuses sendReferral for an erased client with CONFLICT', async () => {
      const client = await f.client(holder.org);
      const consent = await f.consent(client, [receiver.org]);
      await gql(holder.caseworker, ERASE, { id: client.id });
      const response = await t.gql(
        `mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }`,
        { i: { clientId: client.id, serviceId: service.id, consentId: consent.id, reason: 'Again' } },
        holder.caseworker,
      );
      expect(codeOf(response)).toBe('CONFLICT');
      expect(response.errors?.[0].extensions?.fields).toEqual([
        { field: 'input.clientId', message: 'client is erased' },
      ]);
    });
  });

  describe('eraseClient, refused and permitted', () => {
    it.each([ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.ON_HOLD])(
      'refuses while a referral is %s, naming it, and changes nothing',
      async (status) => {
        const client = await f.client(holder.org, { needs: 'still here' });
        const consent = await f.consent(client, [receiver.org]);
        const referral = await f.referral(consent, service, { status });
        const response = await t.gql(ERASE, { id: client.id }, holder.orgAdmin);
        expect(codeOf(response)).toBe('CONFLICT');
        expect(response.errors?.[0].message).toContain(`${referral.id} (${status})`);
        expect(response.errors?.[0].extensions?.fields).toEqual([
          { field: 'id', message: `referral ${referral.id} is ${status}` },
        ]);
        const [row] = await superuserQuery<{ needs: string; erased_at: Date | null }>(
          t.database.name,
          'select needs, erased_at from client where id = $1',
          [client.id],
        );
        expect(row).toEqual({ needs: 'still here', erased_at: null });
      },
    );

    it("revokes the client's active consents on the way (CLIENT_WITHDREW), telling the receivers", async () => {
      const client = await f.client(holder.org);
      const consent = await f.consent(client, [receiver.org]);
      await f.referral(consent, service, { status: ReferralStatus.COMPLETED });
      await gql(holder.orgAdmin, ERASE, { id: client.id });
      const [row] = await superuserQuery<{ revocation_reason: string; revoked_at: Date | null }>(
        t.database.name,
        'select revocation_reason, revoked_at from consent where id = $1',
        [consent.id],
      );
      expect(row.revocation_reason).toBe('CLIENT_WITHDREW');
      expect(row.revoked_at).not.toBeNull();
      const events = await superuserQuery<{ organization_ids: string[] }>(
        t.database.name,
        `select organization_ids from outbox_event where type = 'consent.revoked' and aggregate_id = $1`,
        [consent.id],
      );
      expect(events).toHaveLength(1);
      expect(events[0].organization_ids.sort()).toEqual([holder.org.id, receiver.org.id].sort());
    });

    it("answers NOT_FOUND for another organization's client, and leaves it whole", async () => {
      const client = await f.client(receiver.org, { needs: 'theirs' });
      expect(codeOf(await t.gql(ERASE, { id: client.id }, holder.caseworker))).toBe('NOT_FOUND');
      const [row] = await superuserQuery<{ erased_at: Date | null }>(
        t.database.name,
        'select erased_at from client where id = $1',
        [client.id],
      );
      expect(row.erased_at).toBeNull();
    });
  });

  describe('the database', () => {
    it('keeps an erased client final, and lets the words of a held client be emptied by nobody', async () => {
      const held = await f.client(holder.org);
      const consent = await f.consent(held, [receiver.org]);
      const referral = await f.referral(consent, service, { status: ReferralStatus.COMPLETED });
      const app = t.orm.em.fork().getConnection();
      await expect(app.execute('update referral set reason = null where id = ?', [referral.id])).rejects.toThrow(
        /erasure/,
      );
      await expect(
        app.execute('update referral_transition set text = null where referral_id = ?', [referral.id]),
      ).rejects.toThrow(/erasure/);
      await expect(
        app.execute(`update referral_transition set at = now() where referral_id = ?`, [referral.id]),
      ).rejects.toThrow(/permission denied/);
      await gql(holder.caseworker, ERASE, { id: held.id });
      await expect(
        app.execute(
          `update consent set revoked_at = now(), revoked_by = ?, revocation_reason = 'OTHER', revocation_note = 'after' where id = ?`,
          [held.id, consent.id],
        ),
      ).rejects.toThrow(/erased client never change/);
      await expect(
        app.execute(`update client set needs = 'back again', preferred_name = 'Erased client' where id = ?`, [held.id]),
      ).rejects.toThrow(/erased client never changes|client_erased_check/);
    });
  });

  describe('the retention schedule, under the Clock', () => {
    let retention: ClientRetention;
    beforeAll(() => {
      retention = t.app.get(ClientRetention);
    });

    async function lastChange(client: Client): Promise<number> {
      const [row] = await superuserQuery<{ updated_at: Date }>(
        t.database.name,
        'select updated_at from client where id = $1',
        [client.id],
      );
      return row.updated_at.getTime();
    }

    async function erasedAt(client: Client): Promise<Date | null> {
      const [row] = await superuserQuery<{ erased_at: Date | null }>(
        t.database.name,
        'select erased_at from client where id = $1',
        [client.id],
      );
      return row.erased_at;
    }

    async function sweepAt(at: number): Promise<void> {
      setClock(new Date(at));
      await retention.eraseDue();
    }

    it('erases a client whose last referral closed exactly a retention period ago, not a moment before', async () => {
      const client = await f.client(holder.org, { needs: 'retention-needs' });
      const consent = await f.consent(client, [receiver.org], { expiresAt: new Date(Date.now() + DAY) });
      const closedAt = Date.now() + 5 * DAY;
      await f.referral(consent, service, { status: ReferralStatus.COMPLETED, sentAt: new Date(closedAt) });
      const due = closedAt + RETENTION_DAYS * DAY;
      await sweepAt(due - 1);
      expect(await erasedAt(client)).toBeNull();
      await sweepAt(due);
      expect((await erasedAt(client))?.getTime()).toBe(due);
    });

    it("erases a client never referred a retention period after their record's last change", async () => {
      const client = await f.client(holder.org);
      const due = (await lastChange(client)) + RETENTION_DAYS * DAY;
      await sweepAt(due - 1);
      expect(await erasedAt(client)).toBeNull();
      await sweepAt(due);
      expect(await erasedAt(client)).not.toBeNull();
    });

    it('holds a client with an open referral back, however old', async () => {
      const client = await f.client(holder.org);
      const consent = await f.consent(client, [receiver.org], { expiresAt: new Date(Date.now() + DAY) });
      await f.referral(consent, service, { status: ReferralStatus.ON_HOLD, sentAt: new Date(Date.now() - DAY) });
      await sweepAt(Date.now() + 3 * RETENTION_DAYS * DAY);
      expect(await erasedAt(client)).toBeNull();
    });

    it('holds a client with an active consent back until it ends', async () => {
      const client = await f.client(holder.org);
      const expiresAt = (await lastChange(client)) + (RETENTION_DAYS + 100) * DAY;
      await f.consent(client, [receiver.org], { expiresAt: new Date(expiresAt) });
      await sweepAt(expiresAt - 1);
      expect(await erasedAt(client)).toBeNull();
      await sweepAt(expiresAt);
      expect(await erasedAt(client)).not.toBeNull();
    });

    it("erases as Harbour in the holder's chain (client.retentionSweep, client.erased), and the chain verifies", async () => {
      const client = await f.client(holder.org, { legalName: 'Retention Legal-ZQ' });
      await sweepAt((await lastChange(client)) + RETENTION_DAYS * DAY);
      const events = await superuserQuery<{ action: string; actor_kind: string; details: { basis?: string } }>(
        t.database.name,
        `select action, actor_kind, details from audit_event where chain_id = $1 and action in ('client.erased', 'client.retentionSweep') and (subject_client_id = $2 or subject_client_id is null) order by seq desc limit 2`,
        [holder.org.id, client.id],
      );
      expect(events.map((event) => [event.action, event.actor_kind])).toEqual([
        ['client.erased', 'SYSTEM'],
        ['client.retentionSweep', 'SYSTEM'],
      ]);
      expect(events[0].details.basis).toBe('RETENTION_PERIOD');
      const { verifyAuditLog } = await gql<{ verifyAuditLog: { valid: boolean }[] }>(
        holder.auditor,
        'query ($id: ID) { verifyAuditLog(chainId: $id) { valid } }',
        { id: holder.org.id },
      );
      expect(verifyAuditLog).toEqual([{ valid: true }]);
      expect(await wholeDatabase()).not.toContain('Retention Legal-ZQ');
    });

    it('erases each client once when several processes sweep at the same time', async () => {
      const clients = await Promise.all([1, 2, 3, 4, 5].map(() => f.client(holder.org)));
      const latest = Math.max(...(await Promise.all(clients.map(lastChange))));
      setClock(new Date(latest + RETENTION_DAYS * DAY));
      await Promise.all([retention.eraseDue(), retention.eraseDue(), retention.eraseDue()]);
      const [row] = await superuserQuery<{ n: string; distinct_clients: string }>(
        t.database.name,
        `select count(*) as n, count(distinct subject_client_id) as distinct_clients from audit_event where action = 'client.erased' and subject_client_id = any($1::uuid[])`,
        [clients.map((client) => client.id)],
      );
      expect(row).toEqual({ n: '5', distinct_clients: '5' });
    });
  });

  async function deniedCount(): Promise<number> {
    const [row] = await superuserQuery<{ n: string }>(
      t.database.name,
      `select count(*) as n from audit_event where outcome = 'DENIED'`,
    );
    return Number(row.n);
  }
});
