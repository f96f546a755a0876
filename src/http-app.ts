import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { authenticateRequests } from './auth/request-authentication.hook';
import { RequestAuthenticator } from './auth/request-authenticator';
import { limitWebSockets } from './graphql/graphql-ws';
import { limitRequestRates } from './http/rate-limit.hook';
import { AuditTrail } from '@harbour/audit';
import type { AppConfig } from './config/app-config';

/** Request bodies and WebSocket messages are GraphQL documents and variables: far below this. */
const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Builds the Nest application on Fastify; used by `main.ts` and by the e2e tests, so that what is
 * tested is what runs. The caller listens (or injects requests) and closes it.
 */
export async function createHttpApp(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
  options: Pick<AppModuleOptions, 'benchmarkWithoutAudit'> = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    // Our own id for every request (a caller-sent header is not trusted); the raw request carries it
    // too so that pino-http logs it and GraphQL errors quote it.
    requestIdHeader: false,
    genReqId: (raw: IncomingMessage) => {
      const id = randomUUID();
      (raw as IncomingMessage & { id?: string }).id = id;
      return id;
    },
  });
  // Nest's own lifecycle chatter stays out of the log: only its warnings and errors, as JSON lines
  // until the app's logger takes over, then through the one pino logger every other line goes to.
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl, logger, ...options }),
    adapter,
    {
      logger: new ConsoleLogger({ json: true, logLevels: ['fatal', 'error', 'warn'] }),
    },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  limitRequestRates(fastify, config.rateLimits, app.get(AuditTrail), logger);
  authenticateRequests(fastify, app.get(RequestAuthenticator));
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  await app.init();
  limitWebSockets(app, BODY_LIMIT_BYTES, logger);
  await fastify.ready();
  return app;
}
