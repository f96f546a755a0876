/**
 * The change feed (`referralChanges`, src/modules/partner-events): what a partner that was offline
 * reads to catch up. Every change its organization is told about, once, in commit order, after an
 * opaque cursor (exclusive) — also when transactions commit out of order — with the side of a
 * referral the caller's role may read, ids only.
 */
import { ApiScope, Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { ConsentDataCategory } from '../../src/modules/consent/consent.enums';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import { Fixtures } from '../support/fixtures';
import { codeOf, dataOf } from '../support/responses';
import { startTestApp, type TestApp } from '../support/test-app';

const CHANGES = `query ($after: String, $first: Int, $types: [WebhookEventType!]) {
  referralChanges(after: $after, first: $first, types: $types) {
    totalCount
    edges { cursor node { id type occurredAt referralId status previousStatus version serviceId
      sendingOrganizationId receivingOrganizationId actingOrganizationId noteId consentId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;
const SEND = `mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }`;
const ACCEPT = `mutation ($id: ID!) { acceptReferral(id: $id) { referral { id } } }`;
const NOTE = `mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }`;
const REVOKE = `mutation ($id: ID!) { revokeConsent(id: $id, reason: { code: CLIENT_WITHDREW }) { consent { id } } }`;

interface Change {
  id: string;
  type: string;
  occurredAt: string;
  referralId: string | null;
  status: string | null;
  previousStatus: string | null;
  version: number | null;
  serviceId: string | null;
  sendingOrganizationId: string | null;
  receivingOrganizationId: string | null;
  actingOrganizationId: string | null;
  noteId: string | null;
  consentId: string | null;
}
interface Page {
  totalCount: number;
  edges: { cursor: string; node: Change }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

let t: TestApp;
let f: Fixtures;

beforeAll(async () => {
  t = await startTestApp();
  f = new Fixtures(t);
});
afterAll(() => t?.close());

async function page(credential: string, variables: Record<string, unknown> = {}): Promise<Page> {
  return dataOf(await t.gql<{ referralChanges: Page }>(CHANGES, { first: 100, ...variables }, credential))
    .referralChanges;
}

/** Every change after `after`, following `endCursor` page by page. */
async function all(credential: string, variables: Record<string, unknown> = {}): Promise<Change[]> {
  const changes: Change[] = [];
  let after = (variables.after as string | undefined) ?? null;
  for (;;) {
    const p = await page(credential, { ...variables, after });
    changes.push(...p.edges.map((edge) => edge.node));
    if (!p.pageInfo.hasNextPage) return changes;
    after = p.pageInfo.endCursor;
  }
}

/**
 * Waits until the feed shows `count` changes to this credential. Transactions of other test files
 * share the cluster's transaction ids and hold the feed back while they run: a committed change can
 * take a moment to appear, and then stays.
 */
async function settled(credential: string, count: number, variables: Record<string, unknown> = {}) {
  for (let i = 0; i < 250; i++) {
    const changes = await all(credential, variables);
    if (changes.length >= count) return changes;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the feed never showed ${count} changes`);
}

/** A shelter and a clinic, each with its people and a partner system, a client and a consent naming the clinic. */
async function network() {
  const shelter = await f.organization({ name: `Shelter ${randomUUID().slice(0, 8)}` });
  const clinic = await f.organization({ name: `Clinic ${randomUUID().slice(0, 8)}` });
  const caseworker = (await f.signedIn(shelter, [Role.CASEWORKER])).token;
  const shelterIntake = (await f.signedIn(shelter, [Role.INTAKE])).token;
  const intake = (await f.signedIn(clinic, [Role.INTAKE])).token;
  const clinicCaseworker = (await f.signedIn(clinic, [Role.CASEWORKER])).token;
  const clinicKey = (await f.apiClient(clinic, [ApiScope.REFERRALS_READ])).key;
  const shelterKey = (await f.apiClient(shelter, [ApiScope.REFERRALS_READ])).key;
  const client = await f.client(shelter, { preferredName: 'Amina Quetzal', needs: 'Asthma inhaler' });
  const consent = await f.consent(client, [clinic], {
    dataCategories: [ConsentDataCategory.NEEDS, ConsentDataCategory.NOTES],
  });
  const service = await f.service(clinic);
  const send = async () =>
    dataOf(
      await t.gql<{ sendReferral: { referral: { id: string } } }>(
        SEND,
        {
          i: {
            clientId: client.id,
            serviceId: service.id,
            consentId: consent.id,
            reason: 'Needs an inhaler refill near Maple Street',
          },
        },
        caseworker,
      ),
    ).sendReferral.referral.id;
  return {
    shelter,
    clinic,
    caseworker,
    shelterIntake,
    intake,
    clinicCaseworker,
    clinicKey,
    shelterKey,
    consent,
    service,
    send,
  };
}

