/**
 * The audit trail's guarantees (docs/design.md, invariant 4): a change and its event commit together or
 * not at all; refusals are recorded after the failed work rolled back; anonymous floods are
 * bounded; chains are gap-free and linked; and the log holds no personal data.
 */
import {
  AuditCategory,
  AuditTrail,
  GENESIS_HASH,
  canonicalFieldsOfRow,
  canonicalizeFields,
  hashLink,
  pgReader,
  systemContext,
  verifyChain,
  type AuditEventRow,
} from '@harbour/audit';
import { Role } from '@harbour/authz';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { OrganizationKind } from '../../src/modules/organizations/organization-kind.enum';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { Fixtures, TEST_PASSWORD } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

type EventRow = AuditEventRow & { details: Record<string, unknown> };

const UPDATE_SERVICE =
  'mutation ($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { service { id capacity } } }';
const LOGIN = 'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }';

describe('Audit trail', () => {
  let t: TestApp;
  let f: Fixtures;

  const events = (where = 'true', params: unknown[] = []) =>
    t.orm.em
      .fork()
      .getConnection()
      .execute<EventRow[]>(`select * from audit_event where ${where} order by chain_id, seq`, params);

  beforeAll(async () => {
    t = await startTestApp({ AUDIT_ANONYMOUS_DENIALS_PER_WINDOW: '5' });
    f = new Fixtures(t);
  });
  afterAll(() => t.close());

  describe('same transaction', () => {
    it('records a committed change with its event: actor, organization, roles, entity, request id', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const service = await f.service(org);
      const res = await t.gql(UPDATE_SERVICE, { id: service.id, i: { capacity: 'FULL' } }, admin.token);
      expect(res.errors).toBeUndefined();
      const [event] = await events(`entity_id = ? and action = 'service.update'`, [service.id]);
      expect(event).toMatchObject({
        chain_id: org.id,
        actor_kind: 'STAFF',
        actor_id: admin.accountId,
        actor_organization_id: org.id,
        actor_roles: ['ORG_ADMIN'],
        category: 'UPDATE',
        entity_type: 'Service',
        outcome: 'SUCCESS',
        request_id: res.headers['x-request-id'],
        details: { fields: ['capacity'] },
      });
    });

    it('rolls the change back when its event cannot be written, and answers a masked error', async () => {
      const org = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const service = await f.service(org);
      await superuserQuery(t.database.name, 'revoke insert on audit_event from harbour_app');
      try {
        const res = await t.gql(UPDATE_SERVICE, { id: service.id, i: { capacity: 'FULL' } }, admin.token);
        expect(res.errors![0].extensions!.code).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        await superuserQuery(t.database.name, 'grant insert on audit_event to harbour_app');
      }
      const stored = await t.orm.em.fork().findOneOrFail(ServiceOffering, service.id);
      expect(stored.capacity).toBe('AVAILABLE');
      expect(await events('entity_id = ?', [service.id])).toEqual([]);
    });

    it('leaves no event when the use case fails after its change (a constraint at commit)', async () => {
      const operator = await f.operator();
      const networkAdmin = await f.signedIn(operator, [Role.NETWORK_ADMIN]);
      const taken = await f.organization();
      const before = (await events()).length;
      const res = await t.gql(
        'mutation ($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }',
        { i: { name: taken.name, description: 'Same name.', kind: 'COMMUNITY_ORGANIZATION' } },
        networkAdmin.token,
      );
      expect(res.errors![0].extensions!.code).toBe('CONFLICT');
      expect((await events()).length).toBe(before);
    });

    it('refuses a use case that records no event, and rolls its work back', async () => {
      const name = `Unrecorded ${Date.now()}`;
      await expect(
        t.app.get(AuditTrail).transaction(systemContext(null), async (em) => {
          em.create(Organization, {
            name,
            description: 'Never committed.',
            kind: OrganizationKind.COMMUNITY_ORGANIZATION,
          });
          await em.flush();
        }),
      ).rejects.toThrow(/no audit event/);
      expect(await t.orm.em.fork().count(Organization, { name })).toBe(0);
    });
  });

  describe('denials', () => {
    it('records a failed sign-in with a keyed hash of the typed email, never the text', async () => {
      const email = 'someone.unknown@example.test';
      const res = await t.gql(LOGIN, { i: { email, password: 'a wrong password 1' } });
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      const [event] = await events(`request_id = ?`, [res.headers['x-request-id']]);
      expect(event).toMatchObject({
        chain_id: 'network',
        actor_kind: 'ANONYMOUS',
        action: 'staff.login',
        category: 'LOGIN',
        outcome: 'DENIED',
      });
      expect(event.details.emailHmac).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(event)).not.toContain('someone.unknown');
    });

    it('records a successful sign-in in the organization chain', async () => {
      const org = await f.organization();
      const staff = await f.staff(org, [Role.CASEWORKER]);
      const res = await t.gql(LOGIN, { i: { email: staff.email, password: TEST_PASSWORD } });
      const [event] = await events(`request_id = ?`, [res.headers['x-request-id']]);
      expect(event).toMatchObject({
        chain_id: org.id,
        actor_id: staff.accountId,
        action: 'staff.login',
        category: 'LOGIN',
        outcome: 'SUCCESS',
      });
    });

    it("records another organization's object and an unknown id alike", async () => {
      const org = await f.organization();
      const other = await f.organization();
      const admin = await f.signedIn(org, [Role.ORG_ADMIN]);
      const foreign = await f.service(other);
      const unknown = '00000000-0000-4000-8000-000000000000';
      const shapes = [];
      for (const id of [foreign.id, unknown]) {
        const res = await t.gql(UPDATE_SERVICE, { id, i: { capacity: 'FULL' } }, admin.token);
        const [event] = await events('request_id = ?', [res.headers['x-request-id']]);
        shapes.push({
          ...event,
          entity_id: 'x',
          request_id: 'x',
          seq: 'x',
          recorded_at: 'x',
          hash: 'x',
          prev_hash: 'x',
        });
      }
      expect(shapes[0]).toEqual(shapes[1]);
      expect(shapes[0]).toMatchObject({
        outcome: 'DENIED',
        action: 'graphql.updateService',
        details: { code: 'NOT_FOUND', operation: 'mutation' },
      });
    });

    it('bounds what callers without a credential can write: past the budget they are not recorded', async () => {
      const before = (await events(`chain_id = 'network' and outcome = 'DENIED'`)).length;
      for (let i = 0; i < 10; i++) await t.gql('{ me { id } }', {}, 'not-a-token');
      const after = (await events(`chain_id = 'network' and outcome = 'DENIED'`)).length;
      // This app's budget is 5 per source address and window; earlier tests used some of it.
      expect(before).toBeLessThan(5);
      expect(after).toBe(5);
    });
  });

  describe('chains', () => {
    it('are gap-free and linked under concurrent writers, each hash recomputable', async () => {
      const org = await f.organization();
      const admins = await Promise.all(Array.from({ length: 4 }, () => f.signedIn(org, [Role.ORG_ADMIN])));
      const services = await Promise.all(Array.from({ length: 4 }, () => f.service(org)));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.gql(
            UPDATE_SERVICE,
            { id: services[i % 4].id, i: { capacity: i % 2 ? 'FULL' : 'WAITLIST' } },
            admins[i % 4].token,
          ),
        ),
      );
      const chain = await events('chain_id = ?', [org.id]);
      expect(chain.filter((e) => e.action === 'service.update')).toHaveLength(20);
      let prev = GENESIS_HASH;
      chain.forEach((event, i) => {
        expect(event.seq).toBe(String(i + 1));
        expect(event.prev_hash).toBe(prev);
        expect(hashLink(prev, canonicalizeFields(canonicalFieldsOfRow(event)))).toBe(event.hash);
        prev = event.hash;
      });
    });

    it('batches reads of client data into one chain append that commits before returning', async () => {
      const org = await f.organization();
      const clientIds = Array.from({ length: 100 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      await t.app.get(AuditTrail).recordReads(
        systemContext(org.id),
        clientIds.map((id) => ({
          action: 'client.read',
          category: AuditCategory.READ,
          entityType: 'Client',
          entityId: id,
          subjectClientId: id,
          purpose: 'TEST',
        })),
      );
      const rows = await superuserQuery<{ n: string }>(
        t.database.name,
        `select count(*) as n from audit_event where chain_id = $1 and action = 'client.read'`,
        [org.id],
      );
      expect(Number(rows[0].n)).toBe(100);
    });

    it('carries any text into one append intact: what separates the events in the statement, quotes, backslashes, control characters, non-ASCII', async () => {
      const org = await f.organization();
      const awkward = ['\u0001', '"', '\\', '\\"', '\t\n\r', '{","}', '\u001f\u007f', 'Ñandú 😀', ''];
      const reads = awkward.map((text, i) => ({
        action: 'client.read',
        category: AuditCategory.READ,
        entityType: 'Client',
        entityId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        purpose: text,
        details: { text, [text || 'empty']: [text, `${text}${text}`] },
      }));
      await t.app.get(AuditTrail).recordReads(systemContext(org.id), reads);
      const stored = await events('chain_id = ?', [org.id]);
      expect(stored.map((e) => ({ purpose: e.purpose, details: e.details }))).toEqual(
        reads.map(({ purpose, details }) => ({ purpose, details })),
      );
      const verifier = new Pool({ connectionString: t.database.appUrl, max: 1 });
      try {
        const connection = await verifier.connect();
        try {
          expect(await verifyChain(pgReader(connection), org.id)).toMatchObject({
            valid: true,
            eventsChecked: awkward.length,
          });
        } finally {
          connection.release();
        }
      } finally {
        await verifier.end();
      }
    });

    it('group-commits concurrent reads of one chain: one statement for those that arrive while one is in flight, each caller returning only once its events committed', async () => {
      const org = await f.organization();
      const trail = t.app.get(AuditTrail);
      // Other connections than the trail's, as another request would look.
      const observer = new Pool({ connectionString: t.database.appUrl, max: 4 });
      try {
        const requests = Array.from({ length: 40 }, () => randomUUID());
        const visibleOnReturn: number[] = [];
        await Promise.all(
          requests.map(async (requestId) => {
            await trail.recordReads({ ...systemContext(org.id), requestId }, [
              { action: 'client.read', category: AuditCategory.READ, entityType: 'Client', entityId: randomUUID() },
              { action: 'client.read', category: AuditCategory.READ, entityType: 'Client', entityId: randomUUID() },
            ]);
            const { rows } = await observer.query<{ n: string }>(
              'select count(*) as n from audit_event where chain_id = $1 and request_id = $2',
              [org.id, requestId],
            );
            visibleOnReturn.push(Number(rows[0].n));
          }),
        );
        expect(visibleOnReturn).toEqual(requests.map(() => 2));
        // The first read went alone; the 39 that arrived while it was in flight shared the next statement
        // (one statement, one statement_timestamp: recorded_at).
        const { rows: statements } = await observer.query<{ recorded_at: Date; n: string }>(
          'select recorded_at, count(*) as n from audit_event where chain_id = $1 group by recorded_at order by recorded_at',
          [org.id],
        );
        expect(statements.map((row) => Number(row.n))).toEqual([2, 78]);
        const verifier = await observer.connect();
        try {
          expect(await verifyChain(pgReader(verifier), org.id)).toMatchObject({ valid: true, eventsChecked: 80 });
        } finally {
          verifier.release();
        }
      } finally {
        await observer.end();
      }
    });
  });
});
