/**
 * Webhook delivery survives a crash (docs/architecture.md, Webhooks): Harbour runs as its own
 * process with the relay and the delivery worker on, a burst of 1,000 referral changes is made
 * through GraphQL, and the server is killed with SIGKILL while deliveries are in flight, then
 * started again. Every event reaches every endpoint subscribed to it at least once, nothing reaches
 * anyone else, and a duplicate is the same message (same webhook-id, same body). The counts are
 * written to the test's output.
 */
import { startServerProcess, stopServerProcesses } from '../support/server-process';
import { startTestApp, type TestApp } from '../support/test-app';
import { WebhookBurst, report } from '../support/webhook-burst';

const CHANGES = 1000;
/** The deployed defaults. */
const ENV = { OUTBOX_RELAY_INTERVAL_MS: '200', WEBHOOK_WORKER_INTERVAL_MS: '1000' };

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Webhook delivery across a kill -9', () => {
  let t: TestApp;
  let burst: WebhookBurst;

  // The in-process app is the test's window on its database (fixtures, counts); its relay and
  // worker are off, as under every test: only the server process delivers.
  beforeAll(async () => {
    t = await startTestApp();
    burst = new WebhookBurst(t);
  });
  afterAll(async () => {
    await stopServerProcesses();
    await burst?.close();
    await t?.close();
  });

  it('delivers every event to every subscribed endpoint after a SIGKILL during delivery, duplicates being the same message', async () => {
    let server = await startServerProcess(t.database, ENV);
    // Partners that take a quarter of a second to answer: deliveries are still under way when the burst ends.
    await burst.prepare(server, 250, CHANGES);

    const startedAt = performance.now();
    const changes = await burst.run(() => server);
    const burstSeconds = (performance.now() - startedAt) / 1000;
    const want = await burst.expected();
    // The kill comes while receivers hold deliveries that arrived and are not answered: Harbour
    // cannot know they arrived, and must send them again — the same messages.
    burst.hold();
    await until(() => burst.unanswered() > 0, 30_000, 'a delivery held at a receiver');
    const held = burst.unanswered();
    const beforeKill = burst.received();
    await server.kill('SIGKILL');
    burst.release();
    const killedAt = performance.now();
    report(
      `kill -9: ${changes} changes in ${burstSeconds.toFixed(1)} s; SIGKILL after ${beforeKill} of ${want.size} deliveries had arrived, ${held} of them unanswered`,
    );
    // The kill came during delivery: some had arrived, not all.
    expect(beforeKill).toBeLessThan(want.size);
    expect(want.size).toBeGreaterThanOrEqual(changes * 2);

    server = await startServerProcess(t.database, ENV);
    // What the killed process had claimed waits for its lease (60 s) to end, then goes again.
    await burst.settled(want, 150_000);
    report(`kill -9: complete ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    const counts = burst.account(want, 'kill -9');
    expect(counts).toMatchObject({ delivered: want.size, missing: 0 });
    // Every delivery held at the kill came again (account() checked that a duplicate is the same message).
    expect(counts.duplicates).toBeGreaterThanOrEqual(held);
    // One delivery per (endpoint, event) in the database, however often it was attempted.
    const rows = await burst.deliveryRows();
    expect({ rows: rows.rows, pairs: rows.pairs }).toEqual({ rows: want.size, pairs: want.size });
  }, 300_000);
});
