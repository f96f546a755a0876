/**
 * Relays every outbox event a test has committed. The commit-safe feed hands out an event only once
 * every older transaction in the cluster has ended — and the other test files' databases share the
 * cluster — so an event can stay held back for a moment after its commit. This waits until the
 * relay's position has reached the newest event of the test's database (after which nothing older
 * can appear), relaying as it goes.
 */
import { OutboxRelay } from '@harbour/outbox';
import type { TestApp } from './test-app';

export async function relayAll(t: TestApp, timeoutMs = 10_000): Promise<number> {
  const relay = t.app.get(OutboxRelay);
  const deadline = performance.now() + timeoutMs;
  let relayed = 0;
  for (;;) {
    let handed: number | null;
    while ((handed = await relay.relayOnce()) !== null && handed > 0) relayed += handed;
    const [{ behind }] = await t.orm.em.fork().execute<{ behind: boolean }[]>(
      `select exists (
         select 1 from outbox_event e, outbox_relay_position p
          where p.name = 'relay' and (p.tx_id is null or (e.tx_id, e.position) > (p.tx_id, p.position))
       ) as behind`,
    );
    if (!behind) return relayed;
    if (performance.now() > deadline) throw new Error('the relay did not reach the newest outbox event in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
