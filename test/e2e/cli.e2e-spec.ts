/** The command-line tools a deployment uses, run as a person would run them, on a fresh database. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_ACCOUNTS } from '../../src/seed/demo-network';
import { randomBytes } from 'node:crypto';
import { provisionDatabase } from '../../src/database/provision';
import { shippedMigrations } from '../../src/database/migrations';
import {
  TEST_ENV,
  createTestDatabase,
  superuserQuery,
  testDatabasePrefix,
  type TestDatabase,
} from '../support/test-database';

const ROOT = join(__dirname, '..', '..');

function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join('src', 'cli', script), ...args],
      { cwd: ROOT, env: { ...process.env, HARBOUR_ENV: 'test', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('Command-line tools', () => {
  let db: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { DATABASE_URL: db.ownerUrl, DATABASE_APP_URL: db.appUrl };
  });

  it('migration:up run by two processes at once on an empty database: one migrates, the other waits and finds nothing pending', async () => {
    const name = `${testDatabasePrefix(process.env[TEST_ENV.runId]!)}${randomBytes(6).toString('hex')}`;
    const fresh = await provisionDatabase(process.env[TEST_ENV.adminUrl]!, name);
    const both = await Promise.all(
      [1, 2].map(() => run('migration.ts', ['up'], { DATABASE_URL: fresh.ownerUrl, DATABASE_APP_URL: fresh.appUrl })),
    );
    for (const result of both) expect(result).toMatchObject({ code: 0, stderr: '' });
    const applied = both.map((result) =>
      result.stdout.split('\n').filter((line) => line.startsWith('applied migration')),
    );
    expect(applied.map((lines) => lines.length).sort((a, b) => a - b)).toEqual([0, shippedMigrations().length]);
    const rows = await superuserQuery<{ name: string }>(name, 'select name from mikro_orm_migrations order by name');
    expect(rows.map((row) => row.name)).toEqual(shippedMigrations());
  }, 180_000);

  it('admin:create makes the network operator and its first NETWORK_ADMIN, with the password from the environment', async () => {
    const result = await run('admin-create.ts', ['--email', 'Chief@City.example', '--name', 'Chief'], {
      ...env,
      HARBOUR_ADMIN_PASSWORD: 'a long admin passphrase',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Created the network operator');
    const rows = await superuserQuery<{
      email: string;
      roles: string[];
      is_network_operator: boolean;
      password_hash: string;
    }>(
      db.name,
      `select a.email, m.roles, o.is_network_operator, a.password_hash from staff_account a join membership m on m.account_id = a.id join organization o on o.id = m.organization_id`,
    );
    expect(rows).toEqual([
      expect.objectContaining({ email: 'chief@city.example', roles: ['NETWORK_ADMIN'], is_network_operator: true }),
    ]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  }, 120_000);

  it('admin:create refuses an existing email, and a password the policy refuses', async () => {
    const duplicate = await run('admin-create.ts', ['--email', 'chief@city.example'], {
      ...env,
      HARBOUR_ADMIN_PASSWORD: 'a long admin passphrase',
    });
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('already exists');
    // One run: the policy itself is tested table by table in password-policy.spec.ts.
    const refused = await run('admin-create.ts', ['--email', 'other@city.example', '--organization', 'City Example'], {
      ...env,
      HARBOUR_ADMIN_PASSWORD: 'password1234',
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^The password is too easy to guess/);
    expect(refused.stderr).not.toContain('password1234');
  }, 180_000);

  it('seed:demo seeds only an empty database', async () => {
    const empty = await createTestDatabase();
    const emptyEnv = { DATABASE_URL: empty.ownerUrl, DATABASE_APP_URL: empty.appUrl };
    const seeded = await run('seed-demo.ts', [], emptyEnv);
    expect(seeded.stdout).toContain('caseworker@shelter.harbour.test');
    expect(seeded.stdout).toContain('caseworker@police.harbour.test');
    const again = await run('seed-demo.ts', [], emptyEnv);
    expect(again.stdout).toContain('nothing seeded');
    const [{ count }] = await superuserQuery<{ count: string }>(empty.name, 'select count(*) from staff_account');
    // One account per demo person, however many the demo network names; a second run adds none.
    expect(Number(count)).toBe(new Set(DEMO_ACCOUNTS.map((account) => account.email)).size);
  }, 120_000);
});
