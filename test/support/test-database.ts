/**
 * Per-test-file databases, cloned from the migrated template that global-setup.ts made.
 * Test files run in Jest workers: they find the server through the HARBOUR_TEST_* variables.
 */
import { randomBytes } from 'node:crypto';
import { Client, type QueryResultRow } from 'pg';
import { provisionDatabase } from '../../src/database/provision';

export const TEST_ENV = {
  adminUrl: 'HARBOUR_TEST_ADMIN_URL',
  templateDb: 'HARBOUR_TEST_TEMPLATE_DB',
  runId: 'HARBOUR_TEST_RUN_ID',
} as const;

/** Every database of a run starts with this, so that teardown can find and drop them all. */
export function testDatabasePrefix(runId: string): string {
  return `harbour_t_${runId}_`;
}

export interface TestDatabase {
  name: string;
  /** harbour_owner: the schema owner (migrations already applied). */
  ownerUrl: string;
  /** harbour_app: the runtime role, with only the privileges the migrations grant. */
  appUrl: string;
}

/** A fresh, migrated database of its own, as harbour_owner and harbour_app. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${testDatabasePrefix(requireEnv(TEST_ENV.runId))}${randomBytes(6).toString('hex')}`;
  const urls = await provisionDatabase(requireEnv(TEST_ENV.adminUrl), name, {
    template: requireEnv(TEST_ENV.templateDb),
  });
  return { name, ...urls };
}

/** Runs one statement as the superuser in the given database: for tests that must tamper. */
export async function superuserQuery<R extends QueryResultRow = QueryResultRow>(
  dbName: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const url = new URL(requireEnv(TEST_ENV.adminUrl));
  url.pathname = `/${encodeURIComponent(dbName)}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through Jest (test/support/global-setup.ts)`);
  return value;
}
