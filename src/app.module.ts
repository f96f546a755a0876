import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { AuditModule, DenialAuditFilter } from '@harbour/audit';
import { AUTHZ_OPTIONS, PermissionGuard, type AuthzOptions } from '@harbour/authz';
import { InputValidationPipe, loggableError } from '@harbour/graphql-kit';
import { OutboxModule } from '@harbour/outbox';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AccessModule } from './access/access.module';
import { AuthModule } from './auth/auth.module';
import { AuthenticationGuard } from './auth/authentication.guard';
import { ClockModule } from './common/clock';
import { NotificationsModule } from './database/notifications/notifications.module';
import { type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ormOptions } from './database/mikro-orm.config';
import { graphqlOptions } from './graphql/graphql-options';
import { LiveConnections } from './graphql/live-connections';
import { LiveConnectionsModule } from './graphql/live-connections.module';
import { loadTrustedDocuments } from './graphql/trusted-documents';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { SeedModule } from './seed/seed.module';
import { AuditEventsModule, AuditVerificationModule } from './modules/audit';
import { ClientsModule } from './modules/clients';
import { LiveEventsModule } from './modules/live-events';
import { ConsentModule } from './modules/consent';
import { DirectoryModule } from './modules/directory';
import { ErasureModule } from './modules/erasure';
import { OrganizationsModule } from './modules/organizations';
import { PartnerEventsModule } from './modules/partner-events';
import { ReferralsModule } from './modules/referrals';
import { ReportsModule } from './modules/reports';
import { ServiceAreasModule } from './modules/service-areas';
import { StaffModule } from './modules/staff';
import { StaffTrainingModule } from './modules/training';
import { WebhooksModule } from './modules/webhooks';

export interface AppModuleOptions {
  config: AppConfig;
  /** Runtime connection (the role that owns nothing). */
  databaseUrl: string;
  logger: Logger;
  /** False only to build the schema offline (schema:check): no connection is opened. */
  connect?: boolean;
  /**
   * Benchmarks only (`npm run bench:audit` measures what auditing costs): the app without its
   * audit trail. Configuration never sets this, so no deployment can switch auditing off.
   */
  benchmarkWithoutAudit?: boolean;
}

@Module({})
export class AppModule {
  static forRoot({
    config,
    databaseUrl,
    logger,
    connect = true,
    benchmarkWithoutAudit = false,
  }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            // Fastify generated the id; every log line of the request carries it.
            genReqId: (req) => (req as { id?: string }).id ?? 'unknown',
            customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
            serializers: {
              // The path only: a query string could carry a GraphQL document with a password in it.
              req: (req: { id: string; method: string; url: string }) => ({
                id: req.id,
                method: req.method,
                path: req.url.split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              // pino-http brings its own error serializer, which would log messages (SQL with values).
              err: loggableError,
            },
          },
        }),
        MikroOrmModule.forRoot({ ...ormOptions(databaseUrl, { connect }), registerRequestContext: true }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [LiveConnectionsModule],
          inject: [LiveConnections, GraphQLSchemaHost],
          useFactory: (live: LiveConnections, schemaHost: GraphQLSchemaHost) =>
            graphqlOptions(logger, {
              env: config.env,
              trustedDocuments: loadTrustedDocuments(config.graphql.trustedDocumentsPath),
              live,
              schema: () => schemaHost.schema,
            }),
        }),
        AuditModule.forRoot({ ...config.audit, ...(benchmarkWithoutAudit ? { enabled: false } : {}) }),
        OutboxModule.forRoot({ intervalMs: config.outbox.relayIntervalMs }),
        ClockModule,
        NotificationsModule,
        AccessModule,
        IdempotencyModule,
        HealthModule,
        AuthModule,
        OrganizationsModule,
        DirectoryModule,
        StaffModule,
        ServiceAreasModule,
        ReportsModule,
        StaffTrainingModule,
        ClientsModule,
        ConsentModule,
        ReferralsModule,
        ErasureModule,
        WebhooksModule,
        PartnerEventsModule,
        LiveEventsModule,
        AuditEventsModule,
        AuditVerificationModule,
        SeedModule,
      ],
      providers: [
        { provide: AUTHZ_OPTIONS, useValue: { trainingRequired: config.training.required } satisfies AuthzOptions },
        // Order matters: authenticate first, then enforce the declared permission.
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
        { provide: APP_PIPE, useClass: InputValidationPipe },
        { provide: APP_FILTER, useClass: DenialAuditFilter },
      ],
    };
  }
}
