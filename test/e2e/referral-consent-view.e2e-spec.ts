/**
 * The consent-scoped view of referrals through GraphQL over HTTP (docs/design.md, Consent model,
 * Referral lifecycle, invariants 1, 2 and 4): what the receiving INTAKE sees in each state under
 * each consent state; revocation and expiry taking effect on the very next request; what blocks a
 * referral from being sent; the READ events every look at client data writes; and free text that
 * reads like status information staying out of the audit log and the outbox.
 */
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Clock } from '../../src/common/clock';
import { Client } from '../../src/modules/clients/client.entity';
import { ContactPreference } from '../../src/modules/clients/client.enums';
import type { Consent } from '../../src/modules/consent/consent.entity';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import { ServiceStatus } from '../../src/modules/directory/directory.enums';
import { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Referral, ReferralNote } from '../../src/modules/referrals/referral.entity';
import { ReferralActorKind, ReferralSide, ReferralStatus } from '../../src/modules/referrals/referral.enums';
import { ReferralSystemSteps } from '../../src/modules/referrals/referral-system-steps';
import { Fixtures } from '../support/fixtures';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';
import { codeOf, dataOf } from '../support/responses';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const { NEEDS, CONTACT, DEMOGRAPHICS, MUNICIPAL_ID, NOTES } = ConsentDataCategory;
const ALL_CATEGORIES = [NEEDS, CONTACT, DEMOGRAPHICS, MUNICIPAL_ID, NOTES];
const STATUSES = Object.values(ReferralStatus);
const OPEN = [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.ON_HOLD];
const TERMINAL = [ReferralStatus.COMPLETED, ReferralStatus.UNMET, ReferralStatus.DECLINED, ReferralStatus.CANCELLED];

const CLIENT = `client { id preferredName languages needs contact { phone email preference safeToLeaveMessage } legalName birthYear pronouns municipalIdNumber }`;
const VIEW = `id side status consentActive sharedCategories reason ${CLIENT}
  notes { side body }
  history { action fromStatus toStatus side actorKind reasonCode text }
  lastTransition { action fromStatus toStatus side actorKind reasonCode }`;
const REFERRAL = `query ($id: ID!) { referral(id: $id) { ${VIEW} } }`;
const INBOX = `query ($serviceId: ID, $status: [ReferralStatus!]) {
  referrals(box: INBOX, serviceId: $serviceId, status: $status, first: 100) { edges { node { ${VIEW} } } }
}`;
const SEND = `mutation ($input: SendReferralInput!) { sendReferral(input: $input) { referral { id status reason } warnings { field code } } }`;
const ACCEPT = `mutation ($id: ID!) { acceptReferral(id: $id) { referral { status } } }`;
const HOLD = `mutation ($id: ID!, $reason: ReferralReasonInput!) { holdReferral(id: $id, reason: $reason) { referral { status } warnings { field code } } }`;
const NOTE = `mutation ($input: AddReferralNoteInput!) { addReferralNote(input: $input) { note { body } warnings { field code } } }`;
const REVOKE = `mutation ($id: ID!, $reason: ConsentRevocationInput!) { revokeConsent(id: $id, reason: $reason) { consent { status } } }`;
const ACCESS_REPORT = `query ($clientId: ID!) {
  clientAccessReport(clientId: $clientId, first: 100) { edges { node { action category purpose actorKind actorRoles actorId organization { id } } } }
}`;

type ConsentState = 'ACTIVE' | 'REVOKED' | 'EXPIRED';
const CONSENT_STATES: readonly ConsentState[] = ['ACTIVE', 'REVOKED', 'EXPIRED'];
/** Each category alone, none, and all of them. */
const GRANTS: readonly ConsentDataCategory[][] = [
  [],
  [NEEDS],
  [CONTACT],
  [DEMOGRAPHICS],
  [MUNICIPAL_ID],
  [NOTES],
  ALL_CATEGORIES,
];

const AMINA = {
  preferredName: 'Amina',
  legalName: 'Amina Legal',
  birthYear: 1990,
  pronouns: 'she/her',
  languages: ['so', 'en'],
  municipalIdNumber: 'HC-1234',
  needs: 'A check-up',
};
const AMINA_CONTACT = {
  phone: '+1 555 0100',
  email: 'amina@example.test',
  preference: 'PHONE_ONLY',
  safeToLeaveMessage: true,
};
const SENDER_NOTE = 'Prefers mornings';
const RECEIVER_NOTE = 'First visit booked';
const REASON = 'Needs a doctor who speaks Somali';

/** docs/design.md, Consent model, by hand: SENT → the always row and NEEDS; accepted and open → every consented category; terminal → none. */
const RECEIVER_STAGE: Readonly<Record<ReferralStatus, 'DECIDE' | 'CONSENTED' | 'NOTHING'>> = {
  [ReferralStatus.SENT]: 'DECIDE',
  [ReferralStatus.ACCEPTED]: 'CONSENTED',
  [ReferralStatus.IN_PROGRESS]: 'CONSENTED',
  [ReferralStatus.ON_HOLD]: 'CONSENTED',
  [ReferralStatus.COMPLETED]: 'NOTHING',
  [ReferralStatus.UNMET]: 'NOTHING',
  [ReferralStatus.DECLINED]: 'NOTHING',
  [ReferralStatus.CANCELLED]: 'NOTHING',
};

