import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../common/logging/logger';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { prepareDatabase } from '../database/database-runtime';
import { runMigrations } from '../database/migrations';

/**
 * Runs a command against the configured database (DATABASE_URL, or the embedded one under the data
 * directory), migrated, with the application's modules but no HTTP server.
 */
export async function withAppContext<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, () => randomBytes(48).toString('base64url'));
  const logger = createLogger('warn');
  const database = await prepareDatabase(config, (m) => logger.info(m));
  try {
    await runMigrations(database.ownerUrl);
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, databaseUrl: database.appUrl, logger }),
      { logger: false },
    );
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}

// runCli lives apart so that light commands (audit:verify) need not load the application to use it.
