/**
 * Prints the GraphQL SDL from the code, without a database or a server: the application's modules
 * are built with the database connection disabled and the schema is read from Nest's schema host.
 *   --write   writes schema/schema.graphql
 *   --check   exits 1 when schema/schema.graphql differs from the code (CI)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../common/logging/logger';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';

export const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'schema.graphql');
const OFFLINE_URL = 'postgresql://offline@127.0.0.1:1/offline';

export async function printSchemaFromCode(): Promise<string> {
  const config = loadConfig({ HARBOUR_ENV: 'test', DATABASE_URL: OFFLINE_URL, DATABASE_APP_URL: OFFLINE_URL }, () =>
    'x'.repeat(32),
  );
  const logger = createLogger('silent');
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, databaseUrl: OFFLINE_URL, logger, connect: false }),
    {
      logger: false,
      // A module that fails to build is reported below, not by Nest's silent exit.
      abortOnError: false,
    },
  );
  try {
    await app.init();
    return `${printSchema(app.get(GraphQLSchemaHost).schema)}\n`;
  } finally {
    await app.close();
  }
}

async function main(): Promise<number> {
  const sdl = await printSchemaFromCode();
  if (process.argv.includes('--write')) {
    writeFileSync(SCHEMA_FILE, sdl);
    process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    // Missing file: reported as a difference below.
  }
  if (committed !== sdl) {
    process.stderr.write(
      'schema/schema.graphql differs from the code: run `npm run schema:print` and commit the result.\n',
    );
    return 1;
  }
  process.stdout.write('schema/schema.graphql matches the code.\n');
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
