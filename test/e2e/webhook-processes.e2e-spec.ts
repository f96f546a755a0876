/**
 * Two Harbour server processes on one database (docs/architecture.md, Webhooks), both relaying and
 * delivering: a burst of referral changes made through both in turn reaches every endpoint
 * subscribed to it exactly once — neither relay fans an event out twice (one delivery row per
 * endpoint and event), neither worker sends a delivery the other has claimed (each webhook-id
 * arrives once, after one attempt). The counts are written to the test's output. And a live
 * subscriber connected to one process hears, once each, of the changes made through the other.
 */
import { live, until } from '../support/live-client';
import { startServerProcess, stopServerProcesses } from '../support/server-process';
import { startTestApp, type TestApp } from '../support/test-app';
import { WebhookBurst } from '../support/webhook-burst';

const CHANGES = 400;
/** Short intervals, so that both relays and both workers are at work all the time. */
const ENV = { OUTBOX_RELAY_INTERVAL_MS: '50', WEBHOOK_WORKER_INTERVAL_MS: '200' };

describe('Webhook delivery by two server processes', () => {
  let t: TestApp;
  let burst: WebhookBurst;

  beforeAll(async () => {
    t = await startTestApp();
    burst = new WebhookBurst(t);
  });
  afterAll(async () => {
    await stopServerProcesses();
    await burst?.close();
    await t?.close();
  });

  it('delivers every event exactly once when two processes relay and deliver from one database', async () => {
    const servers = await Promise.all([startServerProcess(t.database, ENV), startServerProcess(t.database, ENV)]);
    await burst.prepare(servers[0], 5, CHANGES);

    // The clinic's intake listens on the first process only.
    const subscriber = live(`${servers[0].url.replace(/^http/, 'ws')}/graphql`, {
      authorization: `Bearer ${burst.intake}`,
    });
    try {
      // Each referral's steps go through both processes in turn: both commit events, both relay, both deliver.
      const changes = await burst.run((step) => servers[step % 2]);
      const want = await burst.expected();
      await burst.settled(want, 120_000);
      const counts = burst.account(want, `two processes, ${changes} changes`);
      expect(counts).toEqual({ received: want.size, delivered: want.size, duplicates: 0, missing: 0 });
      expect(await burst.deliveryRows()).toEqual({ rows: want.size, pairs: want.size, attemptsBeyondFirst: 0 });

      // Every event of the burst names the clinic as receiver: the subscriber on process one hears of
      // each once, half of them made through process two.
      const events = (await t.orm.em.fork().execute<{ id: string }[]>('select id from outbox_event')).map((e) => e.id);
      const heard = () =>
        subscriber.results.map((r) => (r.data?.referralEvents as { id: string } | undefined)?.id ?? 'error');
      await until(() => heard().length >= events.length, 'the subscriber heard of every change', 60_000);
      expect([...heard()].sort()).toEqual([...events].sort());
      process.stdout.write(
        `two processes: the live subscriber on one process heard ${heard().length} of ${events.length} events\n`,
      );
    } finally {
      await subscriber.dispose();
    }
  }, 300_000);
});
