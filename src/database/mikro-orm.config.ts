import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { join } from 'node:path';
import { ENTITIES } from './entities';

/** Run from source (.ts, via ts-node or @swc/jest) or compiled (dist/src → dist/migrations). */
const fromSource = __filename.endsWith('.ts');
export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');
export const MIGRATION_FILE = fromSource ? /^(Migration\w+)\.ts$/ : /^(Migration\w+)\.js$/;

/** How long a request waits for a pooled connection, and for a new connection to open. */
export const DATABASE_WAIT_MS = 4_000;
export const DATABASE_CONNECT_TIMEOUT_MS = 2_000;

export function ormOptions(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ensureDatabase: false,
    pool: { min: 0, max: 10 },
    // When PostgreSQL is down a request must fail fast (SERVICE_UNAVAILABLE, retryable), not wait
    // for the driver's defaults (no connect timeout; a minute for a pooled connection).
    driverOptions: {
      acquireConnectionTimeout: DATABASE_WAIT_MS,
      connection: { connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS },
    },
    migrations: {
      path: MIGRATIONS_DIR,
      glob: fromSource ? '!(*.d).{js,ts}' : '*.js',
      snapshotName: '.snapshot',
      transactional: true,
      allOrNothing: true,
      disableForeignKeys: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
    ...overrides,
  });
}