describe('referralChanges', () => {
  it("shows a referral's changes to both parties, once each, in commit order, with ids only", async () => {
    const n = await network();
    const referralId = await n.send();
    dataOf(await t.gql(ACCEPT, { id: referralId }, n.intake));
    const noteId = dataOf(
      await t.gql<{ addReferralNote: { note: { id: string } } }>(
        NOTE,
        { i: { referralId, body: 'Seen on Tuesday at Maple Street' } },
        n.intake,
      ),
    ).addReferralNote.note.id;

    const forClinic = await settled(n.clinicKey, 3);
    const forShelter = await settled(n.shelterKey, 3);
    expect(forClinic.map((c) => c.type)).toEqual(['REFERRAL_SENT', 'REFERRAL_ACCEPTED', 'REFERRAL_NOTE_ADDED']);
    // One event, one id for every party (and for the webhooks: the outbox event's id).
    expect(forShelter).toEqual(forClinic);
    const [sent, accepted, note] = forClinic;
    const common = {
      referralId,
      serviceId: n.service.id,
      sendingOrganizationId: n.shelter.id,
      receivingOrganizationId: n.clinic.id,
      consentId: null,
    };
    expect(sent).toMatchObject({
      ...common,
      status: 'SENT',
      previousStatus: null,
      version: 1,
      actingOrganizationId: n.shelter.id,
      noteId: null,
    });
    expect(accepted).toMatchObject({
      ...common,
      status: 'ACCEPTED',
      previousStatus: 'SENT',
      version: 2,
      actingOrganizationId: n.clinic.id,
    });
    expect(note).toMatchObject({ ...common, status: 'ACCEPTED', actingOrganizationId: n.clinic.id, noteId });
    const [row] = await t.orm.em
      .fork()
      .execute<{ id: string }[]>(`select id from outbox_event where aggregate_id = ? and type = 'referral.sent'`, [
        referralId,
      ]);
    expect(sent.id).toBe(row.id);
    // Ids, statuses and numbers only: nothing of the client, the reason or the note.
    const text = JSON.stringify(forClinic);
    for (const word of ['Amina', 'Maple', 'inhaler', 'Tuesday']) expect(text).not.toContain(word);
  });

  it('pages after the cursor, exclusive, and never repeats or skips a change', async () => {
    const n = await network();
    for (let i = 0; i < 3; i++) await n.send();
    const everything = await settled(n.clinicKey, 3);

    const seen: string[] = [];
    let after: string | null = null;
    let previous = false;
    for (let i = 0; i < 10; i++) {
      const p = await page(n.clinicKey, { first: 1, after });
      expect(p.pageInfo.hasPreviousPage).toBe(previous);
      expect(p.totalCount).toBe(3);
      if (p.edges.length === 0) {
        expect(p.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
        break;
      }
      seen.push(p.edges[0].node.id);
      expect(p.pageInfo.endCursor).toBe(p.edges[0].cursor);
      after = p.pageInfo.endCursor;
      previous = true;
    }
    expect(seen).toEqual(everything.map((c) => c.id));

    // A partner that comes back later continues from its last cursor and sees only what is new.
    const last = after;
    const next = await n.send();
    const fresh = await settled(n.clinicKey, 1, { after: last });
    expect(fresh.map((c) => c.referralId)).toEqual([next]);
  });

  it('filters by type, and a cursor keeps its place in the feed when the filter changes', async () => {
    const n = await network();
    const first = await n.send();
    dataOf(await t.gql(ACCEPT, { id: first }, n.intake));
    await n.send();
    await settled(n.clinicKey, 3);

    const accepted = await all(n.clinicKey, { types: ['REFERRAL_ACCEPTED'] });
    expect(accepted.map((c) => [c.type, c.referralId])).toEqual([['REFERRAL_ACCEPTED', first]]);
    const [firstSent] = (await page(n.clinicKey, { first: 1, types: ['REFERRAL_SENT'] })).edges;
    const afterIt = await all(n.clinicKey, { after: firstSent.cursor });
    expect(afterIt.map((c) => c.type)).toEqual(['REFERRAL_ACCEPTED', 'REFERRAL_SENT']);
  });

  it('shows each role the side of a referral it may read, and nothing to a third organization', async () => {
    const n = await network();
    const referralId = await n.send();
    dataOf(await t.gql(ACCEPT, { id: referralId }, n.intake));
    await settled(n.clinicKey, 2);
    await settled(n.shelterKey, 2);

    // The sender's caseworker and the receiver's intake see the referral; the other box's roles do not.
    expect(await settled(n.caseworker, 2)).toHaveLength(2);
    expect(await settled(n.intake, 2)).toHaveLength(2);
    expect(await all(n.shelterIntake)).toEqual([]);
    expect(await all(n.clinicCaseworker)).toEqual([]);

    const stranger = await f.organization({ name: `Legal clinic ${randomUUID().slice(0, 8)}` });
    expect(await all((await f.apiClient(stranger, [ApiScope.REFERRALS_READ])).key)).toEqual([]);
    expect(await all((await f.signedIn(stranger, [Role.INTAKE, Role.CASEWORKER])).token)).toEqual([]);
  });

  it('tells the holder and every organization that received a referral under it that a consent was revoked', async () => {
    const n = await network();
    const namedOnly: Organization = await f.organization({ name: `Named only ${randomUUID().slice(0, 8)}` });
    await n.send();
    dataOf(await t.gql(REVOKE, { id: n.consent.id }, n.caseworker));

    const revoked = (changes: Change[]) => changes.filter((c) => c.type === 'CONSENT_REVOKED');
    for (const key of [n.clinicKey, n.shelterKey]) {
      const [change] = revoked(await settled(key, 1, { types: ['CONSENT_REVOKED'] }));
      expect(change).toMatchObject({
        consentId: n.consent.id,
        actingOrganizationId: n.shelter.id,
        referralId: null,
        status: null,
        version: null,
        sendingOrganizationId: null,
        receivingOrganizationId: null,
      });
    }
    // The referral under it was cancelled by Harbour, and both sides hear of that too.
    const cancelled = (await settled(n.clinicKey, 3)).filter((c) => c.type === 'REFERRAL_CANCELLED');
    expect(cancelled).toHaveLength(1);
    expect(await all((await f.apiClient(namedOnly, [ApiScope.REFERRALS_READ])).key)).toEqual([]);
  });

  it('never skips a change whose transaction commits after a newer one', async () => {
    const n = await network();
    const start = (await settled(n.clinicKey, 0)).length;
    expect(start).toBe(0);
    // An older transaction writes an event for the clinic and stays open…
    const slow = new PgClient({ connectionString: t.database.appUrl });
    await slow.connect();
    try {
      await slow.query('begin');
      const late = randomUUID();
      await slow.query(
        `insert into outbox_event (id, type, organization_ids, aggregate_type, aggregate_id, acting_organization_id, data)
         values ($1, 'consent.revoked', $2, 'Consent', $3, $4, $5)`,
        [late, [n.clinic.id], randomUUID(), n.shelter.id, { consentId: randomUUID() }],
      );
      // …while a newer one commits a referral: the feed holds it back rather than hand it out first.
      await n.send();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await all(n.clinicKey)).toEqual([]);

      await slow.query('commit');
      const changes = await settled(n.clinicKey, 2);
      expect(changes.map((c) => c.type)).toEqual(['CONSENT_REVOKED', 'REFERRAL_SENT']);
      expect(changes[0].id).toBe(late);
    } finally {
      await slow.end();
    }
  });

  it('refuses a cursor it did not hand out, naming the argument', async () => {
    const n = await network();
    for (const after of ['nonsense', Buffer.from('f1:1').toString('base64url'), 'v1:' + 'A'.repeat(100)]) {
      const response = await t.gql(CHANGES, { after, first: 10 }, n.clinicKey);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(response.errors)).toContain('"after"');
    }
    expect(codeOf(await t.gql(CHANGES, { first: 101 }, n.clinicKey))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(CHANGES, { types: ['NOT_A_TYPE'] }, n.clinicKey))).toBe('BAD_USER_INPUT');
  });

  it('needs a credential that may read referrals', async () => {
    const n = await network();
    expect(codeOf(await t.gql(CHANGES, {}))).toBe('UNAUTHENTICATED');
    const directoryOnly = (await f.apiClient(n.clinic, [ApiScope.DIRECTORY_WRITE])).key;
    expect(codeOf(await t.gql(CHANGES, {}, directoryOnly))).toBe('FORBIDDEN');
    const admin = (await f.signedIn(n.clinic, [Role.ORG_ADMIN])).token;
    expect(codeOf(await t.gql(CHANGES, {}, admin))).toBe('FORBIDDEN');
  });
});