function expectedReceiverView(status: ReferralStatus, state: ConsentState, granted: readonly ConsentDataCategory[]) {
  const stage = state === 'ACTIVE' ? RECEIVER_STAGE[status] : 'NOTHING';
  const shared =
    stage === 'NOTHING' ? [] : stage === 'DECIDE' ? granted.filter((category) => category === NEEDS) : [...granted];
  const open = stage !== 'NOTHING';
  const has = (category: ConsentDataCategory) => shared.includes(category);
  return {
    side: 'RECEIVER',
    status,
    consentActive: state === 'ACTIVE',
    sharedCategories: [...shared].sort(),
    reason: has(NEEDS) ? REASON : null,
    client: {
      id: null,
      preferredName: open ? AMINA.preferredName : null,
      languages: open ? AMINA.languages : null,
      needs: has(NEEDS) ? AMINA.needs : null,
      contact: has(CONTACT) ? AMINA_CONTACT : null,
      legalName: has(DEMOGRAPHICS) ? AMINA.legalName : null,
      birthYear: has(DEMOGRAPHICS) ? AMINA.birthYear : null,
      pronouns: has(DEMOGRAPHICS) ? AMINA.pronouns : null,
      municipalIdNumber: has(MUNICIPAL_ID) ? AMINA.municipalIdNumber : null,
    },
    notes: [
      { side: 'SENDER', body: has(NOTES) ? SENDER_NOTE : null },
      { side: 'RECEIVER', body: RECEIVER_NOTE },
    ],
  };
}

interface Step {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  side: string;
  actorKind: string;
  reasonCode: string | null;
  text?: string | null;
}

interface ReferralNode {
  id: string;
  side: string;
  status: string;
  consentActive: boolean;
  sharedCategories: string[];
  reason: string | null;
  client: Record<string, unknown>;
  notes: { side: string; body: string | null }[];
  history: Step[];
  lastTransition: Step;
}

