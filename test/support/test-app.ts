/**
 * One booted Harbour per test file, on a fresh database of its own, built by the same code as
 * `npm start` (createHttpApp) and reached over HTTP with supertest.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '../../src/common/logging/logger';
import request from 'supertest';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createHttpApp } from '../../src/http-app';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> & { code?: string } }[];
  headers: Record<string, string>;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  orm: MikroORM;
  /** Every JSON log line the app wrote (level info and up), for tests that check what is logged. */
  logs: string[];
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  /** A raw HTTP request, for what is not a single GraphQL operation (batches, health endpoints). */
  http(): ReturnType<typeof request>;
  /** Listens on an ephemeral loopback port (once); returns the WebSocket URL of `/graphql`. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/**
 * `database`: boot on an existing test database (another instance's), as a second server process
 * of the same deployment would — its own pool, relay and LISTEN connection.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig(
    {
      HARBOUR_ENV: 'test',
      DATABASE_URL: database.ownerUrl,
      DATABASE_APP_URL: database.appUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'info',
      LOGIN_SLOWDOWN_STEP_MS: '10',
      // Every test file talks from one address, far faster than people do; rate limits have their own tests.
      RATE_LIMIT_ADDRESS_BURST: '1000000',
      RATE_LIMIT_CREDENTIAL_BURST: '1000000',
      ...env,
    },
    () => 'unused',
  );
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const app = await createHttpApp(config, database.appUrl, logger);
  const orm = app.get<typeof MikroORM, MikroORM>(MikroORM);
  const server = app.getHttpServer();
  return {
    app,
    config,
    database,
    orm,
    logs,
    async gql<T>(query: string, variables?: Record<string, unknown>, token?: string) {
      const call = request(server).post('/graphql').set('content-type', 'application/json');
      if (token) void call.set('authorization', `Bearer ${token}`);
      const response = await call.send({ query, variables });
      const body = response.body as { data?: T | null; errors?: GraphQLResponse['errors'] };
      return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
    },
    http: () => request(server),
    async listen() {
      if (!server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = server.address() as AddressInfo;
      return `ws://127.0.0.1:${port}/graphql`;
    },
    close: () => app.close(),
  };
}
