/**
 * One delivery attempt of one message to one endpoint, over HTTPS, after Standard Webhooks 1.0.
 *
 * Safe against server-side request forgery: the URL is checked by the URL policy, the host is
 * resolved at delivery time (every address `dns.lookup` returns) and every address is checked by
 * the address policy — one refused address refuses the delivery before anything is connected — and
 * the connection is pinned to the checked addresses: the request's `lookup` answers with them (Node
 * tries each in turn until one connects), so a DNS
 * answer that changes between the check and the connection (rebinding) is never used, while TLS
 * (SNI, certificate) and the Host header keep the name. `http:` URLs (development only) must
 * resolve to loopback addresses alone.
 *
 * The request is a POST of the caller's JSON body with `content-type: application/json`,
 * `webhook-id`, `webhook-timestamp`, `webhook-signature` and `user-agent: Harbour-Webhooks/1.0`;
 * redirects are not followed (a 3xx is a failure). The whole attempt, DNS included, has 15 seconds
 * unless told otherwise. At most 4 kB of the answer are read, then the connection is destroyed;
 * the body is never kept, returned or logged. The outcome holds a status, a duration and a class
 * of error (see DeliveryOutcome); the sender never logs and its outcomes carry no message.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import { isLoopbackAddress, type AddressPolicy } from './address-policy';
import { outcomeOfStatus, type DeliveryErrorClass, type DeliveryOutcome } from './delivery-outcome';
import { sign } from './signature';
import { checkWebhookUrl, hostAddress } from './url-policy';

export const USER_AGENT = 'Harbour-Webhooks/1.0';
export const DEFAULT_TIMEOUT_MS = 15_000;
/** The most of a response's body that is read before the connection is destroyed. */
export const MAX_RESPONSE_BYTES = 4096;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address of a host name, in the resolver's order. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (`dns.lookup`, all addresses, in the order it gives them). */
export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export interface WebhookSenderOptions {
  readonly addressPolicy: AddressPolicy;
  /** In production `http:` endpoints are refused. */
  readonly production: boolean;
  /** For the whole attempt, DNS included. */
  readonly timeoutMs?: number;
  readonly resolve?: Resolver;
  /** PEM certificates trusted besides the system's roots: a test receiver's self-signed one. */
  readonly trustedCertificates?: readonly string[];
  /** Milliseconds since the epoch, to read Retry-After dates. */
  readonly now?: () => number;
}

export interface WebhookMessage {
  readonly url: string;
  /** The endpoint's current secrets: one, or two while it is rotated. */
  readonly secrets: readonly string[];
  /** `webhook-id`: the event's id, the same on every attempt. */
  readonly id: string;
  /** `webhook-timestamp`: when this attempt is made (the signature covers it). */
  readonly timestamp: Date;
  /** The JSON body, serialised by the caller: `{ type, timestamp, data }`. */
  readonly body: string;
}

type Attempt = Omit<DeliveryOutcome, 'durationMs'>;

type Exchange =
  | { readonly kind: 'answer'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'failure'; readonly errorClass: DeliveryErrorClass };

const failure = (errorClass: DeliveryErrorClass): Attempt => ({ ok: false, errorClass });

/**
 * A `lookup` for `http.request` that answers with the checked addresses, whatever the name: all of
 * them when asked for all (Node then tries each in turn), else the first.
 */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [...addresses]);
    else callback(null, addresses[0].address, addresses[0].family);
  };
}

