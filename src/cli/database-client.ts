import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from '../common/logging/logger';
import { type AppConfig, loadConfig } from '../config/app-config';
import { prepareDatabase } from '../database/database-runtime';

/**
 * For commands that only read (audit verification): the configured database as for withAppContext
 * (app-context.ts), but one plain connection of the runtime role, no application modules and no
 * migrations — seconds faster to start, and nothing is changed.
 */
export async function withDatabaseClient<T>(work: (client: Client, config: AppConfig) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, () => randomBytes(48).toString('base64url'));
  const logger = createLogger('warn');
  const database = await prepareDatabase(config, (m) => logger.info(m));
  try {
    const client = new Client({ connectionString: database.appUrl, application_name: 'harbour-cli' });
    await client.connect();
    try {
      return await work(client, config);
    } finally {
      await client.end();
    }
  } finally {
    await database.stop();
  }
}