interface AuditRow {
  chain_id: string;
  action: string;
  category: string;
  actor_kind: string;
  actor_id: string | null;
  actor_roles: string[];
  entity_id: string | null;
  subject_client_id: string | null;
  purpose: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

const fieldsOf = (response: GraphQLResponse<unknown>) =>
  ((response.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((problem) => problem.field);
const allNull = (record: Record<string, unknown>) => Object.values(record).every((value) => value === null);
const sorted = (values: readonly string[]) => [...values].sort();

describe('Referrals: the consent-scoped view', () => {
  let t: TestApp;
  let f: Fixtures;
  let shelter: Organization;
  let clinic: Organization;
  let legal: Organization;
  let service: ServiceOffering;
  let caseworker: { token: string; accountId: string };
  let intake: { token: string; accountId: string };
  let otherIntake: { token: string; accountId: string };
  let legalIntake: { token: string };

  const read = async (id: string, token: string) =>
    dataOf(await t.gql<{ referral: ReferralNode }>(REFERRAL, { id }, token)).referral;
  const inbox = async (token: string, variables: { serviceId?: string; status?: string[] }) =>
    dataOf(
      await t.gql<{ referrals: { edges: { node: ReferralNode }[] } }>(INBOX, variables, token),
    ).referrals.edges.map((edge) => edge.node);
  const auditRows = (where: string, params: unknown[] = []) =>
    t.orm.em
      .fork()
      .getConnection()
      .execute<AuditRow[]>(`select * from audit_event where ${where} order by chain_id, seq`, params);
  const rowsOfRequest = (response: GraphQLResponse<unknown>) =>
    auditRows('request_id = ?', [response.headers['x-request-id']]);
  const outbox = (aggregateId: string) =>
    superuserQuery<{ type: string; organization_ids: string[] }>(
      t.database.name,
      'select type, organization_ids from outbox_event where aggregate_id = $1 order by occurred_at, id',
      [aggregateId],
    );

  /** Amina, with every field filled in, held by `holder`. */
  async function amina(holder: Organization): Promise<Client> {
    const client = await f.client(holder, AMINA);
    const em = t.orm.em.fork();
    const stored = await em.findOneOrFail(Client, client.id);
    Object.assign(stored.contact, { ...AMINA_CONTACT, preference: ContactPreference.PHONE_ONLY });
    await em.flush();
    return client;
  }

  async function consentIn(
    state: ConsentState,
    client: Client,
    recipient: Organization,
    dataCategories: ConsentDataCategory[],
  ): Promise<Consent> {
    if (state === 'EXPIRED')
      return f.consent(client, [recipient], {
        dataCategories,
        givenAt: new Date(Date.now() - 10 * DAY),
        expiresAt: new Date(Date.now() - DAY),
      });
    return f.consent(client, [recipient], { dataCategories, revoked: state === 'REVOKED' });
  }

  /** A note stored directly, as one side wrote it. */
  async function storeNote(
    referral: Referral,
    side: ReferralSide.SENDER | ReferralSide.RECEIVER,
    body: string,
    createdAt = new Date(),
  ): Promise<void> {
    const em = t.orm.em.fork();
    const sender = side === ReferralSide.SENDER;
    em.create(ReferralNote, {
      referral: em.getReference(Referral, referral.id),
      side,
      organization: em.getReference(
        Organization,
        sender ? referral.sendingOrganization.id : referral.receivingOrganization.id,
      ),
      authorKind: ReferralActorKind.STAFF,
      authorRole: sender ? Role.CASEWORKER : Role.INTAKE,
      authorId: randomUUID(),
      body,
      createdAt,
    });
    await em.flush();
  }

  async function setService(
    id: string,
    changes: Partial<Pick<ServiceOffering, 'status' | 'acceptsReferrals'>>,
  ): Promise<void> {
    await t.orm.em.fork().nativeUpdate(ServiceOffering, { id }, changes);
  }

  beforeAll(async () => {
    // The scheduled sweep stays off: the expiry tests run it themselves, against a moved clock.
    t = await startTestApp({ REFERRAL_EXPIRY_SWEEP_SECONDS: '0' });
    f = new Fixtures(t);
    shelter = await f.organization({ name: 'City shelter' });
    clinic = await f.organization({ name: 'Public-health clinic' });
    legal = await f.organization({ name: 'Community legal clinic' });
    service = await f.service(clinic, { name: 'Primary care' });
    caseworker = await f.signedIn(shelter, [Role.CASEWORKER]);
    intake = await f.signedIn(clinic, [Role.INTAKE]);
    otherIntake = await f.signedIn(clinic, [Role.INTAKE]);
    legalIntake = await f.signedIn(legal, [Role.INTAKE]);
  });
  afterAll(() => t.close());

  describe('what the receiving INTAKE sees', () => {
    it.each(STATUSES)(
      '%s: each category shown or hidden under an active, revoked or expired consent; referral(id) and the inbox agree; status and history remain',
      async (status) => {
        const own = await f.service(clinic);
        const client = await amina(shelter);
        const cases: { referral: Referral; state: ConsentState; granted: ConsentDataCategory[] }[] = [];
        for (const state of CONSENT_STATES) {
          for (const granted of GRANTS) {
            const referral = await f.referral(await consentIn(state, client, clinic, granted), own, {
              status,
              reason: REASON,
            });
            await storeNote(referral, ReferralSide.SENDER, SENDER_NOTE, new Date(Date.now() - 2000));
            await storeNote(referral, ReferralSide.RECEIVER, RECEIVER_NOTE, new Date(Date.now() - 1000));
            cases.push({ referral, state, granted });
          }
        }

        const listed = new Map((await inbox(intake.token, { serviceId: own.id })).map((node) => [node.id, node]));
        expect(listed.size).toBe(cases.length);
        for (const { referral, state, granted } of cases) {
          const single = await read(referral.id, intake.token);
          const { history, lastTransition, id: _id, ...view } = single;
          expect({ state, granted, view }).toEqual({
            state,
            granted,
            view: expectedReceiverView(status, state, granted),
          });
          expect(history).toEqual([
            {
              action: 'SEND',
              fromStatus: null,
              toStatus: 'SENT',
              side: 'SENDER',
              actorKind: 'STAFF',
              reasonCode: null,
              text: null,
            },
          ]);
          expect(lastTransition).toMatchObject({ action: 'SEND', toStatus: 'SENT' });
          expect({ state, granted, listed: listed.get(referral.id) }).toEqual({ state, granted, listed: single });
        }
      },
    );

    it('counts the same inbox it lists (totalCount, counted only when selected)', async () => {
      const own = await f.service(clinic);
      const client = await amina(shelter);
      for (const status of [ReferralStatus.SENT, ReferralStatus.CANCELLED])
        await f.referral(await f.consent(client, [clinic]), own, { status });
      const res = await t.gql<{ referrals: { totalCount: number; edges: unknown[] } }>(
        `query ($serviceId: ID) { referrals(box: INBOX, serviceId: $serviceId, first: 1) { totalCount edges { cursor } } }`,
        { serviceId: own.id },
        intake.token,
      );
      expect(dataOf(res).referrals).toMatchObject({ totalCount: 2, edges: [expect.anything()] });
    });

    it('lets the sending CASEWORKER see its client whole in every state, whatever the consent', async () => {
      const own = await f.service(clinic);
      const client = await amina(shelter);
      for (const state of CONSENT_STATES) {
        for (const status of [ReferralStatus.SENT, ReferralStatus.ON_HOLD, ReferralStatus.CANCELLED]) {
          const referral = await f.referral(await consentIn(state, client, clinic, []), own, {
            status,
            reason: REASON,
          });
          await storeNote(referral, ReferralSide.RECEIVER, RECEIVER_NOTE);
          const view = await read(referral.id, caseworker.token);
          expect({ state, status, view }).toMatchObject({
            state,
            status,
            view: {
              side: 'SENDER',
              status,
              consentActive: state === 'ACTIVE',
              reason: REASON,
              client: { id: client.id, ...AMINA, contact: AMINA_CONTACT },
              notes: [{ side: 'RECEIVER', body: RECEIVER_NOTE }],
            },
          });
        }
      }
    });
  });

  describe('revocation', () => {
    it('cancels every open referral under the consent in its transaction, and hides the client from the very next request of another session', async () => {
      const client = await amina(shelter);
      const consent = await f.consent(client, [clinic, legal], { dataCategories: ALL_CATEGORIES });
      const open = new Map<ReferralStatus, Referral>();
      for (const status of OPEN) open.set(status, await f.referral(consent, service, { status, reason: REASON }));
      const toLegal = await f.referral(consent, await f.service(legal), {
        status: ReferralStatus.ACCEPTED,
        reason: REASON,
      });
      const terminal = new Map<ReferralStatus, Referral>();
      for (const status of TERMINAL)
        terminal.set(status, await f.referral(consent, service, { status, reason: REASON }));
      const elsewhere = await f.referral(
        await f.consent(client, [clinic], { dataCategories: ALL_CATEGORIES }),
        service,
        { status: ReferralStatus.ACCEPTED, reason: REASON },
      );
      const accepted = open.get(ReferralStatus.ACCEPTED)!;

      // Both intake sessions have looked before (anything they may have cached is warm).
      expect((await read(accepted.id, intake.token)).client).toMatchObject({ legalName: AMINA.legalName });
      expect((await read(accepted.id, otherIntake.token)).client).toMatchObject({ legalName: AMINA.legalName });

      const revocation = await t.gql(REVOKE, { id: consent.id, reason: { code: 'CLIENT_WITHDREW' } }, caseworker.token);
      expect(dataOf(revocation)).toEqual({ revokeConsent: { consent: { status: 'REVOKED' } } });

      // The very next request, from the other session: status and history, no client data.
      const next = await read(accepted.id, otherIntake.token);
      expect(next).toMatchObject({
        status: 'CANCELLED',
        consentActive: false,
        sharedCategories: [],
        reason: null,
        notes: [],
      });
      expect(allNull(next.client)).toBe(true);
      expect(next.history.map((step) => step.action)).toEqual(['SEND', 'CANCEL']);
      expect(next.lastTransition).toEqual({
        action: 'CANCEL',
        fromStatus: 'ACCEPTED',
        toStatus: 'CANCELLED',
        side: 'SYSTEM',
        actorKind: 'SYSTEM',
        reasonCode: 'CONSENT_WITHDRAWN',
      });
      const listed = (await inbox(intake.token, { serviceId: service.id })).find((node) => node.id === accepted.id)!;
      expect(listed).toMatchObject({ status: 'CANCELLED', consentActive: false, reason: null });
      expect(allNull(listed.client)).toBe(true);

      const cancels = await auditRows(`action = 'referral.cancel' and request_id = ?`, [
        revocation.headers['x-request-id'],
      ]);
      expect(sorted(cancels.map((event) => event.entity_id!))).toEqual(
        sorted([...open.values(), toLegal].map((referral) => referral.id)),
      );
      for (const event of cancels) {
        expect(event).toMatchObject({
          chain_id: shelter.id,
          subject_client_id: client.id,
          category: 'UPDATE',
          details: { to: 'CANCELLED', side: 'SYSTEM', reason: 'CONSENT_WITHDRAWN' },
        });
      }

      for (const [status, referral] of open) {
        const view = await read(referral.id, intake.token);
        expect({ status, now: view.status, last: view.lastTransition }).toEqual({
          status,
          now: 'CANCELLED',
          last: {
            action: 'CANCEL',
            fromStatus: status,
            toStatus: 'CANCELLED',
            side: 'SYSTEM',
            actorKind: 'SYSTEM',
            reasonCode: 'CONSENT_WITHDRAWN',
          },
        });
        expect(allNull(view.client)).toBe(true);
        const rows = (await outbox(referral.id)).filter((row) => row.type === 'referral.cancelled');
        expect(rows.map((row) => sorted(row.organization_ids))).toEqual([sorted([shelter.id, clinic.id])]);
      }
      // Every receiver of a cancelled referral is told, whichever organization it is.
      const legalView = await read(toLegal.id, legalIntake.token);
      expect(legalView).toMatchObject({
        status: 'CANCELLED',
        consentActive: false,
        lastTransition: { action: 'CANCEL', reasonCode: 'CONSENT_WITHDRAWN' },
      });
      expect(allNull(legalView.client)).toBe(true);
      const revoked = await outbox(consent.id);
      expect(revoked.map((row) => row.type)).toEqual(['consent.revoked']);
      expect(sorted(revoked[0].organization_ids)).toEqual(sorted([shelter.id, clinic.id, legal.id]));

      for (const [status, referral] of terminal) {
        const view = await read(referral.id, caseworker.token);
        expect({ status, now: view.status, steps: view.history.length }).toEqual({ status, now: status, steps: 1 });
        expect(await outbox(referral.id)).toEqual([]);
      }

      const untouched = await read(elsewhere.id, intake.token);
      expect(untouched).toMatchObject({
        status: 'ACCEPTED',
        consentActive: true,
        reason: REASON,
        client: { preferredName: AMINA.preferredName, legalName: AMINA.legalName },
      });
      expect(untouched.history).toHaveLength(1);
    });
  });

  describe('expiry, against the clock', () => {
    it('hides the client from the first read past expiry; the sweep then cancels SENT referrals (CONSENT_EXPIRED) and leaves accepted ones hidden; a second sweep does nothing', async () => {
      const holder = await f.organization({ name: 'Expiry shelter' });
      const holderCaseworker = await f.signedIn(holder, [Role.CASEWORKER]);
      const client = await amina(holder);
      const consent = await f.consent(client, [clinic], {
        dataCategories: ALL_CATEGORIES,
        expiresAt: new Date(Date.now() + HOUR),
      });
      const sent = await f.referral(consent, service, { status: ReferralStatus.SENT, reason: REASON });
      const accepted = await f.referral(consent, service, { status: ReferralStatus.ACCEPTED, reason: REASON });
      expect((await read(sent.id, intake.token)).client).toMatchObject({
        preferredName: AMINA.preferredName,
        needs: AMINA.needs,
      });
      expect((await read(accepted.id, intake.token)).client).toMatchObject({ legalName: AMINA.legalName });

      const sweepEvents = () =>
        auditRows(`chain_id = ? and action in ('referral.expirySweep', 'referral.expire')`, [holder.id]);
      const later = new Date(consent.expiresAt.getTime() + 60_000);
      const clock = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(later);
      try {
        // Before any sweep: nothing shown, status unchanged.
        for (const referral of [sent, accepted]) {
          const view = await read(referral.id, otherIntake.token);
          expect(view).toMatchObject({
            status: referral.status,
            consentActive: false,
            sharedCategories: [],
            reason: null,
          });
          expect(allNull(view.client)).toBe(true);
        }
        const listed = (await inbox(intake.token, { serviceId: service.id })).filter(
          (node) => node.id === sent.id || node.id === accepted.id,
        );
        expect(listed).toHaveLength(2);
        expect(listed.every((node) => !node.consentActive && node.reason === null && allNull(node.client))).toBe(true);
        const holderView = await read(sent.id, holderCaseworker.token);
        expect(holderView).toMatchObject({
          consentActive: false,
          reason: REASON,
          client: { id: client.id, legalName: AMINA.legalName },
        });
        expect(await sweepEvents()).toEqual([]);

        expect(await t.app.get(ReferralSystemSteps).expireSent()).toBeGreaterThanOrEqual(1);

        const expired = await read(sent.id, intake.token);
        expect(expired.status).toBe('CANCELLED');
        expect(expired.lastTransition).toEqual({
          action: 'EXPIRE',
          fromStatus: 'SENT',
          toStatus: 'CANCELLED',
          side: 'SYSTEM',
          actorKind: 'SYSTEM',
          reasonCode: 'CONSENT_EXPIRED',
        });
        expect(allNull(expired.client)).toBe(true);
        const stillAccepted = await read(accepted.id, intake.token);
        expect(stillAccepted).toMatchObject({ status: 'ACCEPTED', consentActive: false, reason: null });
        expect(stillAccepted.history).toHaveLength(1);
        expect(allNull(stillAccepted.client)).toBe(true);

        const events = await sweepEvents();
        expect(events).toEqual([
          expect.objectContaining({
            action: 'referral.expirySweep',
            category: 'EXECUTE',
            actor_kind: 'SYSTEM',
            actor_id: null,
            details: { candidates: 1 },
          }),
          expect.objectContaining({
            action: 'referral.expire',
            category: 'UPDATE',
            actor_kind: 'SYSTEM',
            actor_id: null,
            entity_id: sent.id,
            subject_client_id: client.id,
            details: expect.objectContaining({
              from: 'SENT',
              to: 'CANCELLED',
              side: 'SYSTEM',
              reason: 'CONSENT_EXPIRED',
            }),
          }),
        ]);
        expect(
          (await outbox(sent.id))
            .filter((row) => row.type === 'referral.cancelled')
            .map((row) => sorted(row.organization_ids)),
        ).toEqual([sorted([holder.id, clinic.id])]);
        expect((await outbox(accepted.id)).filter((row) => row.type === 'referral.cancelled')).toEqual([]);

        expect(await t.app.get(ReferralSystemSteps).expireSent()).toBe(0);
        expect(await sweepEvents()).toHaveLength(2);
        expect((await read(sent.id, intake.token)).history.map((step) => step.action)).toEqual(['SEND', 'EXPIRE']);
      } finally {
        clock.mockRestore();
      }
    });
  });

  describe('accepting under a consent that expired before the sweep ran', () => {
    // Were it accepted, the sweep would leave it ACCEPTED (hidden for ever) instead of cancelling
    // it with CONSENT_EXPIRED (docs/design.md, Consent model: expiry cancels the referrals still SENT).
    it('refuses to accept a SENT referral whose consent has expired, so that the sweep still cancels it (CONSENT_EXPIRED)', async () => {
      const client = await amina(shelter);
      const consent = await f.consent(client, [clinic], {
        dataCategories: ALL_CATEGORIES,
        expiresAt: new Date(Date.now() + HOUR),
      });
      const sent = await f.referral(consent, service, { status: ReferralStatus.SENT, reason: REASON });
      const clock = jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(new Date(consent.expiresAt.getTime() + 60_000));
      try {
        const accepted = await t.gql(ACCEPT, { id: sent.id }, intake.token);
        expect(codeOf(accepted)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(accepted)).toEqual(['id']);
        await t.app.get(ReferralSystemSteps).expireSent();
        expect((await read(sent.id, intake.token)).lastTransition).toMatchObject({
          action: 'EXPIRE',
          toStatus: 'CANCELLED',
          reasonCode: 'CONSENT_EXPIRED',
        });
      } finally {
        clock.mockRestore();
      }
    });
  });

  describe('what blocks sendReferral', () => {
    let client: Client;
    let consent: Consent;
    const attempt = (overrides: Record<string, unknown>) =>
      t.gql<{ sendReferral: { referral: { id: string; status: string } } }>(
        SEND,
        { input: { clientId: client.id, serviceId: service.id, consentId: consent.id, reason: REASON, ...overrides } },
        caseworker.token,
      );

    beforeAll(async () => {
      client = await amina(shelter);
      consent = await f.consent(client, [clinic], { dataCategories: [NEEDS] });
    });

    it.each([
      ['a refused consent (no recipients)', (c: Client) => f.consent(c, [])],
      ['a revoked consent', (c: Client) => f.consent(c, [clinic], { revoked: true })],
      [
        'an expired consent',
        (c: Client) =>
          f.consent(c, [clinic], { givenAt: new Date(Date.now() - 10 * DAY), expiresAt: new Date(Date.now() - DAY) }),
      ],
      ['a consent not naming the receiving organization', (c: Client) => f.consent(c, [legal])],
      ['a consent of another client of the organization', async () => f.consent(await f.client(shelter), [clinic])],
    ])('refuses %s with BAD_USER_INPUT on input.consentId', async (_case, make) => {
      const blocked = await make(client);
      const res = await attempt({ consentId: blocked.id });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['input.consentId']);
    });

    it.each([
      ['INACTIVE', { status: ServiceStatus.INACTIVE }],
      ['TEMPORARILY_CLOSED', { status: ServiceStatus.TEMPORARILY_CLOSED }],
      ['not accepting referrals', { acceptsReferrals: false }],
    ] as const)('refuses a service that is %s with BAD_USER_INPUT on input.serviceId', async (_case, changes) => {
      const closed = await f.service(clinic);
      await setService(closed.id, changes);
      const res = await attempt({ serviceId: closed.id });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['input.serviceId']);
    });

    it("refuses the organization's own service with BAD_USER_INPUT on input.serviceId", async () => {
      const own = await f.service(shelter);
      const res = await attempt({ serviceId: own.id });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['input.serviceId']);
    });

    it.each([
      ["another organization's client", async () => ({ clientId: (await f.client(clinic)).id })],
      [
        "another organization's consent",
        async () => ({ consentId: (await f.consent(await f.client(clinic), [legal])).id }),
      ],
      ['an unknown client', () => Promise.resolve({ clientId: randomUUID() })],
      ['an unknown consent', () => Promise.resolve({ consentId: randomUUID() })],
      ['an unknown service', () => Promise.resolve({ serviceId: randomUUID() })],
    ])('answers NOT_FOUND for %s', async (_case, make) => {
      const res = await attempt(await make());
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(res.data).toBeNull();
    });

    it('sent nothing for any refused attempt, and sends under the consent that covers the receiver', async () => {
      expect(await t.orm.em.fork().count(Referral, { client: client.id })).toBe(0);
      expect(dataOf(await attempt({})).sendReferral.referral.status).toBe('SENT');
    });
  });

  describe('READ events for every look at client data', () => {
    let hub: Organization;
    let hubIntake: { token: string };
    let client: Client;
    let open: Referral[];
    let closed: Referral[];
    const READS = `query { referrals(box: INBOX, first: 100) { edges { node { id reason client { preferredName needs } } } } }`;
    const countReads = async (action: string) => (await auditRows('action = ?', [action])).length;

    beforeAll(async () => {
      hub = await f.organization({ name: 'Food bank' });
      const hubService = await f.service(hub);
      hubIntake = await f.signedIn(hub, [Role.INTAKE]);
      client = await amina(shelter);
      const consent = await f.consent(client, [hub], { dataCategories: [NEEDS, CONTACT, NOTES] });
      open = [];
      for (const status of [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS])
        open.push(await f.referral(consent, hubService, { status }));
      closed = [];
      for (const status of [ReferralStatus.COMPLETED, ReferralStatus.DECLINED])
        closed.push(await f.referral(consent, hubService, { status }));
    });

    it('records exactly one referral.client.read per referral shown on an inbox page, in the reader’s chain, and nothing else', async () => {
      const before = await countReads('referral.client.read');
      const res = await t.gql<{ referrals: { edges: { node: { id: string; client: Record<string, unknown> } }[] } }>(
        READS,
        {},
        hubIntake.token,
      );
      expect(dataOf(res).referrals.edges).toHaveLength(open.length + closed.length);
      expect((await countReads('referral.client.read')) - before).toBe(open.length);

      const rows = await rowsOfRequest(res);
      expect(sorted(rows.map((row) => row.entity_id!))).toEqual(sorted(open.map((referral) => referral.id)));
      for (const row of rows) {
        expect(row).toMatchObject({
          action: 'referral.client.read',
          category: 'READ',
          purpose: 'REFERRAL',
          subject_client_id: client.id,
          chain_id: hub.id,
          actor_kind: 'STAFF',
          actor_roles: ['INTAKE'],
        });
      }
    });

    it('records nothing when only the record (id, status) is selected', async () => {
      const res = await t.gql(
        `query { referrals(box: INBOX, first: 100) { edges { node { id status } } } }`,
        {},
        hubIntake.token,
      );
      expect(dataOf(res)).toBeDefined();
      expect(await rowsOfRequest(res)).toEqual([]);
    });

    it('records nothing for terminal referrals, where the receiver is shown nothing', async () => {
      const res = await t.gql<{
        referrals: { edges: { node: { id: string; reason: string | null; client: Record<string, unknown> } }[] };
      }>(
        `query ($status: [ReferralStatus!]) { referrals(box: INBOX, status: $status, first: 100) { edges { node { id reason client { preferredName needs } } } } }`,
        { status: ['COMPLETED', 'DECLINED'] },
        hubIntake.token,
      );
      const nodes = dataOf(res).referrals.edges.map((edge) => edge.node);
      expect(sorted(nodes.map((node) => node.id))).toEqual(sorted(closed.map((referral) => referral.id)));
      expect(nodes.every((node) => node.reason === null && allNull(node.client))).toBe(true);
      expect(await rowsOfRequest(res)).toEqual([]);
    });

    it('records referral.notes.read when note bodies are selected', async () => {
      const [, accepted] = open;
      await storeNote(accepted, ReferralSide.SENDER, SENDER_NOTE);
      const res = await t.gql<{ referral: { notes: { body: string | null }[] } }>(
        `query ($id: ID!) { referral(id: $id) { notes { body } } }`,
        { id: accepted.id },
        hubIntake.token,
      );
      expect(dataOf(res).referral.notes).toEqual([{ body: SENDER_NOTE }]);
      const rows = await rowsOfRequest(res);
      expect(rows).toEqual([
        expect.objectContaining({
          action: 'referral.notes.read',
          category: 'READ',
          purpose: 'REFERRAL',
          entity_id: accepted.id,
          subject_client_id: client.id,
          chain_id: hub.id,
        }),
      ]);
    });

    it('records no referral.notes.read when every body selected is hidden (the sender’s notes while SENT)', async () => {
      const [sent] = open;
      await storeNote(sent, ReferralSide.SENDER, SENDER_NOTE);
      const res = await t.gql<{ referral: { notes: { side: string; body: string | null }[] } }>(
        `query ($id: ID!) { referral(id: $id) { notes { side body } } }`,
        { id: sent.id },
        hubIntake.token,
      );
      expect(dataOf(res).referral.notes).toEqual([{ side: 'SENDER', body: null }]);
      expect(
        (await rowsOfRequest(res)).filter((row) => row.action.startsWith('referral.') && row.action.endsWith('.read')),
      ).toEqual([]);
    });

    it('returns no client data when its READ events cannot be written (no event, no data)', async () => {
      const [, accepted] = open;
      const single = `query ($id: ID!) { referral(id: $id) { id status reason client { preferredName needs contact { phone } } } }`;
      const responses: GraphQLResponse<unknown>[] = [];
      await superuserQuery(t.database.name, 'revoke insert on audit_event from harbour_app');
      try {
        responses.push(
          await t.gql(single, { id: accepted.id }, hubIntake.token),
          await t.gql(READS, {}, hubIntake.token),
        );
      } finally {
        await superuserQuery(t.database.name, 'grant insert on audit_event to harbour_app');
      }
      for (const res of responses) {
        expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
        expect(JSON.stringify(res.data ?? null)).not.toMatch(/Amina|check-up|555/);
      }
    });

    it("lists those reads in the sending CASEWORKER's clientAccessReport, as the receiving organization's INTAKE", async () => {
      const report = dataOf(
        await t.gql<{
          clientAccessReport: {
            edges: { node: Record<string, unknown> & { action: string; organization: { id: string } | null } }[];
          };
        }>(ACCESS_REPORT, { clientId: client.id }, caseworker.token),
      );
      const byHub = report.clientAccessReport.edges
        .map((edge) => edge.node)
        .filter((node) => node.organization?.id === hub.id);
      const clientReads = byHub.filter((node) => node.action === 'referral.client.read');
      expect(clientReads).toHaveLength(open.length);
      for (const node of [...clientReads, ...byHub.filter((n) => n.action === 'referral.notes.read')]) {
        expect(node).toEqual({
          action: node.action,
          category: 'READ',
          purpose: 'REFERRAL',
          actorKind: 'STAFF',
          actorRoles: ['INTAKE'],
          actorId: null,
          organization: { id: hub.id },
        });
      }
      expect(byHub.filter((node) => node.action === 'referral.notes.read')).toHaveLength(1);
    });

    it('answers only once the READ events of what it shows are committed: while they cannot be, the response waits', async () => {
      await t.gql(READS, {}, hubIntake.token); // the chain's head exists
      const before = await countReads('referral.client.read');
      const locker = new PgClient({ connectionString: t.database.appUrl });
      await locker.connect();
      try {
        // Holds the reader's chain head, as a long append of another request would.
        await locker.query('begin');
        await locker.query('select seq from audit_chain_head where chain_id = $1 for update', [hub.id]);
        let answered = false;
        const response = t.gql<{ referrals: { edges: { node: { client: { preferredName: string } } }[] } }>(
          READS,
          {},
          hubIntake.token,
        );
        void response.then(() => (answered = true));
        await new Promise((resolve) => setTimeout(resolve, 750));
        expect(answered).toBe(false);
        expect(await countReads('referral.client.read')).toBe(before);
        await locker.query('rollback');
        const shown = dataOf(await response).referrals.edges.filter((edge) => edge.node.client.preferredName);
        expect(shown).toHaveLength(open.length);
        expect((await countReads('referral.client.read')) - before).toBe(open.length);
      } finally {
        await locker.end();
      }
    });
  });

  describe('status-blind free text', () => {
    const STATUS_TEXT = 'She has no papers; asylum claim pending';

    it('sends, notes and holds with a STATUS_INFORMATION warning, and the text reaches neither the audit log, the outbox nor the logs', async () => {
      const client = await amina(shelter);
      const consent = await f.consent(client, [clinic], { dataCategories: [NEEDS, NOTES] });
      const sent = dataOf(
        await t.gql<{
          sendReferral: {
            referral: { id: string; status: string; reason: string };
            warnings: { field: string; code: string }[];
          };
        }>(
          SEND,
          { input: { clientId: client.id, serviceId: service.id, consentId: consent.id, reason: STATUS_TEXT } },
          caseworker.token,
        ),
      ).sendReferral;
      expect(sent.referral).toMatchObject({ status: 'SENT', reason: STATUS_TEXT });
      expect(sent.warnings).toEqual([{ field: 'input.reason', code: 'STATUS_INFORMATION' }]);
      const id = sent.referral.id;

      const note = dataOf(
        await t.gql<{ addReferralNote: { warnings: unknown[] } }>(
          NOTE,
          { input: { referralId: id, body: STATUS_TEXT } },
          caseworker.token,
        ),
      );
      expect(note.addReferralNote.warnings).toEqual([{ field: 'input.body', code: 'STATUS_INFORMATION' }]);
      expect((await read(id, intake.token)).reason).toBe(STATUS_TEXT);
      dataOf(await t.gql(ACCEPT, { id }, intake.token));
      const held = dataOf(
        await t.gql<{ holdReferral: { warnings: unknown[] } }>(
          HOLD,
          { id, reason: { code: 'OTHER', text: STATUS_TEXT } },
          intake.token,
        ),
      );
      expect(held.holdReferral.warnings).toEqual([{ field: 'reason.text', code: 'STATUS_INFORMATION' }]);
      const receiverNote = dataOf(
        await t.gql<{ addReferralNote: { warnings: unknown[] } }>(
          NOTE,
          { input: { referralId: id, body: STATUS_TEXT } },
          intake.token,
        ),
      );
      expect(receiverNote.addReferralNote.warnings).toEqual([{ field: 'input.body', code: 'STATUS_INFORMATION' }]);
      // Both sides read it all back (READ events for reason, notes and the history's words).
      expect((await read(id, caseworker.token)).notes.map((n) => n.body)).toEqual([STATUS_TEXT, STATUS_TEXT]);
      expect((await read(id, intake.token)).notes.map((n) => n.body)).toEqual([STATUS_TEXT, STATUS_TEXT]);

      const [send] = await auditRows(`action = 'referral.send' and entity_id = ?`, [id]);
      expect(send.details).toMatchObject({ warnings: ['input.reason'] });
      for (const table of ['audit_event', 'outbox_event']) {
        const [{ n }] = await superuserQuery<{ n: number }>(
          t.database.name,
          `select count(*)::int as n from ${table} row where row::text ilike $1 or row::text ilike $2`,
          ['%papers%', '%asylum%'],
        );
        expect({ table, n }).toEqual({ table, n: 0 });
      }
      expect((await auditRows(`entity_id = ?`, [id])).length).toBeGreaterThan(5);
      expect(t.logs.filter((line) => /papers|asylum/i.test(line))).toEqual([]);
    });
  });
});
