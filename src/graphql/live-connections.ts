import { AuditCategory, anonymousContext, auditContextOf, AuditTrail, type AuditContext } from '@harbour/audit';
import type { Actor, Permission } from '@harbour/authz';
import { BadUserInputError } from '@harbour/graphql-kit';
import {
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { RequestAuthenticator, type Credential } from '../auth/request-authenticator';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/**
 * The close codes of Harbour's WebSocket connections, beside graphql-ws's own (4400 bad message,
 * 4408 no `connection_init` in time…). Their reasons are fixed texts: nothing an attacker could use.
 */
export const LiveCloseCode = {
  /** No credential, a bad one, or an access token that expired while connected: sign in again. */
  Unauthorized: 4401,
  /** The credential was revoked or deactivated, or no longer grants what a subscription needs. */
  Forbidden: 4403,
  /** The credential's holder already has its maximum of open connections. */
  TooManyConnections: 4429,
  /** The subscriber fell too far behind (RFC 6455 "Try Again Later"): reconnect, and catch up through the API. */
  SlowConsumer: 1013,
} as const;

/** One authenticated graphql-ws connection. */
export class LiveConnection {
  closed = false;
  /** The permissions each running subscription needs (any one of them), checked again with every fresh actor. */
  private readonly requirements = new Set<readonly Permission[]>();

  constructor(
    readonly id: string,
    /** The credential's holder, refreshed at every recheck. */
    public actor: Actor,
    /** The `authorization` value of `connection_init`, checked again every recheck. */
    readonly authorization: string,
    /** When an access token stops being valid (ms since the epoch); null for an API key. */
    readonly expiresAt: number | null,
    private readonly socket: { close(code: number, reason: string): void },
  ) {}

  /** The credential's holder: an API client, or a person acting for one organization. */
  get holder(): string {
    return `${this.actor.kind}:${this.actor.id}:${this.actor.organizationId}`;
  }

  /** Keeps `anyOf` required of the connection's credential until the returned function is called. */
  require(anyOf: readonly Permission[]): () => void {
    this.requirements.add(anyOf);
    return () => this.requirements.delete(anyOf);
  }

  /** Whether `actor` still holds what every running subscription needs. */
  allows(actor: Actor): boolean {
    return [...this.requirements].every((anyOf) => anyOf.some((permission) => actor.permissions.has(permission)));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }
}

/** What a graphql-ws operation's resolvers see as their context: a request-like object with its actor, as over HTTP. */
export interface LiveContext {
  req: { id: string; ip: string; user: Actor; live: LiveConnection };
  requestId: string;
}

/** `WebSocket.OPEN` of the ws package. */
const WEBSOCKET_OPEN = 1;

/** The graphql-ws context of a socket, as the `ws` adapter fills it in. */
interface SocketExtra {
  socket: { close(code: number, reason: string): void; readonly readyState: number };
  request: IncomingMessage;
}

/**
 * Harbour's graphql-ws connections: authenticated once in `connection_init` with the same
 * credentials and rules as HTTP, capped per credential holder, and checked again every
 * `SUBSCRIPTION_RECHECK_MS`, so that a revoked key, a deactivated account, a role change or an
 * expired token ends the connection within moments, as it would end the next HTTP request.
 */
@Injectable()
export class LiveConnections implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly open = new Set<LiveConnection>();
  private readonly bySocket = new WeakMap<object, LiveConnection>();
  private timer: NodeJS.Timeout | undefined;
  private rechecking: Promise<void> | undefined;

  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(LiveConnections.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.rechecking ??= this.recheck().finally(() => (this.rechecking = undefined));
    }, this.config.subscriptions.recheckMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.rechecking;
  }

  /** Open connections (for tests and health). */
  get size(): number {
    return this.open.size;
  }

  /**
   * graphql-ws `onConnect`: the credential of `connection_init` (`authorization`, or
   * `Authorization`, as `Bearer <access token or API key>`). Refusals close the socket themselves
   * (graphql-ws would say 4403 to everything) and are audited as denials.
   */
  async connect(extra: SocketExtra, params: Readonly<Record<string, unknown>> | undefined): Promise<boolean> {
    const requestInfo = { id: randomUUID(), sourceAddress: this.addressOf(extra.request) };
    const value = params?.authorization ?? params?.Authorization;
    const authorization = typeof value === 'string' ? value : undefined;
    let credential: Credential;
    try {
      credential =
        authorization === undefined ? { kind: 'none' } : await this.authenticator.authenticate(authorization);
    } catch (error) {
      this.logger.error({ err: error, connectionId: requestInfo.id }, 'could not check a WebSocket credential');
      extra.socket.close(4500, 'Internal server error');
      return false;
    }
    if (credential.kind !== 'valid' || authorization === undefined) {
      await this.refused(anonymousContext(requestInfo), 'UNAUTHENTICATED');
      extra.socket.close(LiveCloseCode.Unauthorized, 'Unauthorized');
      return false;
    }
    const actor: Actor = { ...credential.actor, request: requestInfo };
    const connection = new LiveConnection(
      requestInfo.id,
      actor,
      authorization,
      this.authenticator.accessTokenExpiry(authorization),
      extra.socket,
    );
    // The socket may have closed while the credential was checked (a bad message, a message too
    // large): graphql-ws's onClose has run already, so registering it now would leak it.
    if (extra.socket.readyState !== WEBSOCKET_OPEN) return false;
    const holding = [...this.open].filter((c) => c.holder === connection.holder).length;
    if (holding >= this.config.subscriptions.maxConnectionsPerCredential) {
      await this.refused(auditContextOf(actor), 'TOO_MANY_CONNECTIONS');
      extra.socket.close(LiveCloseCode.TooManyConnections, 'Too many connections for this credential');
      return false;
    }
    this.open.add(connection);
    this.bySocket.set(extra.socket, connection);
    return true;
  }

  /** graphql-ws `onClose`. */
  disconnect(extra: SocketExtra): void {
    const connection = this.bySocket.get(extra.socket);
    if (!connection) return;
    connection.closed = true;
    this.open.delete(connection);
  }

  /** The context of one operation on an authenticated socket: a request of its own (id) by the connection's current actor. */
  contextOf(extra: SocketExtra): LiveContext | null {
    const connection = this.bySocket.get(extra.socket);
    if (!connection || connection.closed) return null;
    const id = randomUUID();
    const user: Actor = { ...connection.actor, request: { id, sourceAddress: connection.actor.request.sourceAddress } };
    return { req: { id, ip: user.request.sourceAddress, user, live: connection }, requestId: id };
  }

  /**
   * Every open connection's credential, checked again — each distinct credential once. A check that
   * fails for want of the database leaves the connection open: that is not a revocation.
   */
  async recheck(): Promise<void> {
    const checks = new Map<string, Promise<Credential | null>>();
    const check = (authorization: string) =>
      this.authenticator.authenticate(authorization).catch((error: unknown) => {
        this.logger.error({ err: error }, 'could not recheck a WebSocket credential; the connection stays open');
        return null;
      });
    await Promise.all(
      [...this.open].map(async (connection) => {
        if (connection.expiresAt !== null && Date.now() >= connection.expiresAt) {
          connection.close(LiveCloseCode.Unauthorized, 'Unauthorized');
          return;
        }
        let pending = checks.get(connection.authorization);
        if (!pending) checks.set(connection.authorization, (pending = check(connection.authorization)));
        const credential = await pending;
        if (credential === null || connection.closed) return;
        if (credential.kind !== 'valid') {
          connection.close(LiveCloseCode.Forbidden, 'Forbidden');
          return;
        }
        const fresh: Actor = { ...credential.actor, request: connection.actor.request };
        if (!connection.allows(fresh)) {
          connection.close(LiveCloseCode.Forbidden, 'Forbidden');
          return;
        }
        connection.actor = fresh;
      }),
    );
  }

  private async refused(context: AuditContext, code: string): Promise<void> {
    try {
      await this.audit.recordDenied(context, {
        action: 'graphql.connectionInit',
        category: AuditCategory.EXECUTE,
        details: { code, transport: 'graphql-ws' },
      });
    } catch (error) {
      this.logger.error(
        { err: error, requestId: context.requestId },
        'could not record a refused WebSocket connection',
      );
    }
  }

  /** The caller's address: the socket's peer, or with TRUST_PROXY the first address of X-Forwarded-For (as Fastify reads it). */
  private addressOf(request: IncomingMessage): string {
    const peer = request.socket.remoteAddress ?? 'unknown';
    if (!this.config.trustProxy) return peer;
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    return first && isIP(first) ? first : peer;
  }
}

/** The graphql-ws connection an operation runs on; a subscription sent over HTTP has none and is refused. */
export const CurrentLiveConnection = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const connection = GqlExecutionContext.create(context).getContext<Partial<LiveContext>>().req?.live;
  if (!connection)
    throw new BadUserInputError('Subscriptions are served over WebSocket (graphql-ws) on /graphql, not over HTTP.');
  return connection;
});
