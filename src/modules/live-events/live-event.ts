/**
 * A committed partner event as the live inbox carries it between server processes (PostgreSQL
 * NOTIFY) and to subscribers: the outbox event's id, type, time, the organizations told (for
 * routing only: never shown) and its id-only data.
 */
export interface LiveEvent {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly organizationIds: readonly string[];
  readonly data: Readonly<Record<string, string | number | boolean | null>>;
}

/** The channel the relay notifies on and every process listens to (per database, like every NOTIFY). */
export const LIVE_EVENTS_CHANNEL = 'harbour_live_events';
/** NOTIFY payloads must stay under 8,000 bytes: events travel in chunks below this. */
export const NOTIFY_PAYLOAD_MAX_BYTES = 7500;

const isString = (value: unknown): value is string => typeof value === 'string';
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** The events of one notification's payload, or null when it is not one of ours. */
export function parseLiveEvents(payload: string): LiveEvent[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== 1) return null;
  const events = (parsed as { events?: unknown }).events;
  if (!Array.isArray(events)) return null;
  const valid = events.every((event: unknown) => {
    if (typeof event !== 'object' || event === null) return false;
    const e = event as Record<string, unknown>;
    return (
      isString(e.id) &&
      isString(e.type) &&
      isString(e.occurredAt) &&
      Array.isArray(e.organizationIds) &&
      e.organizationIds.every(isString) &&
      typeof e.data === 'object' &&
      e.data !== null &&
      Object.values(e.data).every(isScalar)
    );
  });
  return valid ? (events as LiveEvent[]) : null;
}

/**
 * The NOTIFY payloads of a batch of events: `{"v":1,"events":[…]}`, each under
 * NOTIFY_PAYLOAD_MAX_BYTES, in feed order. An event too large for a payload on its own (an id-only
 * event never is) is left out and counted.
 */
export function notifyPayloads(events: readonly LiveEvent[]): { payloads: string[]; skipped: number } {
  const envelope = (parts: string[]) => `{"v":1,"events":[${parts.join(',')}]}`;
  const payloads: string[] = [];
  let current: string[] = [];
  let bytes = Buffer.byteLength(envelope([]));
  let skipped = 0;
  for (const event of events) {
    const text = JSON.stringify(event);
    const size = Buffer.byteLength(text) + 1;
    if (Buffer.byteLength(envelope([text])) > NOTIFY_PAYLOAD_MAX_BYTES) {
      skipped += 1;
      continue;
    }
    if (bytes + size > NOTIFY_PAYLOAD_MAX_BYTES) {
      payloads.push(envelope(current));
      current = [];
      bytes = Buffer.byteLength(envelope([]));
    }
    current.push(text);
    bytes += size;
  }
  if (current.length > 0) payloads.push(envelope(current));
  return { payloads, skipped };
}
