import type { AppConfig } from '../config/app-config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { provisionDatabase } from './provision';

export interface DatabaseRuntime {
  /** Schema owner: migrations. */
  ownerUrl: string;
  /** Runtime role that owns nothing: the application's pool. */
  appUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = 'harbour';

/**
 * Where the data lives. No DATABASE_URL → an embedded PostgreSQL under the data directory.
 * DATABASE_URL and DATABASE_APP_URL → a real deployment's two roles, used as given.
 * DATABASE_URL alone → a development server whose URL may create roles: Harbour provisions the
 * two roles itself, exactly as in embedded mode.
 * `callerHandlesSignals`: the caller stops the database on SIGINT/SIGTERM itself (the server does,
 * after closing HTTP); otherwise the embedded server stops itself on those signals.
 */
export async function prepareDatabase(
  config: AppConfig,
  log: (message: string) => void,
  options: { callerHandlesSignals?: boolean } = {},
): Promise<DatabaseRuntime> {
  const { ownerUrl, appUrl, dataDir } = config.database;
  if (ownerUrl && appUrl) return { ownerUrl, appUrl, embedded: false, stop: () => Promise.resolve() };
  if (ownerUrl) {
    const database = decodeURIComponent(new URL(ownerUrl).pathname.slice(1)) || 'harbour';
    const urls = await provisionDatabase(ownerUrl, database);
    return { ...urls, embedded: false, stop: () => Promise.resolve() };
  }
  const embedded = await startEmbeddedPostgres({ dataDir, log, callerHandlesSignals: options.callerHandlesSignals });
  try {
    const urls = await provisionDatabase(embedded.adminUrl, EMBEDDED_DATABASE_NAME);
    return { ...urls, embedded: true, stop: embedded.stop };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
