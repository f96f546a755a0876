import { MikroORM } from '@mikro-orm/postgresql';
import { readdirSync } from 'node:fs';
import { MIGRATION_FILE, MIGRATIONS_DIR, ormOptions } from './mikro-orm.config';

/** Applies pending migrations as the schema owner; returns the names applied. */
export async function runMigrations(
  ownerUrl: string,
  log: (message: string) => void = () => undefined,
): Promise<string[]> {
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
