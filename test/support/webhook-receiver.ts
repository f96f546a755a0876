/**
 * Real webhook receivers on loopback for the sender's tests: an HTTP or HTTPS server that records
 * every connection and request (headers, body, and for HTTPS the SNI name) and answers with the
 * test's handler; and a resolver that answers from a table and counts its calls.
 */
import { once } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ResolvedAddress, Resolver } from '@harbour/webhooks';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The TLS server name the client sent (SNI), for HTTPS. */
  readonly servername?: string;
  /** When the whole request had arrived (`performance.now()` of the receiving process). */
  readonly receivedAt: number;
}

export interface Receiver {
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** TCP connections accepted, requests or not. */
  connections: number;
  close(): Promise<void>;
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export const answer =
  (status: number, headers: Record<string, string> = {}, body = ''): Handler =>
  (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };

export interface ReceiverOptions {
  readonly host?: string;
  readonly port?: number;
  /** Serve HTTPS with this certificate and key. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export async function startReceiver(handler: Handler, options: ReceiverOptions = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const listener = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        servername: options.tls ? ((request.socket as TLSSocket).servername as string | undefined) : undefined,
        receivedAt: performance.now(),
      });
      handler(request, response);
    });
  };
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);
  const sockets = new Set<Socket>();
  const receiver = {
    port: 0,
    requests,
    connections: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  server.on('connection', (socket: Socket) => {
    receiver.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A refused TLS handshake is the client's business; the server only records it.
  server.on('tlsClientError', () => undefined);
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  receiver.port = (server.address() as AddressInfo).port;
  return receiver;
}

export interface TableResolver extends Resolver {
  /** The names asked for, in order. */
  readonly calls: string[];
}

/**
 * Answers each name from `table`: a list of addresses, or a function of the call's number (from 1)
 * for answers that change. An unknown name fails as `dns.lookup` does (ENOTFOUND).
 */
export function tableResolver(table: Record<string, string[] | ((call: number) => string[])>): TableResolver {
  const calls: string[] = [];
  const resolve = (hostname: string): Promise<readonly ResolvedAddress[]> => {
    calls.push(hostname);
    const entry = table[hostname];
    if (entry === undefined) {
      return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    }
    const addresses = typeof entry === 'function' ? entry(calls.filter((name) => name === hostname).length) : entry;
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return Object.assign(resolve, { calls });
}
