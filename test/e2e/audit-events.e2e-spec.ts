/**
 * Reading the audit log (`auditEvents`, issue 3 §5): what each kind of auditor sees, how the
 * filters and the pages behave, pseudonyms of other organizations' clients, and that every read of
 * the log is itself recorded. Also the batched read API of the trail (`AuditTrail.recordReads`).
 */
import { AuditActorKind, AuditCategory, AuditTrail, type AuditContext, type AuditEventInput } from '@harbour/audit';
import { ApiScope, Role } from '@harbour/authz';
import { encodeCursor } from '@harbour/graphql-kit';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Organization } from '../../src/modules/organizations/organization.entity';
import type { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { Fixtures, type StaffFixture } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

const EVENTS = `query ($first: Int, $after: String, $filter: AuditEventsFilterInput) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node {
      chainId seq recordedAt actorKind actorId actorOrganizationId actorRoles action category entityType entityId
      subjectClientId purpose outcome requestId sourceAddress details prevHash hash
    } }
  }
}`;
const CREATE_LOCATION = 'mutation ($i: CreateLocationInput!) { createLocation(input: $i) { location { id } } }';
const UPDATE_SERVICE =
  'mutation ($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { service { id } } }';

interface EventNode {
  chainId: string;
  seq: string;
  recordedAt: string;
  actorKind: string;
  actorId: string | null;
  actorOrganizationId: string | null;
  actorRoles: string[];
  action: string;
  category: string;
  entityType: string | null;
  entityId: string | null;
  subjectClientId: string | null;
  purpose: string | null;
  outcome: string;
  requestId: string | null;
  sourceAddress: string | null;
  details: string;
  prevHash: string;
  hash: string;
}
/** `totalCount` and `seq` are Int64: decimal strings. */
interface Page {
  totalCount: string;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  nodes: EventNode[];
  cursors: string[];
}
type Filter = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const PSEUDONYM = /^pseud_[0-9a-f]{32}$/;

const key = (e: Pick<EventNode, 'chainId' | 'seq'>) => `${e.chainId}/${e.seq}`;

/** The documented order: recordedAt, then chainId, then seq, all descending. */
function inListOrder(a: EventNode, b: EventNode): number {
  const time = Date.parse(b.recordedAt) - Date.parse(a.recordedAt);
  if (time !== 0) return time;
  if (a.chainId !== b.chainId) return a.chainId < b.chainId ? 1 : -1;
  return Number(BigInt(b.seq) - BigInt(a.seq));
}

function readerContext(organizationId: string): AuditContext {
  return {
    actorKind: AuditActorKind.STAFF,
    actorId: randomUUID(),
    organizationId,
    roles: [Role.CASEWORKER],
    requestId: randomUUID(),
    sourceAddress: '127.0.0.1',
  };
}

function clientRead(clientId: string): AuditEventInput {
  return {
    action: 'client.read',
    category: AuditCategory.READ,
    entityType: 'Client',
    entityId: clientId,
    subjectClientId: clientId,
    purpose: 'REFERRAL',
  };
}

describe('auditEvents', () => {
  let t: TestApp;
  let f: Fixtures;
  let operator: Organization;
  let networkAuditor: StaffFixture & { token: string };

  async function page(
    token: string,
    variables: { first?: number; after?: string | null; filter?: Filter } = {},
  ): Promise<Page> {
    const res = await t.gql<{
      auditEvents: { totalCount: string; pageInfo: Page['pageInfo']; edges: { cursor: string; node: EventNode }[] };
    }>(EVENTS, variables, token);
    expect(res.errors).toBeUndefined();
    const { totalCount, pageInfo, edges } = res.data!.auditEvents;
    return { totalCount, pageInfo, nodes: edges.map((e) => e.node), cursors: edges.map((e) => e.cursor) };
  }

  async function refusal(
    token: string | undefined,
    variables: Record<string, unknown>,
  ): Promise<{ code: unknown; fields: string[] }> {
    const res = await t.gql(EVENTS, variables, token);
    expect(res.data?.auditEvents ?? null).toBeNull();
    const error = res.errors![0];
    const fields = ((error.extensions?.fields as { field: string }[] | undefined) ?? []).map((p) => p.field);
    return { code: error.extensions?.code, fields: [...new Set(fields)] };
  }

  const count = async (where: string, params: unknown[] = []) =>
    Number(
      (
        await t.orm.em
          .fork()
          .getConnection()
          .execute<{ n: string }[]>(`select count(*) as n from audit_event where ${where}`, params)
      )[0].n,
    );

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    operator = await f.operator();
    networkAuditor = await f.signedIn(operator, [Role.AUDITOR]);
  });
  afterAll(() => t.close());

  describe('events of real audited operations', () => {
    it('shows a mutation with its actor, organization, roles, entity, request id and outcome', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const auditor = await f.signedIn(org, [Role.AUDITOR]);
      const created = await t.gql<{ createLocation: { location: { id: string } } }>(
        CREATE_LOCATION,
        { i: { name: 'Phone line', kind: 'VIRTUAL', url: 'https://example.test/phone' } },
        admin.token,
      );
      expect(created.errors).toBeUndefined();
      const locationId = created.data!.createLocation.location.id;

      const { nodes } = await page(auditor.token, { filter: { action: 'location.create' } });
      expect(nodes).toHaveLength(1);
      expect(nodes[0]).toMatchObject({
        chainId: org.id,
        actorKind: 'STAFF',
        actorId: admin.accountId,
        actorOrganizationId: org.id,
        actorRoles: ['ORG_ADMIN'],
        action: 'location.create',
        category: 'CREATE',
        entityType: 'Location',
        entityId: locationId,
        subjectClientId: null,
        outcome: 'SUCCESS',
        requestId: created.headers['x-request-id'],
      });
      expect(created.headers['x-request-id']).toMatch(UUID);
      expect(nodes[0].seq).toMatch(/^[1-9]\d*$/);
      expect(nodes[0].hash).toMatch(HEX64);
      expect(nodes[0].prevHash).toMatch(HEX64);
      expect(JSON.parse(nodes[0].details)).toEqual({});
      expect(Number.isNaN(Date.parse(nodes[0].recordedAt))).toBe(false);
    });

    it('links each event to the previous one of its chain', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const auditor = await f.signedIn(org, [Role.AUDITOR]);
      const service = await f.service(org);
      for (const capacity of ['FULL', 'WAITLIST', 'AVAILABLE'])
        await t.gql(UPDATE_SERVICE, { id: service.id, i: { capacity } }, admin.token);
      const { nodes } = await page(auditor.token, { filter: { action: 'service.update' } });
      const bySeq = [...nodes].sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
      expect(bySeq).toHaveLength(3);
      // Nothing else happened in this organization meanwhile: the three are consecutive.
      for (let i = 1; i < bySeq.length; i++) {
        expect(BigInt(bySeq[i].seq)).toBe(BigInt(bySeq[i - 1].seq) + 1n);
        expect(bySeq[i].prevHash).toBe(bySeq[i - 1].hash);
      }
      expect(JSON.parse(bySeq[0].details)).toEqual({ fields: ['capacity'] });
    });
  });

  describe('filters', () => {
    /** One organization with a known set of events; its auditor reads them. */
    const w = {} as {
      org: Organization;
      admin: StaffFixture & { token: string };
      auditor: StaffFixture & { token: string };
      service: ServiceOffering;
      clientX: string;
      clientY: string;
      reader: AuditContext;
      all: EventNode[];
    };

    beforeAll(async () => {
      w.org = await f.organization();
      const other = await f.organization();
      w.admin = await f.signedIn(w.org, [Role.ORG_ADMIN]);
      w.auditor = await f.signedIn(w.org, [Role.AUDITOR]);
      w.service = await f.service(w.org);
      const othersService = await f.service(other);
      for (const name of ['Front desk', 'Phone line']) {
        await t.gql(CREATE_LOCATION, { i: { name, kind: 'VIRTUAL', url: 'https://example.test/l' } }, w.admin.token);
      }
      await t.gql(UPDATE_SERVICE, { id: w.service.id, i: { capacity: 'FULL' } }, w.admin.token);
      const denied = await t.gql(UPDATE_SERVICE, { id: othersService.id, i: { capacity: 'FULL' } }, w.admin.token);
      expect(denied.errors![0].extensions!.code).toBe('NOT_FOUND');
      w.clientX = randomUUID();
      w.clientY = randomUUID();
      w.reader = readerContext(w.org.id);
      await t.app
        .get(AuditTrail)
        .recordReads(w.reader, [clientRead(w.clientX), clientRead(w.clientX), clientRead(w.clientY)]);
      // Reading the log adds audit.read events as we go: compare against this snapshot only.
      w.all = (await page(w.auditor.token, { first: 100 })).nodes;
    });

    /** Results restricted to the events of the snapshot (later audit.read events set aside). */
    const inSnapshot = (nodes: EventNode[]) => {
      const known = new Set(w.all.map(key));
      return nodes.filter((n) => known.has(key(n))).map(key);
    };
    const times = () => w.all.map((e) => e.recordedAt);
    const firstOf = (action: string) => w.all.filter((e) => e.action === action).at(-1)!;

    const CASES: [string, () => Filter, (e: EventNode) => boolean][] = [
      [
        'from',
        () => ({ from: firstOf('service.update').recordedAt }),
        (e) => Date.parse(e.recordedAt) >= Date.parse(firstOf('service.update').recordedAt),
      ],
      [
        'to',
        () => ({ to: firstOf('client.read').recordedAt }),
        (e) => Date.parse(e.recordedAt) < Date.parse(firstOf('client.read').recordedAt),
      ],
      ['actorId', () => ({ actorId: w.admin.accountId }), (e) => e.actorId === w.admin.accountId],
      ['action', () => ({ action: 'location.create' }), (e) => e.action === 'location.create'],
      ['entityType', () => ({ entityType: 'Service' }), (e) => e.entityType === 'Service'],
      ['entityId', () => ({ entityId: w.service.id }), (e) => e.entityId === w.service.id],
      ['subjectClientId', () => ({ subjectClientId: w.clientX }), (e) => e.subjectClientId === w.clientX],
      ['outcome', () => ({ outcome: 'DENIED' }), (e) => e.outcome === 'DENIED'],
      ['organizationId (own)', () => ({ organizationId: w.org.id }), () => true],
      [
        'several combined',
        () => ({
          from: times().at(-1),
          action: 'client.read',
          entityType: 'Client',
          subjectClientId: w.clientX,
          outcome: 'SUCCESS',
          actorId: w.reader.actorId,
        }),
        (e) =>
          e.action === 'client.read' &&
          e.subjectClientId === w.clientX &&
          e.outcome === 'SUCCESS' &&
          e.actorId === w.reader.actorId,
      ],
      ['a combination nothing matches', () => ({ action: 'location.create', outcome: 'DENIED' }), () => false],
    ];

    it.each(CASES)('%s', async (name, filter, matches) => {
      const expected = w.all.filter(matches).map(key);
      if (name !== 'organizationId (own)') expect(expected.length).toBeLessThan(w.all.length);
      if (name !== 'a combination nothing matches') expect(expected.length).toBeGreaterThan(0);
      const result = await page(w.auditor.token, { first: 100, filter: filter() });
      expect(inSnapshot(result.nodes)).toEqual(expected);
      expect(result.totalCount).toBe(String(result.nodes.length));
    });

    it('records the read of the log itself, with the names of the filters used but not their values', async () => {
      const before = await count(`action = 'audit.read'`);
      const result = await page(w.auditor.token, {
        first: 2,
        filter: { subjectClientId: w.clientX, outcome: 'SUCCESS' },
      });
      expect(await count(`action = 'audit.read'`)).toBe(before + 1);
      const [read] = (
        await page(w.auditor.token, { first: 1, filter: { action: 'audit.read', actorId: w.auditor.accountId } })
      ).nodes;
      expect(read).toMatchObject({
        chainId: w.org.id,
        actorId: w.auditor.accountId,
        actorRoles: ['AUDITOR'],
        category: 'READ',
        outcome: 'SUCCESS',
        entityType: 'AuditChain',
        entityId: w.org.id,
      });
      expect(JSON.parse(read.details)).toEqual({
        filters: ['outcome', 'subjectClientId'],
        returned: result.nodes.length,
      });
      expect(read.details).not.toContain(w.clientX);
    });
  });

  describe('pages', () => {
    it('walks the whole list with first/after in a stable order, unaffected by events recorded meanwhile', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const auditor = await f.signedIn(org, [Role.AUDITOR]);
      for (let i = 0; i < 5; i++)
        await t.gql(
          CREATE_LOCATION,
          { i: { name: `Site ${i}`, kind: 'VIRTUAL', url: 'https://example.test/s' } },
          admin.token,
        );
      await t.app.get(AuditTrail).recordReads(
        readerContext(org.id),
        Array.from({ length: 6 }, () => clientRead(randomUUID())),
      );
      const total = await count('chain_id = ?', [org.id]);

      const walked: EventNode[] = [];
      const pages: Page[] = [];
      let after: string | null = null;
      do {
        const current = await page(auditor.token, { first: 4, after });
        pages.push(current);
        walked.push(...current.nodes);
        after = current.pageInfo.endCursor;
        if (!current.pageInfo.hasNextPage) break;
      } while (pages.length < 10);

      // Every page is one more audit.read event in this chain, always newer than what is left to walk.
      expect(total).toBe(13); // two sign-ins, five locations, six reads
      expect(walked).toHaveLength(total);
      expect(pages[0].totalCount).toBe(String(total));
      expect(pages[0].pageInfo.hasPreviousPage).toBe(false);
      expect(pages.slice(1).every((p) => p.pageInfo.hasPreviousPage)).toBe(true);
      expect(pages.at(-1)!.pageInfo.hasNextPage).toBe(false);
      expect(pages.map((p) => p.nodes.length)).toEqual([4, 4, 4, 1]);
      expect(new Set(walked.map(key)).size).toBe(walked.length);
      expect([...walked].sort(inListOrder)).toEqual(walked);
      expect(pages.map((p) => p.pageInfo.endCursor)).toEqual(pages.map((p) => p.cursors.at(-1)));

      const newestWalked = BigInt(walked[0].seq);
      const now = (await page(auditor.token, { first: 100 })).nodes;
      expect(now.filter((e) => BigInt(e.seq) <= newestWalked)).toEqual(walked);
      expect(now.filter((e) => BigInt(e.seq) > newestWalked).map((e) => e.action)).toEqual(
        pages.map(() => 'audit.read'),
      );
    });

    it('orders events of several chains newest first, then by chain and seq', async () => {
      const { nodes } = await page(networkAuditor.token, { first: 100 });
      expect(new Set(nodes.map((n) => n.chainId)).size).toBeGreaterThan(1);
      expect([...nodes].sort(inListOrder)).toEqual(nodes);
    });

    it.each([
      ['not a cursor at all', 'garbage'],
      ['a cursor of another list', encodeCursor(['2026-01-01T00:00:00.000Z', randomUUID()])],
      ['a forged key', encodeCursor(['2026-01-01T00:00:00.000Z', "x' or 1=1 --", '1'])],
      ['a forged seq', encodeCursor(['2026-01-01T00:00:00.000Z', randomUUID(), '1; drop table audit_event'])],
    ])('refuses %s as `after` with BAD_USER_INPUT', async (_name, after) => {
      const org = await f.organization();
      const auditor = await f.signedIn(org, [Role.AUDITOR]);
      expect(await refusal(auditor.token, { after })).toEqual({ code: 'BAD_USER_INPUT', fields: ['after'] });
    });
  });

  describe('validation', () => {
    let token: string;
    beforeAll(async () => {
      token = (await f.signedIn(await f.organization(), [Role.AUDITOR])).token;
    });

    it.each([
      [
        'an empty time range',
        { filter: { from: '2026-06-02T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' } },
        'filter.to',
      ],
      [
        'a time range of zero length',
        { filter: { from: '2026-06-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' } },
        'filter.to',
      ],
      ['an action over 100 characters', { filter: { action: 'a'.repeat(101) } }, 'filter.action'],
      ['an empty action', { filter: { action: '' } }, 'filter.action'],
      ['an entity type over 100 characters', { filter: { entityType: 'E'.repeat(101) } }, 'filter.entityType'],
      ['an actorId that is not a UUID', { filter: { actorId: 'someone' } }, 'filter.actorId'],
      ['an entityId that is not a UUID', { filter: { entityId: '42' } }, 'filter.entityId'],
      ['a subjectClientId that is not a UUID', { filter: { subjectClientId: 'client-7' } }, 'filter.subjectClientId'],
      [
        'an organizationId that is neither a UUID nor network',
        { filter: { organizationId: 'city' } },
        'filter.organizationId',
      ],
      ['more than 100 items', { first: 101 }, 'first'],
      ['no items', { first: 0 }, 'first'],
    ])('refuses %s, naming the field', async (_name, variables, field) => {
      expect(await refusal(token, variables)).toEqual({ code: 'BAD_USER_INPUT', fields: [field] });
    });

    it('refuses a time that is not an ISO 8601 date-time', async () => {
      expect((await refusal(token, { filter: { from: 'yesterday' } })).code).toBe('BAD_USER_INPUT');
    });
  });

  describe("an ordinary organization's auditor", () => {
    it("sees its own organization's chain and never another organization's events", async () => {
      const own = await f.organization();
      const other = await f.organization();
      const auditor = await f.signedIn(own, [Role.AUDITOR]);
      for (const org of [own, other]) {
        const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
        await t.gql(
          CREATE_LOCATION,
          { i: { name: 'Desk', kind: 'VIRTUAL', url: 'https://example.test/d' } },
          admin.token,
        );
      }
      const othersLocation = await count('chain_id = ? and action = ?', [other.id, 'location.create']);
      expect(othersLocation).toBe(1);

      const { nodes } = await page(auditor.token, { first: 100 });
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => n.chainId === own.id && n.actorOrganizationId === own.id)).toBe(true);
      const [othersEvent] = await t.orm.em
        .fork()
        .getConnection()
        .execute<{ entity_id: string }[]>(
          `select entity_id from audit_event where chain_id = ? and action = 'location.create'`,
          [other.id],
        );
      expect((await page(auditor.token, { filter: { entityId: othersEvent.entity_id } })).totalCount).toBe('0');
    });

    it.each([
      ['another organization', () => f.organization().then((o) => o.id)],
      ['the network operator', () => Promise.resolve(operator.id)],
      ['the network chain', () => Promise.resolve('network')],
      ['an organization that does not exist', () => Promise.resolve(randomUUID())],
    ])('gets NOT_FOUND for %s, recorded as one DENIED event and no read', async (_name, target) => {
      const own = await f.organization();
      const auditor = await f.signedIn(own, [Role.AUDITOR]);
      const before = {
        denied: await count(`chain_id = ? and outcome = 'DENIED'`, [own.id]),
        reads: await count(`action = 'audit.read'`),
      };
      expect((await refusal(auditor.token, { filter: { organizationId: await target() } })).code).toBe('NOT_FOUND');
      expect(await count(`chain_id = ? and outcome = 'DENIED' and action = 'graphql.auditEvents'`, [own.id])).toBe(
        before.denied + 1,
      );
      expect(await count(`action = 'audit.read'`)).toBe(before.reads);
    });

    it('sees real client ids in its own chain and may filter by them', async () => {
      const own = await f.organization();
      const auditor = await f.signedIn(own, [Role.AUDITOR]);
      const clientId = randomUUID();
      await t.app.get(AuditTrail).recordReads(readerContext(own.id), [clientRead(clientId)]);
      const { nodes } = await page(auditor.token, { filter: { subjectClientId: clientId } });
      expect(nodes).toHaveLength(1);
      expect(nodes[0]).toMatchObject({ subjectClientId: clientId, entityType: 'Client', entityId: clientId });
    });
  });

  describe('an API client with audit:read', () => {
    it("reads its own organization's chain only, and gets NOT_FOUND for another's", async () => {
      const own = await f.organization();
      const other = await f.organization();
      const otherAdmin = await f.signedIn(other, [Role.ORG_ADMIN]);
      await t.gql(
        CREATE_LOCATION,
        { i: { name: 'Desk', kind: 'VIRTUAL', url: 'https://example.test/d' } },
        otherAdmin.token,
      );
      const client = await f.apiClient(own, [ApiScope.AUDIT_READ]);
      await t.app.get(AuditTrail).recordReads(readerContext(own.id), [clientRead(randomUUID())]);

      const { nodes } = await page(client.key, { first: 100 });
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => n.chainId === own.id)).toBe(true);
      expect((await refusal(client.key, { filter: { organizationId: other.id } })).code).toBe('NOT_FOUND');

      const [read] = (await page(client.key, { first: 1, filter: { action: 'audit.read' } })).nodes;
      expect(read).toMatchObject({
        actorKind: 'API_CLIENT',
        actorId: client.id,
        actorRoles: ['audit:read'],
        chainId: own.id,
      });
    });
  });

  describe('callers without an audit permission', () => {
    it.each([
      ['an ORG_ADMIN', [Role.ORG_ADMIN]],
      ['a CASEWORKER', [Role.CASEWORKER]],
      ['an INTAKE worker', [Role.INTAKE]],
    ])('%s is FORBIDDEN', async (_name, roles) => {
      const person = await f.signedIn(await f.organization(), roles);
      expect((await refusal(person.token, {})).code).toBe('FORBIDDEN');
    });

    it.each([
      ['a NETWORK_ADMIN', [Role.NETWORK_ADMIN]],
      ['a SERVICE_AREA_LEAD', [Role.SERVICE_AREA_LEAD]],
    ])('%s of the network operator is FORBIDDEN', async (_name, roles) => {
      const person = await f.signedIn(operator, roles);
      expect((await refusal(person.token, {})).code).toBe('FORBIDDEN');
    });

    it('an API client without audit:read is FORBIDDEN', async () => {
      const client = await f.apiClient(await f.organization(), [ApiScope.DIRECTORY_WRITE, ApiScope.REFERRALS_READ]);
      expect((await refusal(client.key, {})).code).toBe('FORBIDDEN');
    });

    it("an API client of the network operator with audit:read reads the operator's chain only", async () => {
      const client = await f.apiClient(operator, [ApiScope.AUDIT_READ]);
      const { nodes } = await page(client.key, { first: 100 });
      expect(nodes.every((n) => n.chainId === operator.id)).toBe(true);
      expect((await refusal(client.key, { filter: { organizationId: 'network' } })).code).toBe('NOT_FOUND');
    });

    it('an anonymous caller is UNAUTHENTICATED', async () => {
      expect((await refusal(undefined, {})).code).toBe('UNAUTHENTICATED');
    });
  });

  describe("the network operator's auditor", () => {
    it("reads every organization's chain, the network chain included, or one of them", async () => {
      const a = await f.organization();
      const b = await f.organization();
      for (const org of [a, b]) {
        const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
        await t.gql(
          CREATE_LOCATION,
          { i: { name: 'Desk', kind: 'VIRTUAL', url: 'https://example.test/d' } },
          admin.token,
        );
      }
      await t.gql(EVENTS, {});

      const everything = await page(networkAuditor.token, { first: 100 });
      const chains = new Set(everything.nodes.map((n) => n.chainId));
      for (const chain of [a.id, b.id, 'network']) expect(chains).toContain(chain);
      // The count was taken before this read recorded its own event.
      expect(everything.totalCount).toBe(String((await count('true')) - 1));

      const onlyA = await page(networkAuditor.token, { first: 100, filter: { organizationId: a.id } });
      expect(onlyA.nodes.length).toBeGreaterThan(0);
      expect(onlyA.nodes.every((n) => n.chainId === a.id)).toBe(true);
      expect(onlyA.totalCount).toBe(String(await count('chain_id = ?', [a.id])));

      const network = await page(networkAuditor.token, {
        first: 100,
        filter: { organizationId: 'network', action: 'graphql.auditEvents' },
      });
      expect(network.nodes[0]).toMatchObject({
        chainId: 'network',
        actorKind: 'ANONYMOUS',
        actorId: null,
        actorOrganizationId: null,
        outcome: 'DENIED',
      });
    });

    it("sees other organizations' client ids as pseudonyms: one per client and organization, unrelated across organizations", async () => {
      const a = await f.organization();
      const b = await f.organization();
      const clientId = randomUUID();
      const trail = t.app.get(AuditTrail);
      await trail.recordReads(readerContext(a.id), [clientRead(clientId)]);
      await trail.recordReads(readerContext(a.id), [
        { ...clientRead(clientId), action: 'client.update', category: AuditCategory.UPDATE },
      ]);
      await trail.recordReads(readerContext(b.id), [clientRead(clientId)]);

      const ofA = (await page(networkAuditor.token, { filter: { organizationId: a.id, entityType: 'Client' } })).nodes;
      const ofB = (await page(networkAuditor.token, { filter: { organizationId: b.id, entityType: 'Client' } })).nodes;
      expect(ofA).toHaveLength(2);
      expect(ofB).toHaveLength(1);
      const [pa1, pa2, pb] = [ofA[0].subjectClientId!, ofA[1].subjectClientId!, ofB[0].subjectClientId!];
      for (const pseudonym of [pa1, pb]) {
        expect(pseudonym).toMatch(PSEUDONYM);
        expect(pseudonym).not.toContain(clientId);
        expect(pseudonym).not.toContain(clientId.replace(/-/g, ''));
      }
      expect(pa2).toBe(pa1);
      expect(pb).not.toBe(pa1);
      // The entity id of a person is the same pseudonym; the raw id appears nowhere in the answer.
      expect(ofA.map((n) => n.entityId)).toEqual([pa1, pa1]);
      expect(JSON.stringify([...ofA, ...ofB])).not.toContain(clientId);

      const ownAuditorOfA = await f.signedIn(a, [Role.AUDITOR]);
      expect(
        (await page(ownAuditorOfA.token, { filter: { entityType: 'Client' } })).nodes.map((n) => n.subjectClientId),
      ).toEqual([clientId, clientId]);
    });

    it('pseudonymises client ids inside details too', async () => {
      const org = await f.organization();
      const clientId = randomUUID();
      await t.app.get(AuditTrail).recordReads(readerContext(org.id), [
        {
          action: 'referral.read',
          category: AuditCategory.READ,
          entityType: 'Referral',
          entityId: randomUUID(),
          details: { clientId, clientIds: [clientId], code: 'X' },
        },
      ]);
      const [event] = (
        await page(networkAuditor.token, { filter: { organizationId: org.id, action: 'referral.read' } })
      ).nodes;
      const details = JSON.parse(event.details);
      expect(details.clientId).toMatch(PSEUDONYM);
      expect(details.clientIds).toEqual([details.clientId]);
      expect(details.code).toBe('X');
      expect(event.details).not.toContain(clientId);
    });

    it("sees real client ids in the operator's own chain, and may filter by them there", async () => {
      const clientId = randomUUID();
      await t.app.get(AuditTrail).recordReads(readerContext(operator.id), [clientRead(clientId)]);
      const { nodes } = await page(networkAuditor.token, {
        filter: { organizationId: operator.id, subjectClientId: clientId },
      });
      expect(nodes).toHaveLength(1);
      expect(nodes[0]).toMatchObject({ chainId: operator.id, subjectClientId: clientId, entityId: clientId });
    });

    it.each([
      ['in every organization', () => Promise.resolve({})],
      ['in another organization', () => f.organization().then((o) => ({ organizationId: o.id }))],
      ['in the network chain', () => Promise.resolve({ organizationId: 'network' })],
    ])('cannot filter by a client %s (BAD_USER_INPUT naming the field)', async (_name, scope) => {
      const filter = { ...(await scope()), subjectClientId: randomUUID() };
      expect(await refusal(networkAuditor.token, { filter })).toEqual({
        code: 'BAD_USER_INPUT',
        fields: ['filter.subjectClientId'],
      });
      const byEntity = { ...(await scope()), entityType: 'Client', entityId: randomUUID() };
      expect(await refusal(networkAuditor.token, { filter: byEntity })).toEqual({
        code: 'BAD_USER_INPUT',
        fields: ['filter.entityId'],
      });
    });

    it("never finds another organization's client by entity id, even without naming the type", async () => {
      const org = await f.organization();
      const clientId = randomUUID();
      await t.app.get(AuditTrail).recordReads(readerContext(org.id), [clientRead(clientId)]);
      expect((await page(networkAuditor.token, { filter: { entityId: clientId } })).totalCount).toBe('0');
      expect(
        (await page(networkAuditor.token, { filter: { organizationId: org.id, entityId: clientId } })).totalCount,
      ).toBe('0');
      expect(
        (await page(networkAuditor.token, { filter: { organizationId: org.id, entityType: 'Client' } })).totalCount,
      ).toBe('1');
    });
  });

  describe('reading the log is itself audited', () => {
    it.each([
      ["an organization's auditor", async () => (await f.signedIn(await f.organization(), [Role.AUDITOR])).token],
      [
        'an API client with audit:read',
        async () => (await f.apiClient(await f.organization(), [ApiScope.AUDIT_READ])).key,
      ],
      ["the network operator's auditor", () => Promise.resolve(networkAuditor.token)],
    ])('each call by %s writes exactly one audit.read event, in its own chain', async (_name, tokenOf) => {
      const token = await tokenOf();
      for (const variables of [{}, { first: 1 }, { filter: { action: 'location.create' } }]) {
        const before = await count(`action = 'audit.read'`);
        const result = await page(token, variables);
        expect(await count(`action = 'audit.read'`)).toBe(before + 1);
        const rows = await t.orm.em
          .fork()
          .getConnection()
          .execute<{ details: { returned: number } }[]>(
            `select details from audit_event where action = 'audit.read' order by recorded_at desc, seq desc limit 1`,
          );
        expect(rows[0].details.returned).toBe(result.nodes.length);
      }
    });
  });

  describe('denied attempts', () => {
    it("are visible to the acting organization's auditor, not to the target organization's", async () => {
      const own = await f.organization();
      const other = await f.organization();
      const admin = await f.signedIn(own, [Role.ORG_ADMIN]);
      const caseworker = await f.signedIn(own, [Role.CASEWORKER]);
      const ownAuditor = await f.signedIn(own, [Role.AUDITOR]);
      const otherAuditor = await f.signedIn(other, [Role.AUDITOR]);
      const othersService = await f.service(other);

      const notFound = await t.gql(UPDATE_SERVICE, { id: othersService.id, i: { capacity: 'FULL' } }, admin.token);
      expect(notFound.errors![0].extensions!.code).toBe('NOT_FOUND');
      const forbidden = await t.gql(
        CREATE_LOCATION,
        { i: { name: 'Desk', kind: 'VIRTUAL', url: 'https://example.test/d' } },
        caseworker.token,
      );
      expect(forbidden.errors![0].extensions!.code).toBe('FORBIDDEN');

      const denied = (await page(ownAuditor.token, { filter: { outcome: 'DENIED' } })).nodes;
      expect(denied).toHaveLength(2);
      expect(denied.find((e) => e.action === 'graphql.updateService')).toMatchObject({
        actorId: admin.accountId,
        actorRoles: ['ORG_ADMIN'],
        entityType: 'Service',
        entityId: othersService.id,
        requestId: notFound.headers['x-request-id'],
      });
      const refused = denied.find((e) => e.action === 'graphql.createLocation')!;
      expect(refused).toMatchObject({
        actorId: caseworker.accountId,
        actorRoles: ['CASEWORKER'],
        requestId: forbidden.headers['x-request-id'],
      });
      expect(JSON.parse(refused.details)).toMatchObject({ code: 'FORBIDDEN' });

      expect((await page(otherAuditor.token, { filter: { outcome: 'DENIED' } })).totalCount).toBe('0');
      expect(
        (await page(networkAuditor.token, { filter: { organizationId: own.id, outcome: 'DENIED' } })).totalCount,
      ).toBe('2');
    });
  });
});

