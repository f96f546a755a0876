/**
 * Jest globalSetup: one PostgreSQL server and one migrated template database per run; each test
 * file clones the template (test-database.ts). DATABASE_URL, when set, is the admin URL of an
 * existing server (it must be able to create roles and databases); otherwise an embedded server
 * runs in a fresh temporary folder. global-teardown.ts removes everything this made.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client, escapeIdentifier } from 'pg';
import {
  startEmbeddedPostgres,
  stopOrphanedEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../src/database/embedded-postgres';
import { dropDatabase, provisionDatabase } from '../../src/database/provision';
import { TEST_ENV } from './test-database';

export interface TestRunState {
  adminUrl: string;
  template: string;
  runId: string;
  embedded?: EmbeddedPostgres;
  tempDir?: string;
}

/** Jest runs globalSetup and globalTeardown in the same process: state passes through globalThis. */
export const TEST_RUN_STATE = Symbol.for('harbour.test-run');
type StateHolder = { [TEST_RUN_STATE]?: TestRunState };

const TEMP_PREFIX = 'harbour-test-';
const OWNER_FILE = 'owner-pid';

export function log(message: string): void {
  process.stderr.write(`[harbour test setup] ${message}\n`);
}

export default async function globalSetup(): Promise<void> {
  const runId = randomBytes(4).toString('hex');
  const state: TestRunState = { adminUrl: process.env.DATABASE_URL ?? '', template: `harbour_tpl_${runId}`, runId };
  (globalThis as StateHolder)[TEST_RUN_STATE] = state;
  try {
    if (!state.adminUrl) {
      await sweepCrashedRuns();
      state.tempDir = await fs.mkdtemp(path.join(tmpdir(), TEMP_PREFIX));
      await fs.writeFile(path.join(state.tempDir, OWNER_FILE), `${process.pid}\n`);
      await fs.chmod(state.tempDir, 0o755); // the postgres OS user must pass through (we run as root)
      // Ctrl-C: embedded-postgres's SIGINT handler stops the server and exits, skipping teardown.
      const tempDir = state.tempDir;
      process.once('exit', () => rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 }));
      state.embedded = await startEmbeddedPostgres({ dataDir: state.tempDir, log });
      state.adminUrl = state.embedded.adminUrl;
    }

    const { ownerUrl } = await provisionDatabase(state.adminUrl, state.template);
    await migrateInChildProcess(ownerUrl);
    // Nothing may connect to a template while it is being copied: make that impossible.
    await adminQuery(state.adminUrl, `ALTER DATABASE ${escapeIdentifier(state.template)} WITH ALLOW_CONNECTIONS false`);

    process.env[TEST_ENV.adminUrl] = state.adminUrl;
    process.env[TEST_ENV.templateDb] = state.template;
    process.env[TEST_ENV.runId] = runId;
  } catch (error) {
    // Jest skips globalTeardown when globalSetup fails.
    await cleanUp(state).catch((cleanupError: unknown) => log(`cleanup after failed setup: ${String(cleanupError)}`));
    throw error;
  }
}

/** Drops what this run created, stops the embedded server and deletes its folder. */
export async function cleanUp(state: TestRunState): Promise<void> {
  try {
    // An embedded server's databases go with its folder; on an external server, drop them.
    if (!state.embedded && state.adminUrl) {
      const prefix = `harbour_t_${state.runId}_`;
      const rows = await adminQuery<{ datname: string }>(
        state.adminUrl,
        `SELECT datname FROM pg_database WHERE datname = $1 OR left(datname, $2) = $3`,
        [state.template, prefix.length, prefix],
      );
      for (const { datname } of rows) await dropDatabase(state.adminUrl, datname);
    }
  } finally {
    await state.embedded?.stop();
    if (state.tempDir) await fs.rm(state.tempDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function adminQuery<R extends object>(adminUrl: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** A run killed with kill -9 leaves its server and folder behind: stop and delete them. */
async function sweepCrashedRuns(): Promise<void> {
  for (const entry of await fs.readdir(tmpdir())) {
    if (!entry.startsWith(TEMP_PREFIX)) continue;
    const dir = path.join(tmpdir(), entry);
    const owner = Number.parseInt(await fs.readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => ''), 10);
    // No owner yet: a run that is just starting.
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    try {
      await stopOrphanedEmbeddedPostgres(dir, log);
      await fs.rm(dir, { recursive: true, force: true });
      log(`removed ${dir}, left by a test run (pid ${owner}) that did not finish`);
    } catch (error) {
      log(`could not clean up ${dir}: ${String(error)}`);
    }
  }
}

/**
 * Migrations run in a child process: loading MikroORM into Jest's parent process would share its
 * global metadata storage with the test realms, which then break on the foreign Map objects.
 */
function migrateInChildProcess(ownerUrl: string): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'src/cli/migration.ts', 'up'],
      { cwd: root, env: { ...process.env, DATABASE_URL: ownerUrl } },
      (error, _stdout, stderr) => (error ? reject(new Error(`migrations failed: ${stderr}`)) : resolve()),
    );
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
