/**
 * Migration commands that need no database: MikroORM diffs the entities against the committed
 * schema snapshot (migrations/.snapshot.json).
 *   create [name]  writes a new migration for the entity changes (review it, then commit both files)
 *   check          exits 1 when the entities and the migrations disagree (CI)
 *   up             applies pending migrations to DATABASE_URL (the owner connection)
 */
import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { format, resolveConfig } from 'prettier';
import { MIGRATIONS_DIR, ormOptions } from '../database/mikro-orm.config';
import { runMigrations } from '../database/migrations';

/** Only used when no snapshot exists yet (the very first migration), to diff against an empty database. */
const OFFLINE_URL = process.env.MIGRATION_DIFF_DATABASE_URL ?? 'postgresql://offline@127.0.0.1:1/offline';

async function offlineOrm(): Promise<MikroORM> {
  return MikroORM.init(ormOptions(OFFLINE_URL, { connect: false }));
}

/** Generated migrations follow the repository's formatting, so that `npm run lint` passes as they are written. */
async function formatInPlace(path: string): Promise<void> {
  const options = await resolveConfig(path);
  await writeFile(path, await format(await readFile(path, 'utf8'), { ...options, filepath: path }));
}

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  switch (command) {
    case 'create': {
      const orm = await offlineOrm();
      const result = await orm.getMigrator().createMigration(undefined, false, false, name);
      if (result.fileName) {
        await formatInPlace(join(MIGRATIONS_DIR, result.fileName));
        process.stdout.write(`wrote migrations/${result.fileName}\n`);
      } else {
        process.stdout.write('No changes required.\n');
      }
      await orm.close(true);
      return 0;
    }
    case 'check': {
      const orm = await offlineOrm();
      const needed = await orm.getMigrator().checkMigrationNeeded();
      await orm.close(true);
      if (needed) {
        process.stderr.write(
          'Entities and migrations disagree: run `npm run migration:create -- <name>`, review and commit the result.\n',
        );
        return 1;
      }
      process.stdout.write('No changes required: entities and migrations agree.\n');
      return 0;
    }
    case 'up': {
      const url = process.env.DATABASE_URL;
      if (!url) {
        process.stderr.write('DATABASE_URL (the schema owner connection) is required.\n');
        return 2;
      }
      const applied = await runMigrations(url, (m) => process.stdout.write(`${m}\n`));
      process.stdout.write(`${applied.length} migration(s) applied.\n`);
      return 0;
    }
    default:
      process.stderr.write('usage: migration.ts create [name] | check | up\n');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
