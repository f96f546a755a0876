import { formatGraphQLError, gateOperation, loggableError, type OperationGateOptions } from '@harbour/graphql-kit';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphQLModule } from '@nestjs/graphql';
import { GraphQLError, type GraphQLSchema, OperationTypeNode } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import type { LiveConnections, LiveContext } from './live-connections';

const INTERNAL = 'INTERNAL_SERVER_ERROR';
/** Where Apollo serves HTTP and graphql-ws its WebSocket (graphql-options.ts). */
export const GRAPHQL_PATH = '/graphql';

/** An error as the caller sees it, through the one formatter HTTP uses, with the operation's request id. */
function shown(error: GraphQLError, requestId: string, logger: Logger) {
  const formatted = formatGraphQLError(error.toJSON(), error);
  if (formatted.extensions?.code === INTERNAL) {
    logger.error(
      { requestId, err: error.originalError ?? error, path: error.path },
      'unexpected error in GraphQL operation',
    );
    return {
      ...formatted,
      message: `Internal server error. Quote request id ${requestId} when reporting it.`,
      extensions: { ...formatted.extensions, requestId },
    };
  }
  return { ...formatted, extensions: { ...formatted.extensions, requestId } };
}

/**
 * The graphql-ws server's hooks (`@nestjs/apollo` passes them to graphql-ws's `useServer` on
 * `/graphql`). graphql-ws alone would parse and validate without Harbour's limits: `onSubscribe`
 * runs every rule an HTTP request meets before execution (`gateOperation`), serves subscriptions
 * only, and hands the operation its own context; `onNext` formats errors exactly as over HTTP.
 */
export function graphqlWsOptions(
  live: LiveConnections,
  schema: () => GraphQLSchema,
  gate: Omit<OperationGateOptions, 'allowed'>,
  logger: Logger,
): GraphQLWsSubscriptionsConfig {
  type Extra = Parameters<LiveConnections['connect']>[0];
  return {
    connectionInitWaitTimeout: 3000,
    onConnect: (ctx) => live.connect(ctx.extra as Extra, ctx.connectionParams),
    onClose: (ctx) => live.disconnect(ctx.extra as Extra),
    onSubscribe: (ctx, _id, payload) => {
      const contextValue = live.contextOf(ctx.extra as Extra);
      if (!contextValue) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
      const gated = gateOperation(schema(), payload, { ...gate, allowed: [OperationTypeNode.SUBSCRIPTION] });
      if (!gated.ok) {
        return gated.errors.map((error) => {
          const formatted = shown(error, contextValue.requestId, logger);
          return new GraphQLError(formatted.message, {
            source: error.source,
            positions: error.positions,
            nodes: error.nodes,
            extensions: formatted.extensions,
          });
        });
      }
      return {
        schema: schema(),
        document: gated.document,
        operationName: gated.operationName,
        variableValues: gated.variables,
        contextValue,
      };
    },
    onNext: (_ctx, _id, _payload, args, result) => {
      if (!result.errors) return undefined;
      const { requestId } = args.contextValue as LiveContext;
      return { ...result, errors: result.errors.map((error) => shown(error, requestId, logger)) };
    },
  };
}

/**
 * What `@nestjs/apollo` leaves at `ws`'s defaults on the graphql-ws server it creates: a message may
 * be at most `maxBytes` (ws's default is 100 MiB; beyond the cap ws closes with 1009), and a socket
 * error (a bad frame, an oversized message) is logged by Harbour's logger, without its message,
 * rather than printed to the console by graphql-ws. The server is reached through the driver's
 * internals, so this fails the start, loudly, if a new version moves them.
 */
export function limitWebSockets(app: NestFastifyApplication, maxBytes: number, logger: Logger): void {
  // An upgrade to any other path would be left hanging by the driver's handler (it answers only its own path).
  app.getHttpServer().on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    if (!request.url?.startsWith(GRAPHQL_PATH)) socket.destroy();
  });
  const driver = app.get(GraphQLModule, { strict: false }).graphQlAdapter as unknown as {
    _subscriptionService?: { wss?: WebSocketServer };
  };
  const wss = driver._subscriptionService?.wss;
  if (!wss?.options)
    throw new Error('The graphql-ws server of @nestjs/apollo was not found: cannot limit its messages');
  wss.options.maxPayload = maxBytes;
  wss.on('connection', (socket: WebSocket) => {
    socket.removeAllListeners('error');
    // ws closes the connection itself (1009 for an oversized message, 1002 for a bad frame).
    socket.on('error', (error) => logger.warn({ err: loggableError(error) }, 'WebSocket connection error'));
  });
}
