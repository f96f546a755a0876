/**
 * The outbox read back in commit-safe order (libs/outbox/src/outbox-feed.ts) and the relay that
 * hands it to consumers (outbox-relay.ts), against transactions that really commit out of order:
 * two raw connections write events in one order and commit in the other, and the feed must hand
 * out every event exactly once, never skipping one that commits late.
 */
import {
  decodeFeedCursor,
  encodeFeedCursor,
  type FeedEvent,
  type FeedPosition,
  OutboxFeed,
  OutboxRelay,
} from '@harbour/outbox';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function connect(): Promise<PgClient> {
  const client = new PgClient({ connectionString: t.database.appUrl });
  await client.connect();
  return client;
}

/** Writes one id-only event the way a business transaction does; returns its id. */
async function write(client: PgClient, organizationId = randomUUID()): Promise<string> {
  const id = randomUUID();
  await client.query(
    `insert into outbox_event (id, type, organization_ids, aggregate_type, aggregate_id, acting_organization_id, data)
     values ($1, 'referral.sent', $2, 'Referral', $3, $4, '{}')`,
    [id, [organizationId], randomUUID(), organizationId],
  );
  return id;
}

async function readAll(after: FeedPosition | null, organizationId?: string): Promise<FeedEvent[]> {
  return t.app.get(OutboxFeed).read(t.orm.em.fork(), after, 1000, organizationId ? { organizationId } : undefined);
}

/**
 * Waits until committed events are handed out. Transactions of other test files share the cluster's
 * transaction ids and hold the feed back while they run; once every older one has ended the events
 * stay visible, so what follows is deterministic.
 */
async function visible(...ids: string[]): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const seen = new Set((await readAll(null)).map((e) => e.id));
    if (ids.every((id) => seen.has(id))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the events never became visible');
}

function lastOf(events: readonly FeedEvent[], fallback: FeedPosition | null): FeedPosition | null {
  return events.length ? events[events.length - 1].at : fallback;
}

describe('the commit-safe feed', () => {
  let a: PgClient;
  let b: PgClient;
  beforeEach(async () => {
    a = await connect();
    b = await connect();
  });
  afterEach(async () => {
    await a.end();
    await b.end();
  });

  it('holds back what a transaction still in progress could precede, then hands every event out once, in order', async () => {
    const start = lastOf(await readAll(null), null);
    // A takes the older transaction id, B the newer; B writes first, A writes later (a higher position).
    await a.query('begin');
    await a.query('select pg_current_xact_id()');
    await b.query('begin');
    await b.query('select pg_current_xact_id()');
    const fromB = await write(b);
    const fromA = await write(a);

    expect(await readAll(start)).toEqual([]);
    await a.query('commit');
    // A is older than every transaction still running (B): its event is final and handed out.
    await visible(fromA);
    const first = await readAll(start);
    expect(first.map((e) => e.id)).toEqual([fromA]);
    // A reader that walked positions alone would now stand past B's event and never see it.
    expect(Number(first[0].at.position)).toBeGreaterThan(0);

    await b.query('commit');
    await visible(fromB);
    const second = await readAll(first[0].at);
    expect(second.map((e) => e.id)).toEqual([fromB]);
    expect(await readAll(second[0].at)).toEqual([]);
  });

  it('holds back a newer transaction that committed while an older one is still open', async () => {
    const start = lastOf(await readAll(null), null);
    await a.query('begin');
    const fromA = await write(a);
    await b.query('begin');
    const fromB = await write(b);
    await b.query('commit');

    expect(await readAll(start)).toEqual([]);
    await a.query('commit');
    await visible(fromA, fromB);
    expect((await readAll(start)).map((e) => e.id)).toEqual([fromA, fromB]);
  });

  it('never hands out what rolled back', async () => {
    const start = lastOf(await readAll(null), null);
    await a.query('begin');
    await write(a);
    await a.query('rollback');
    const kept = await write(b);
    await visible(kept);
    expect((await readAll(start)).map((e) => e.id)).toEqual([kept]);
  });

  it("reads one organization's events only when asked to", async () => {
    const start = lastOf(await readAll(null), null);
    const mine = randomUUID();
    const ours = await write(a, mine);
    await visible(ours, await write(a));
    expect((await readAll(start, mine)).map((e) => e.id)).toEqual([ours]);
    expect(await readAll(start)).toHaveLength(2);
  });
});

describe('feed cursors', () => {
  it('round-trip and refuse anything else', () => {
    const at = { txId: '18446744073709551615', position: '9223372036854775807' };
    expect(decodeFeedCursor(encodeFeedCursor(at))).toEqual(at);
    for (const bad of [
      '',
      'not a cursor',
      Buffer.from('f1:1').toString('base64url'),
      Buffer.from('f1:1:2:3').toString('base64url'),
      Buffer.from('f1:-1:2').toString('base64url'),
      Buffer.from('f2:1:2').toString('base64url'),
      Buffer.from('f1:18446744073709551616:1').toString('base64url'),
      Buffer.from('f1:1:9223372036854775808').toString('base64url'),
      'A'.repeat(65),
    ])
      expect(decodeFeedCursor(bad)).toBeNull();
  });
});

describe('the relay', () => {
  let relay: OutboxRelay;
  let seen: string[];
  let unregister: () => void;
  beforeEach(async () => {
    relay = t.app.get(OutboxRelay);
    // Catch up with what other tests wrote, then listen.
    while (((await relay.relayOnce()) ?? 0) > 0);
    seen = [];
    unregister = relay.register({
      name: 'test',
      consume: (_em, events) => {
        seen.push(...events.map((e) => e.id));
        return Promise.resolve();
      },
    });
  });
  afterEach(() => unregister());

  it('hands each committed event to its consumers once, in feed order', async () => {
    const client = await connect();
    const ids = [await write(client), await write(client), await write(client)];
    await client.end();
    await visible(...ids);
    expect(await relay.relayOnce()).toBe(3);
    expect(await relay.relayOnce()).toBe(0);
    expect(seen).toEqual(ids);
  });

  it('hands the same events out again when a consumer fails (the round rolls back)', async () => {
    const client = await connect();
    const id = await write(client);
    await client.end();
    await visible(id);
    const remove = relay.register({
      name: 'failing',
      consume: () => Promise.reject(new Error('consumer down')),
    });
    await expect(relay.relayOnce()).rejects.toThrow('consumer down');
    remove();
    expect(await relay.relayOnce()).toBe(1);
    expect(seen).toEqual([id, id]);
  });

  it('lets one process relay at a time: a second round skips while the first holds the position', async () => {
    const client = await connect();
    await visible(await write(client));
    await client.end();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const remove = relay.register({
      name: 'slow',
      consume: async () => {
        entered();
        await held;
      },
    });
    const first = relay.relayOnce();
    await inside;
    expect(await relay.relayOnce()).toBeNull();
    release();
    expect(await first).toBe(1);
    remove();
  });
});
