/**
 * Referrals (docs/design.md, Referral lifecycle and Consent model): the full loop between a shelter's
 * caseworker and a clinic's intake through GraphQL — sending under consent, receivedAt, working,
 * notes, history, idempotency — with its audit events and outbox rows.
 */
import { Role } from '@harbour/authz';
import type { Client } from '../../src/modules/clients/client.entity';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import type { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { DEMO_PASSWORD, DemoSeeder } from '../../src/seed/demo-seeder';
import { DEMO_HISTORY_CLIENTS, DEMO_REPORT_HISTORY } from '../../src/seed/demo-report-history';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';
import { codeOf, dataOf } from '../support/responses';

const VIEW = `id side status priority outcome sentAt receivedAt updatedAt consentActive sharedCategories reason noteCount
  client { id preferredName languages needs contact { phone } legalName birthYear pronouns municipalIdNumber }
  service { id name } sendingOrganization { id } receivingOrganization { id }
  lastTransition { action fromStatus toStatus side actorRole actorId reasonCode text organization { id } }
  history { action fromStatus toStatus side actorKind actorRole actorId reasonCode outcome text at organization { id } }
  notes { id side body authorRole authorId organization { id } }`;
const SEND = `mutation ($input: SendReferralInput!) { sendReferral(input: $input) { referral { ${VIEW} } warnings { field code } } }`;
const REFERRAL = `query ($id: ID!) { referral(id: $id) { ${VIEW} } }`;
const ACCEPT = `mutation ($id: ID!) { acceptReferral(id: $id) { referral { ${VIEW} } } }`;
const START = `mutation ($id: ID!) { startReferral(id: $id) { referral { status } } }`;
const HOLD = `mutation ($id: ID!, $reason: ReferralReasonInput!) { holdReferral(id: $id, reason: $reason) { referral { status } warnings { field } } }`;
const RESUME = `mutation ($id: ID!) { resumeReferral(id: $id) { referral { status } } }`;
const COMPLETE = `mutation ($id: ID!, $outcome: ReferralOutcomeInput!) { completeReferral(id: $id, outcome: $outcome) { referral { ${VIEW} } } }`;
const CANCEL = `mutation ($id: ID!, $reason: ReferralReasonInput!) { cancelReferral(id: $id, reason: $reason) { referral { status } } }`;
const NOTE = `mutation ($input: AddReferralNoteInput!) { addReferralNote(input: $input) { note { id side body authorRole } warnings { field code } } }`;

interface ReferralNode {
  id: string;
  status: string;
  receivedAt: string | null;
  reason: string | null;
  client: Record<string, unknown>;
  history: {
    action: string;
    toStatus: string;
    actorRole: string | null;
    actorId: string | null;
    text: string | null;
    reasonCode: string | null;
  }[];
  notes: { body: string | null; side: string }[];
  [field: string]: unknown;
}

describe('Referrals', () => {
  let t: TestApp;
  let f: Fixtures;
  let shelter: Organization;
  let clinic: Organization;
  let legal: Organization;
  let service: ServiceOffering;
  let caseworker: { token: string; accountId: string };
  let intake: { token: string; accountId: string };
  let legalIntake: { token: string };

  const events = (action: string) =>
    t.orm.em.fork().getConnection().execute<
      {
        chain_id: string;
        action: string;
        category: string;
        subject_client_id: string | null;
        entity_id: string;
        purpose: string | null;
        details: Record<string, unknown>;
      }[]
    >('select * from audit_event where action = ? order by recorded_at, seq', [action]);
  const outbox = (aggregateId: string) =>
    superuserQuery<{ type: string; organization_ids: string[] }>(
      t.database.name,
      'select type, organization_ids from outbox_event where aggregate_id = $1 order by occurred_at, id',
      [aggregateId],
    );

  async function clientWithConsent(
    categories: ConsentDataCategory[] = [
      ConsentDataCategory.NEEDS,
      ConsentDataCategory.CONTACT,
      ConsentDataCategory.NOTES,
    ],
  ) {
    const client = await f.client(shelter, {
      preferredName: 'Amina',
      legalName: 'Amina Legal',
      languages: ['so', 'en'],
      needs: 'A check-up',
      birthYear: 1990,
    });
    const consent = await f.consent(client, [clinic], { dataCategories: categories });
    return { client, consent };
  }
  const send = (client: Client, consentId: string, overrides: Record<string, unknown> = {}) =>
    t.gql<{ sendReferral: { referral: ReferralNode; warnings: { field: string }[] } }>(
      SEND,
      {
        input: {
          clientId: client.id,
          serviceId: service.id,
          consentId,
          reason: 'Needs a doctor who speaks Somali',
          priority: 'URGENT',
          ...overrides,
        },
      },
      caseworker.token,
    );

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    shelter = await f.organization({ name: 'Shelter' });
    clinic = await f.organization({ name: 'Clinic' });
    legal = await f.organization({ name: 'Legal clinic' });
    service = await f.service(clinic, { name: 'Primary care' });
    caseworker = await f.signedIn(shelter, [Role.CASEWORKER]);
    intake = await f.signedIn(clinic, [Role.INTAKE]);
    legalIntake = await f.signedIn(legal, [Role.INTAKE]);
  });
  afterAll(() => t.close());

  it('runs the full loop: send, open, accept, start, hold, resume, note, complete — with history, audit and outbox', async () => {
    const { client, consent } = await clientWithConsent();
    const sent = dataOf(await send(client, consent.id)).sendReferral;
    expect(sent.warnings).toEqual([]);
    const id = sent.referral.id;
    expect(sent.referral).toMatchObject({
      side: 'SENDER',
      status: 'SENT',
      priority: 'URGENT',
      receivedAt: null,
      consentActive: true,
      sharedCategories: ['NEEDS'],
    });
    expect(sent.referral.client).toMatchObject({ id: client.id, preferredName: 'Amina', legalName: 'Amina Legal' });
    expect(sent.referral.history).toEqual([
      expect.objectContaining({
        action: 'SEND',
        toStatus: 'SENT',
        actorRole: 'CASEWORKER',
        actorId: caseworker.accountId,
      }),
    ]);

    // The receiver's first read stamps receivedAt; while SENT it sees name, languages and NEEDS only.
    const opened = dataOf(await t.gql<{ referral: ReferralNode }>(REFERRAL, { id }, intake.token)).referral;
    expect(opened.side).toBe('RECEIVER');
    expect(opened.receivedAt).not.toBeNull();
    expect(opened.client).toEqual({
      id: null,
      preferredName: 'Amina',
      languages: ['so', 'en'],
      needs: 'A check-up',
      contact: null,
      legalName: null,
      birthYear: null,
      pronouns: null,
      municipalIdNumber: null,
    });
    expect(opened.reason).toBe('Needs a doctor who speaks Somali');
    expect(opened.history[0].actorId).toBeNull();
    expect((await events('referral.receive')).filter((e) => e.entity_id === id)).toHaveLength(1);
    const again = dataOf(await t.gql<{ referral: ReferralNode }>(REFERRAL, { id }, intake.token)).referral;
    expect(again.receivedAt).toBe(opened.receivedAt);
    expect((await events('referral.receive')).filter((e) => e.entity_id === id)).toHaveLength(1);
    expect(
      dataOf(await t.gql<{ referral: ReferralNode }>(REFERRAL, { id }, caseworker.token)).referral.receivedAt,
    ).toBe(opened.receivedAt);

    const accepted = dataOf(await t.gql<{ acceptReferral: { referral: ReferralNode } }>(ACCEPT, { id }, intake.token))
      .acceptReferral.referral;
    expect(accepted.status).toBe('ACCEPTED');
    expect(accepted.client).toMatchObject({
      preferredName: 'Amina',
      needs: 'A check-up',
      contact: { phone: null },
      legalName: null,
    });
    expect(accepted.sharedCategories).toEqual(['CONTACT', 'NEEDS', 'NOTES']);

    expect(
      dataOf(await t.gql<{ startReferral: { referral: ReferralNode } }>(START, { id }, intake.token)).startReferral
        .referral.status,
    ).toBe('IN_PROGRESS');
    expect(
      dataOf(
        await t.gql<{ holdReferral: { referral: ReferralNode } }>(
          HOLD,
          { id, reason: { code: 'WAITLISTED', text: 'Two weeks' } },
          intake.token,
        ),
      ).holdReferral.referral.status,
    ).toBe('ON_HOLD');
    expect(
      dataOf(await t.gql<{ resumeReferral: { referral: ReferralNode } }>(RESUME, { id }, intake.token)).resumeReferral
        .referral.status,
    ).toBe('IN_PROGRESS');
    const senderNote = dataOf(
      await t.gql<{ addReferralNote: { note: { side: string; body: string } } }>(
        NOTE,
        { input: { referralId: id, body: 'Prefers mornings' } },
        caseworker.token,
      ),
    );
    expect(senderNote.addReferralNote.note).toMatchObject({
      side: 'SENDER',
      body: 'Prefers mornings',
      authorRole: 'CASEWORKER',
    });
    dataOf(await t.gql(NOTE, { input: { referralId: id, body: 'First visit booked' } }, intake.token));

    const receiverView = dataOf(await t.gql<{ referral: ReferralNode }>(REFERRAL, { id }, intake.token)).referral;
    expect(receiverView.notes.map((n) => [n.side, n.body])).toEqual([
      ['SENDER', 'Prefers mornings'],
      ['RECEIVER', 'First visit booked'],
    ]);

    const completed = dataOf(
      await t.gql<{ completeReferral: { referral: ReferralNode } }>(
        COMPLETE,
        { id, outcome: { code: 'SERVICE_PROVIDED' } },
        intake.token,
      ),
    ).completeReferral.referral;
    expect(completed).toMatchObject({
      status: 'COMPLETED',
      outcome: 'SERVICE_PROVIDED',
      sharedCategories: [],
      consentActive: true,
      reason: null,
    });
    expect(Object.values(completed.client).every((value) => value === null)).toBe(true);
    expect(completed.notes.map((n) => [n.side, n.body])).toEqual([
      ['SENDER', null],
      ['RECEIVER', 'First visit booked'],
    ]);
    expect(completed.history.map((h) => h.action)).toEqual(['SEND', 'ACCEPT', 'START', 'HOLD', 'RESUME', 'COMPLETE']);

    // The sender sees everything of its own client, the receiver's words and the whole history.
    const senderView = dataOf(await t.gql<{ referral: ReferralNode }>(REFERRAL, { id }, caseworker.token)).referral;
    expect(senderView.client).toMatchObject({ id: client.id, legalName: 'Amina Legal', birthYear: 1990 });
    expect(senderView.history.find((h) => h.action === 'HOLD')).toMatchObject({
      reasonCode: 'WAITLISTED',
      text: 'Two weeks',
      actorRole: 'INTAKE',
      actorId: null,
    });

    expect((await outbox(id)).map((row) => row.type)).toEqual([
      'referral.sent',
      'referral.received',
      'referral.accepted',
      'referral.started',
      'referral.held',
      'referral.resumed',
      'referral.note_added',
      'referral.note_added',
      'referral.completed',
    ]);
    expect(
      (await outbox(id)).every(
        (row) => [...row.organization_ids].sort().join() === [shelter.id, clinic.id].sort().join(),
      ),
    ).toBe(true);
    expect((await events('referral.send')).find((e) => e.entity_id === id)).toMatchObject({
      chain_id: shelter.id,
      subject_client_id: client.id,
      category: 'CREATE',
    });
    const clientReads = (await events('referral.client.read')).filter((e) => e.entity_id === id);
    expect(clientReads.length).toBeGreaterThan(0);
    expect(
      clientReads.every((e) => e.subject_client_id === client.id && e.purpose === 'REFERRAL' && e.category === 'READ'),
    ).toBe(true);
    expect(new Set(clientReads.map((e) => e.chain_id))).toEqual(new Set([shelter.id, clinic.id]));
  });

  it('refuses an illegal transition with BAD_USER_INPUT naming the state, and a terminal referral stays put', async () => {
    const { client, consent } = await clientWithConsent();
    const id = dataOf(await send(client, consent.id)).sendReferral.referral.id;
    const started = await t.gql(START, { id }, intake.token);
    expect(codeOf(started)).toBe('BAD_USER_INPUT');
    expect(started.errors?.[0].message).toContain('SENT');
    dataOf(await t.gql(CANCEL, { id, reason: { code: 'CLIENT_REQUEST' } }, caseworker.token));
    const reaccepted = await t.gql(ACCEPT, { id }, intake.token);
    expect(codeOf(reaccepted)).toBe('BAD_USER_INPUT');
    expect(reaccepted.errors?.[0].message).toContain('CANCELLED');
    expect(codeOf(await t.gql(CANCEL, { id, reason: { code: 'CONSENT_WITHDRAWN' } }, caseworker.token))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('answers NOT_FOUND to an organization that is not a party, and sends only under a consent naming the receiver', async () => {
    const { client, consent } = await clientWithConsent();
    const id = dataOf(await send(client, consent.id)).sendReferral.referral.id;
    expect(codeOf(await t.gql(REFERRAL, { id }, legalIntake.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ACCEPT, { id }, legalIntake.token))).toBe('NOT_FOUND');

    const other = await f.consent(client, [legal]);
    const refused = await send(client, other.id);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    const refusal = await f.consent(client, []);
    expect(codeOf(await send(client, refusal.id))).toBe('BAD_USER_INPUT');
    const revoked = await f.consent(client, [clinic], { revoked: true });
    expect(codeOf(await send(client, revoked.id))).toBe('BAD_USER_INPUT');
  });

  it("shows a referral's service and organizations, in a page, in one referral and in sendReferral's answer, exactly as the directory shows them to the same viewer", async () => {
    // The page and sendReferral read the directory as rows, the directory through entities: a confidential
    // location keeps its address for its own organization only, whichever path shows it.
    const open = await f.location(clinic, { name: 'Front desk' });
    const hidden = await f.location(clinic, {
      name: 'Safe house',
      confidential: true,
      latitude: 43.7,
      longitude: -79.4,
    });
    await superuserQuery(
      t.database.name,
      'insert into service_at_location (service_id, location_id) values ($1, $2), ($1, $3)',
      [service.id, open.id, hidden.id],
    );
    const LOCATIONS =
      'locations { id name kind description addressLine1 addressLine2 city region postalCode latitude longitude url confidential }';
    const ORGANIZATION =
      'id name alternateName description kind email website phone serviceAreas isNetworkOperator active createdAt updatedAt';
    const SERVICE = `id name alternateName description url email serviceArea languages eligibilityDescription minimumAge maximumAge
      status acceptsReferrals capacity assuredAt applicationProcess feesDescription schedules { days opensAt closesAt description }
      organization { ${ORGANIZATION} } ${LOCATIONS}`;
    const SHOWN = `id service { ${SERVICE} } sendingOrganization { ${ORGANIZATION} } receivingOrganization { ${ORGANIZATION} }`;
    const { client, consent } = await clientWithConsent();
    const sent = dataOf(
      await t.gql<{ sendReferral: { referral: Record<string, unknown> } }>(
        `mutation ($input: SendReferralInput!) { sendReferral(input: $input) { referral { ${SHOWN} } } }`,
        {
          input: {
            clientId: client.id,
            serviceId: service.id,
            consentId: consent.id,
            reason: 'A check-up',
            priority: 'ROUTINE',
          },
        },
        caseworker.token,
      ),
    ).sendReferral.referral;
    for (const [viewer, box] of [
      [caseworker.token, 'OUTBOX'],
      [intake.token, 'INBOX'],
    ] as const) {
      const directory = dataOf(
        await t.gql<Record<string, unknown>>(
          `query ($service: ID!, $shelter: ID!, $clinic: ID!) {
            service(id: $service) { ${SERVICE} }
            sender: organization(id: $shelter) { ${ORGANIZATION} }
            receiver: organization(id: $clinic) { ${ORGANIZATION} } }`,
          { service: service.id, shelter: shelter.id, clinic: clinic.id },
          viewer,
        ),
      );
      const expected = {
        id: sent.id,
        service: directory.service,
        sendingOrganization: directory.sender,
        receivingOrganization: directory.receiver,
      };
      const page = dataOf(
        await t.gql<{ referrals: { edges: { node: { id: string } }[] } }>(
          `query ($box: ReferralBox!) { referrals(box: $box, first: 50) { edges { node { ${SHOWN} } } } }`,
          { box },
          viewer,
        ),
      ).referrals.edges.map((edge) => edge.node);
      expect(page.find((node) => node.id === sent.id)).toEqual(expected);
      expect(
        dataOf(
          await t.gql<{ referral: unknown }>(
            `query ($id: ID!) { referral(id: $id) { ${SHOWN} } }`,
            { id: sent.id },
            viewer,
          ),
        ).referral,
      ).toEqual(expected);
      if (viewer === caseworker.token) expect(sent).toEqual(expected);
      const locations = (expected.service as { locations: { name: string; addressLine1: string | null }[] }).locations;
      expect(locations.map((location) => [location.name, location.addressLine1 !== null])).toEqual([
        ['Front desk', true],
        ['Safe house', viewer === intake.token],
      ]);
    }
  });

  it('links a re-route to the earlier referral (basedOn), shown only to organizations that were party to it', async () => {
    const { client, consent } = await clientWithConsent();
    const legalService = await f.service(legal, { name: 'Legal advice' });
    const toLegal = await f.consent(client, [legal]);
    const first = dataOf(await send(client, toLegal.id, { serviceId: legalService.id })).sendReferral.referral.id;
    dataOf(await t.gql(CANCEL, { id: first, reason: { code: 'NO_LONGER_NEEDED' } }, caseworker.token));
    const rerouted = dataOf(await send(client, consent.id, { basedOnId: first })).sendReferral.referral.id;
    const BASED_ON = 'query ($id: ID!) { referral(id: $id) { basedOn { id status receivingOrganization { id } } } }';
    const senderView = dataOf(
      await t.gql<{ referral: { basedOn: { id: string; status: string } | null } }>(
        BASED_ON,
        { id: rerouted },
        caseworker.token,
      ),
    );
    expect(senderView.referral.basedOn).toMatchObject({ id: first, status: 'CANCELLED' });
    const clinicView = dataOf(
      await t.gql<{ referral: { basedOn: unknown } }>(BASED_ON, { id: rerouted }, intake.token),
    );
    expect(clinicView.referral.basedOn).toBeNull();

    const someoneElse = await clientWithConsent();
    expect(codeOf(await send(someoneElse.client, someoneElse.consent.id, { basedOnId: first }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await send(client, consent.id, { basedOnId: '00000000-0000-4000-8000-000000000000' }))).toBe(
      'NOT_FOUND',
    );
  });

  it('makes retries safe with an idempotency key: same input → same referral, other input → CONFLICT', async () => {
    const { client, consent } = await clientWithConsent();
    const first = dataOf(await send(client, consent.id, { idempotencyKey: 'retry-1' })).sendReferral.referral;
    const second = dataOf(await send(client, consent.id, { idempotencyKey: 'retry-1' })).sendReferral.referral;
    expect(second.id).toBe(first.id);
    expect(codeOf(await send(client, consent.id, { idempotencyKey: 'retry-1', priority: 'ROUTINE' }))).toBe('CONFLICT');
    const [a, b] = await Promise.all([
      send(client, consent.id, { idempotencyKey: 'race-1' }),
      send(client, consent.id, { idempotencyKey: 'race-1' }),
    ]);
    expect(dataOf(a).sendReferral.referral.id).toBe(dataOf(b).sendReferral.referral.id);
  });
});

describe('Demo network referrals', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DemoSeeder).seedIfEmpty();
  });
  afterAll(() => t.close());

  it("fills the shelter's and victim services' outboxes and the other members' inboxes with referrals in several states", async () => {
    const login = async (email: string) =>
      (
        await t.gql<{ login: { accessToken: string } }>(
          'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }',
          { i: { email, password: DEMO_PASSWORD } },
        )
      ).data!.login.accessToken;
    const box = async (email: string, name: string) => {
      const response = await t.gql<{
        referrals: {
          edges: {
            node: { status: string; history: { action: string }[]; client: { preferredName: string | null } };
          }[];
        };
      }>(
        `{ referrals(box: ${name}, first: 100) { edges { node { status history { action } client { preferredName } } } } }`,
        {},
        await login(email),
      );
      expect(response.errors).toBeUndefined();
      return response.data!.referrals.edges.map((edge) => edge.node);
    };
    // Earlier months hold the bulk history behind the HEALTH lead's report (demo-report-history.ts): all terminal.
    const earlier = (from: string) =>
      DEMO_REPORT_HISTORY.filter((batch) => batch.from === from).flatMap((batch) => [
        ...Array<string>(batch.completed).fill('COMPLETED'),
        ...Array<string>(batch.declined).fill('DECLINED'),
        ...Array<string>(batch.unmet).fill('UNMET'),
      ]);
    const earlierClients = Object.values(DEMO_HISTORY_CLIENTS).flat();
    const isEarlier = (r: { client: { preferredName: string | null } }) =>
      earlierClients.includes(r.client.preferredName ?? '');
    const all = await box('caseworker@shelter.harbour.test', 'OUTBOX');
    expect(
      all
        .filter(isEarlier)
        .map((r) => r.status)
        .sort(),
    ).toEqual(earlier('shelter').sort());
    const outbox = all.filter((r) => !isEarlier(r));
    expect(outbox.map((r) => r.status).sort()).toEqual([
      'ACCEPTED',
      'COMPLETED',
      'COMPLETED',
      'DECLINED',
      'IN_PROGRESS',
      'SENT',
      'SENT',
    ]);
    expect(outbox.find((r) => r.status === 'COMPLETED')?.history.map((h) => h.action)).toEqual([
      'SEND',
      'ACCEPT',
      'START',
      'HOLD',
      'RESUME',
      'COMPLETE',
    ]);
    const clinic = await box('intake@clinic.harbour.test', 'INBOX');
    expect(clinic.map((r) => [r.status, r.client.preferredName]).sort()).toEqual(
      [
        ['ACCEPTED', 'Rosa'],
        ['DECLINED', null],
        ['IN_PROGRESS', 'Amina'],
        ['SENT', 'Mei'],
        // Terminal: the receiver keeps the shell, not the client.
        ...[...earlier('shelter'), ...earlier('police')].map((status) => [status, null]),
      ].sort(),
    );
    const legal = await box('intake@legal.harbour.test', 'INBOX');
    expect(legal.map((r) => r.status).sort()).toEqual(['ACCEPTED', 'COMPLETED', 'COMPLETED']);
    // Tomás's history is more than two years old: the first start erased him; both sides keep the shell.
    expect(legal.at(-1)?.client.preferredName).toBe('Erased client');
    expect(outbox.at(-1)?.client.preferredName).toBe('Erased client');
    expect(outbox.at(-1)?.history.map((h) => h.action)).toEqual(['SEND', 'ACCEPT', 'START', 'COMPLETE']);
    // The police victim-services unit receives and sends like any member.
    const police = async (email: string, name: string) =>
      (await box(email, name)).filter((r) => !isEarlier(r)).map((r) => [r.status, r.client.preferredName]);
    expect(await police('intake@police.harbour.test', 'INBOX')).toEqual([['SENT', 'Nadia']]);
    expect(await police('caseworker@police.harbour.test', 'OUTBOX')).toEqual([['ACCEPTED', 'Rosa']]);
  });

  it('gives the HEALTH lead a report of the last three months with published and suppressed cells', async () => {
    const token = (
      await t.gql<{ login: { accessToken: string } }>(
        'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }',
        {
          i: { email: 'lead.health@harbour.test', password: DEMO_PASSWORD },
        },
      )
    ).data!.login.accessToken;
    const now = new Date();
    const month = (ago: number) =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - ago, 1)).toISOString().slice(0, 7);
    const response = await t.gql<{
      referralReport: { rows: { cells: { suppressed: boolean }[]; total: { suppressed: boolean } }[] };
    }>(
      'query ($i: ReferralReportInput!) { referralReport(input: $i) { rows { cells { suppressed } total { suppressed } } } }',
      { i: { fromMonth: month(3), toMonth: month(1), groupBy: ['MONTH', 'STATUS'] } },
      token,
    );
    expect(response.errors).toBeUndefined();
    const figures = response.data!.referralReport.rows.flatMap((row) => [...row.cells, row.total]);
    expect(figures.some((cell) => cell.suppressed)).toBe(true);
    expect(figures.some((cell) => !cell.suppressed)).toBe(true);
  });
});
