import { MikroORM } from '@mikro-orm/postgresql';
import { readdirSync } from 'node:fs';
import { Client } from 'pg';
import { MIGRATION_FILE, MIGRATIONS_DIR, ormOptions } from './mikro-orm.config';

/** The advisory lock that lets one process at a time migrate a database ("harbour migrate"). */
const MIGRATION_LOCK = [0x68617262, 0x6d696772] as const;

/**
 * Applies pending migrations as the schema owner; returns the names applied. Several server
 * processes may start at once: each takes the database's migration lock first (on a connection of
 * its own, released when it closes), so one migrates and the others, once it is done, find nothing
 * pending.
 */
export async function runMigrations(
  ownerUrl: string,
  log: (message: string) => void = () => undefined,
): Promise<string[]> {
  const lock = new Client({ connectionString: ownerUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    return await migrate(ownerUrl, log);
  } finally {
    await lock.end();
  }
}

async function migrate(ownerUrl: string, log: (message: string) => void): Promise<string[]> {
  const orm = await MikroORM.init(
    ormOptions(ownerUrl, {
      pool: { min: 0, max: 1 },
      migrations: { ...ormOptions(ownerUrl).migrations, snapshot: false, silent: true },
    }),
  );
  try {
    const applied = await orm.getMigrator().up();
    for (const migration of applied) log(`applied migration ${migration.name}`);
    return applied.map((migration) => migration.name);
  } finally {
    await orm.close(true);
  }
}

/** Names of the migrations shipped with this build, in order: what `/health/ready` expects applied. */
export function shippedMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .map((file) => MIGRATION_FILE.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}