/** Settles with `promise`, or rejects once `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class WebhookSender {
  private readonly timeoutMs: number;
  private readonly resolve: Resolver;
  private readonly ca?: string[];
  private readonly now: () => number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // setTimeout fires at once beyond 2^31 - 1 ms.
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs < 1 || this.timeoutMs > 2 ** 31 - 1) {
      throw new RangeError('timeoutMs is a whole number of milliseconds, at least 1');
    }
    this.resolve = options.resolve ?? systemResolver;
    this.ca = options.trustedCertificates ? [...rootCertificates, ...options.trustedCertificates] : undefined;
    this.now = options.now ?? Date.now;
  }

  /**
   * Never rejects for anything the network or the receiver does. It throws only when the message
   * itself cannot be signed (a malformed secret or id), before anything is sent.
   */
  async send(message: WebhookMessage): Promise<DeliveryOutcome> {
    const started = performance.now();
    const timestamp = Math.floor(message.timestamp.getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': message.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(message.secrets, message.id, timestamp, message.body),
      'content-length': String(Buffer.byteLength(message.body, 'utf8')),
    };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    try {
      const attempt = await this.attempt(message.url, headers, message.body, deadline.signal);
      return { ...attempt, durationMs: Math.round(performance.now() - started) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async attempt(
    text: string,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<Attempt> {
    const checked = checkWebhookUrl(text, {
      production: this.options.production,
      addressPolicy: this.options.addressPolicy,
    });
    if (!checked.ok) return failure(checked.reason === 'ADDRESS_REFUSED' ? 'ADDRESS_REFUSED' : 'URL_REFUSED');
    const url = checked.url;
    const literal = hostAddress(url);
    let addresses: readonly ResolvedAddress[];
    if (literal !== undefined) {
      addresses = [{ address: literal, family: isIP(literal) === 6 ? 6 : 4 }];
    } else {
      try {
        addresses = await untilAborted(this.resolve(url.hostname), signal);
      } catch {
        return failure(signal.aborted ? 'TIMEOUT' : 'DNS');
      }
      if (addresses.length === 0) return failure('DNS');
      if (addresses.some(({ address }) => !this.options.addressPolicy.check(address).allowed)) {
        return failure('ADDRESS_REFUSED');
      }
      if (url.protocol === 'http:' && !addresses.every(({ address }) => isLoopbackAddress(address))) {
        return failure('ADDRESS_REFUSED');
      }
    }
    const exchange = await this.exchange(url, addresses, literal === undefined, headers, body, signal);
    return exchange.kind === 'answer'
      ? outcomeOfStatus(exchange.status, exchange.retryAfter, this.now())
      : failure(exchange.errorClass);
  }

  private exchange(
    url: URL,
    addresses: readonly ResolvedAddress[],
    byName: boolean,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<Exchange> {
    const secure = url.protocol === 'https:';
    return new Promise<Exchange>((resolve) => {
      let settled = false;
      let answer: Exchange | undefined;
      // Where the connection got to, which tells a TLS failure from a network one.
      let phase: 'connecting' | 'handshake' | 'http' = 'connecting';
      const finish = (result: Exchange) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        request.destroy();
        resolve(result);
      };
      const onAbort = () => finish(answer ?? { kind: 'failure', errorClass: 'TIMEOUT' });
      const request = (secure ? https : http).request({
        method: 'POST',
        hostname: hostAddress(url) ?? url.hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers,
        agent: false,
        lookup: pinnedLookup(addresses),
        ...(secure && byName ? { servername: url.hostname.replace(/\.$/, '') } : {}),
        ...(secure && this.ca ? { ca: this.ca } : {}),
      });
      request.on('socket', (socket) => {
        socket.once('connect', () => (phase = secure ? 'handshake' : 'http'));
        socket.once('secureConnect', () => (phase = 'http'));
      });
      request.on('response', (response) => {
        const retryAfter = response.headers['retry-after'];
        answer = { kind: 'answer', status: response.statusCode ?? 0, retryAfter };
        let read = 0;
        const done = () => finish(answer!);
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= MAX_RESPONSE_BYTES) done();
        });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        finish(answer ?? { kind: 'failure', errorClass: errorClassOf(error, phase) });
      });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      request.end(body);
    });
  }
}

function errorClassOf(error: NodeJS.ErrnoException, phase: 'connecting' | 'handshake' | 'http'): DeliveryErrorClass {
  if (phase === 'handshake') return 'TLS';
  if (phase === 'http' && error.code?.startsWith('HPE_')) return 'PROTOCOL';
  return 'CONNECTION';
}
