/**
 * A mutation whose transaction cannot begin because PostgreSQL just dropped its pooled connection
 * (a restart, a failover) must fail as a database outage — answered 503 SERVICE_UNAVAILABLE, to be
 * retried — not as an internal error. knex hands such a transaction over already ended, and its
 * first statement then fails with "Transaction query already complete" (transaction-failure.ts).
 *
 * To drop the connections before Node can notice, the sessions are terminated from a child process
 * while this one waits synchronously: the pool still holds them as healthy when the next
 * transaction takes one. Real PostgreSQL throughout.
 */
import { AuditActorKind, AuditCategory, AuditTrail, type AuditContext } from '@harbour/audit';
import { isDatabaseUnavailable } from '@harbour/graphql-kit';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';

describe('a transaction that cannot begin', () => {
  let t: TestApp;
  let trail: AuditTrail;
  const context: AuditContext = {
    actorKind: AuditActorKind.STAFF,
    actorId: randomUUID(),
    organizationId: randomUUID(),
    roles: [],
    requestId: randomUUID(),
    sourceAddress: '127.0.0.1',
  };

  beforeAll(async () => {
    t = await startTestApp();
    trail = t.app.get(AuditTrail);
  });

  afterAll(() => t.close());

  /** Terminates the application's sessions and waits for them to end, without letting Node's event loop run. */
  function dropApplicationConnections(): void {
    const url = new URL(process.env.HARBOUR_TEST_ADMIN_URL!);
    url.pathname = `/${t.database.name}`;
    execFileSync(
      process.execPath,
      [
        '-e',
        `const { Client } = require('pg');
         (async () => {
           const client = new Client({ connectionString: process.argv[1] });
           await client.connect();
           await client.query("select pg_terminate_backend(pid, 5000) from pg_stat_activity where datname = current_database() and usename = 'harbour_app'");
           await client.end();
         })().catch((error) => { console.error(error); process.exit(1); });`,
        url.toString(),
      ],
      { cwd: process.cwd() },
    );
  }

  /** A use case of one statement and one event; resolves to its error, or null when it committed. */
  const useCase = () =>
    trail
      .transaction(context, async (em, audit) => {
        await em.getConnection().execute('select 1', [], 'all', em.getTransactionContext());
        audit.record({ action: 'test.transaction', category: AuditCategory.UPDATE });
      })
      .then(
        () => null,
        (error: unknown) => error,
      );

  /** Retries as a caller would until a use case commits; every failure on the way must be an outage. */
  async function untilCommitted(): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const failure = await useCase();
      if (failure === null) return;
      expect(isDatabaseUnavailable(failure)).toBe(true);
    }
    throw new Error('no use case committed in 10 attempts');
  }

  it('fails as a database outage, every time, and a retry commits once the pool has new connections', async () => {
    for (let round = 0; round < 3; round++) {
      await untilCommitted();
      dropApplicationConnections();
      const failure = await useCase();
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).not.toContain('Transaction query already complete');
      expect(isDatabaseUnavailable(failure)).toBe(true);
    }
    await untilCommitted();
  });
});
