import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { createLogger } from './common/logging/logger';
import { ConfigError, loadConfig } from './config/app-config';
import { prepareDatabase } from './database/database-runtime';
import { runMigrations } from './database/migrations';
import { createHttpApp } from './http-app';
import { DEMO_PASSWORD, DemoSeeder } from './seed/demo-seeder';

async function main(): Promise<void> {
  const config = loadConfig(process.env, () => randomBytes(48).toString('base64url'));
  const logger = createLogger(config.logLevel);
  const say = (message: string) => logger.info(message);
  if (config.auth.jwtSecretGenerated)
    say('JWT_SECRET is not set: using a random secret for this process (tokens end at restart).');
  if (config.webhooks.secretKeyIsDevelopmentKey)
    say('WEBHOOK_SECRET_KEY is not set: webhook secrets are sealed with the public development key.');
  if (config.audit.signingKeyGenerated)
    say(
      'AUDIT_SIGNING_KEY is not set: audit checkpoints are signed with a key made for this process (they cannot be verified after a restart).',
    );

  const database = await prepareDatabase(config, say, { callerHandlesSignals: true });
  let app: NestFastifyApplication | undefined;
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: shutting down`);
    await app?.close().catch((error: unknown) => logger.error({ err: error }, 'error while closing the server'));
    await database.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop('SIGINT received', 0));
  process.once('SIGTERM', () => void stop('SIGTERM received', 0));

  try {
    if (config.database.migrate) await runMigrations(database.ownerUrl, say);
    else say('HARBOUR_MIGRATE=false: not applying migrations (/health/ready reports pending ones)');

    app = await createHttpApp(config, database.appUrl, logger);
    const seeder = app.get(DemoSeeder);
    if (config.database.seedDemo && (await seeder.seedIfEmpty())) say('seeded the demo network');
    const demo = await seeder.hasDemoAccounts();
    if (demo)
      logger.warn(
        `THIS DATABASE HOLDS DEMO ACCOUNTS (…@harbour.test, password "${DEMO_PASSWORD}"). Never use it for real clients.`,
      );

    await app.listen({ port: config.port, host: config.host });
    const port = new URL(await app.getUrl()).port;
    const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;
    process.stdout.write(
      [
        '',
        `Harbour is listening on ${config.host}:${port}`,
        `  GraphQL:         ${url}/graphql`,
        `  Apollo Sandbox:  open ${url}/graphql in a browser`,
        `  Health:          ${url}/health/ready`,
        ...(database.embedded ? [`  Database:        embedded PostgreSQL, data in ${config.database.dataDir}/`] : []),
        ...(demo
          ? [
              '',
              `Demo accounts, all with password "${DEMO_PASSWORD}":`,
              ...seeder.demoAccountLines().map((line) => `  ${line}`),
            ]
          : []),
        '',
      ].join('\n') + '\n',
    );
  } catch (error) {
    logger.error({ err: error }, 'Harbour failed to start');
    await stop('start-up failed', 1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `Harbour failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
