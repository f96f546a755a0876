/**
 * A partner's live-inbox client, as a partner would write it: graphql-ws's `createClient` over the
 * `ws` package. It records everything it receives and how its connection ended, and `until` waits
 * for a condition instead of sleeping.
 */
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
}

export interface LiveClient {
  /** Every `next` payload of the subscription. */
  readonly results: ExecutionResult<Record<string, unknown>>[];
  /** What ended the subscription with an error (a close event, or GraphQL errors), if anything did. */
  readonly errors: unknown[];
  /** How the socket closed, once it did. */
  closed: Closed | null;
  completed: boolean;
  dispose(): Promise<void>;
}

export interface LiveOptions {
  authorization?: string;
  /** The whole connection_init payload, when not `{ authorization }`. */
  connectionParams?: Record<string, unknown>;
  query?: string;
  variables?: Record<string, unknown>;
}

export const REFERRAL_EVENTS = `subscription ($types: [WebhookEventType!]) { referralEvents(types: $types) {
  id type occurredAt referralId consentId status previousStatus version serviceId sendingOrganizationId receivingOrganizationId actingOrganizationId noteId } }`;

export function live(url: string, options: LiveOptions = {}): LiveClient {
  const state: LiveClient = {
    results: [],
    errors: [],
    closed: null,
    completed: false,
    dispose: async () => {
      await client.dispose();
    },
  };
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams:
      options.connectionParams ?? (options.authorization ? { authorization: options.authorization } : {}),
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        state.closed = { code, reason: String(reason) };
      },
    },
  });
  client.subscribe(
    { query: options.query ?? REFERRAL_EVENTS, variables: options.variables ?? {} },
    {
      next: (result) => void state.results.push(result as ExecutionResult<Record<string, unknown>>),
      error: (error) => void state.errors.push(error),
      complete: () => (state.completed = true),
    },
  );
  return state;
}

/** Waits until `condition` holds (polling every 10 ms), or fails after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
