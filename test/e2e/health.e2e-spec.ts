import { shippedMigrations } from '../../src/database/migrations';
import { startTestApp, type TestApp } from '../support/test-app';
import { superuserQuery } from '../support/test-database';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Health endpoints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('/health/live', () => {
    it('answers 200 without a credential', async () => {
      const response = await t.http().get('/health/live');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('ignores whatever credential is sent', async () => {
      const response = await t.http().get('/health/live').set('authorization', 'Bearer not-a-valid-token');
      expect(response.status).toBe(200);
    });

    it('carries a request id', async () => {
      const response = await t.http().get('/health/live');
      expect(response.headers['x-request-id']).toMatch(UUID);
    });
  });

  describe('/health/ready', () => {
    it('answers 200 ok, without a credential, when every shipped migration is applied', async () => {
      const response = await t.http().get('/health/ready');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it('answers 503 naming the pending migrations when some are not applied', async () => {
      const removed = await superuserQuery<{ id: number; name: string; executed_at: Date }>(
        t.database.name,
        'DELETE FROM mikro_orm_migrations RETURNING id, name, executed_at',
      );
      try {
        expect(removed.length).toBeGreaterThan(0);
        const response = await t.http().get('/health/ready');
        expect(response.status).toBe(503);
        expect(response.body).toEqual({ status: 'migrations pending', pendingMigrations: shippedMigrations() });
        expect(response.body.pendingMigrations).toEqual(expect.arrayContaining(removed.map((row) => row.name)));
        expect(response.headers['x-request-id']).toMatch(UUID);
      } finally {
        for (const row of removed) {
          await superuserQuery(
            t.database.name,
            'INSERT INTO mikro_orm_migrations (id, name, executed_at) VALUES ($1, $2, $3)',
            [row.id, row.name, row.executed_at],
          );
        }
      }
    });

    it('answers 503 when the database refuses the readiness query', async () => {
      await superuserQuery(t.database.name, 'REVOKE SELECT ON mikro_orm_migrations FROM harbour_app');
      try {
        const response = await t.http().get('/health/ready');
        expect(response.status).toBe(503);
        expect(response.body).toEqual({ status: 'database unreachable' });
      } finally {
        await superuserQuery(t.database.name, 'GRANT SELECT ON mikro_orm_migrations TO harbour_app');
      }
    });
  });
});
