/**
 * A partner's webhook receiver for the e2e tests: a real HTTP server on loopback that answers as
 * the test says (200 unless told otherwise) and verifies every request it receives exactly as a
 * partner would, with `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { answer, type Handler, type ReceivedRequest, startReceiver, type Receiver } from './webhook-receiver';

export interface WebhookMessage {
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
  /** The body exactly as received. */
  readonly raw: string;
  readonly headers: IncomingHttpHeaders;
}

export interface Partner {
  readonly receiver: Receiver;
  /** `http://127.0.0.1:<port>/<path>` (or `localhost`). */
  url(path?: string, host?: string): string;
  /** What the receiver answers from now on. */
  answerWith(handler: Handler): void;
  /** Every request so far, each verified with `secret` (throws on the first that does not verify), as messages. */
  messages(secret: string): WebhookMessage[];
  requests(): readonly ReceivedRequest[];
  close(): Promise<void>;
}

/** Verifies one request with one secret as a partner would: the parsed body, or the verification error thrown. */
export function verify(secret: string, request: ReceivedRequest): WebhookMessage {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : (value ?? ''),
    ]),
  );
  const body = new Webhook(secret).verify(request.body, headers) as Omit<WebhookMessage, 'id' | 'raw' | 'headers'>;
  return { ...body, id: String(request.headers['webhook-id']), raw: request.body, headers: request.headers };
}

export async function startPartner(): Promise<Partner> {
  let handler: Handler = answer(200);
  const receiver = await startReceiver((request, response) => handler(request, response));
  return {
    receiver,
    url: (path = 'hooks', host = '127.0.0.1') => `http://${host}:${receiver.port}/${path}`,
    answerWith: (next) => (handler = next),
    messages: (secret) => receiver.requests.map((request) => verify(secret, request)),
    requests: () => receiver.requests,
    close: () => receiver.close(),
  };
}