describe(AuditTrail.name, () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
  });
  afterAll(() => t.close());

  describe('recordReads', () => {
    it('writes a batch of 100 read events in one INSERT, committed before it returns', async () => {
      const org = await f.organization();
      const context = readerContext(org.id);
      const reads = Array.from({ length: 100 }, () => clientRead(randomUUID()));
      // Calls through to pg: only records what was sent.
      const spy = jest.spyOn(Client.prototype, 'query');
      let statements: { sql: string; sent: string }[];
      try {
        await t.app.get(AuditTrail).recordReads(context, reads);
      } finally {
        statements = spy.mock.calls.map(([config, values]: unknown[]) => ({
          sql: typeof config === 'string' ? config : ((config as { text?: string }).text ?? ''),
          sent: JSON.stringify([config, values]),
        }));
        spy.mockRestore();
      }

      const inserts = statements.filter(({ sql }) => /insert\s+into\s+"?audit_event"?/i.test(sql));
      expect(inserts).toHaveLength(1);
      // Every event of the batch travels in that one statement (inline or as parameters).
      expect(reads.every((read) => inserts[0].sent.includes(read.subjectClientId!))).toBe(true);
      // Besides it: the transaction, and the chain head (lock, create on first use).
      const others = statements.filter((statement) => !inserts.includes(statement));
      expect(others.every(({ sql }) => /^(begin|commit|savepoint|release)|audit_chain_head/i.test(sql.trim()))).toBe(
        true,
      );

      // Another connection sees all of them at once, as soon as the call has returned.
      const rows = await superuserQuery<{ n: string; seqs: string }>(
        t.database.name,
        `select count(*) as n, max(seq) - min(seq) + 1 as seqs from audit_event where request_id = $1`,
        [context.requestId],
      );
      expect(rows[0]).toEqual({ n: '100', seqs: '100' });
    });

    it('writes nothing for an empty batch', async () => {
      const org = await f.organization();
      await t.app.get(AuditTrail).recordReads(readerContext(org.id), []);
      const fresh = new Client({ connectionString: t.database.appUrl });
      await fresh.connect();
      try {
        const { rows } = await fresh.query<{ n: string }>('select count(*) as n from audit_event where chain_id = $1', [
          org.id,
        ]);
        expect(rows[0].n).toBe('0');
      } finally {
        await fresh.end();
      }
    });
  });
});
