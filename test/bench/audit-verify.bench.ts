/**
 * `npm run bench:audit`, second part: how fast the audit log is verified. On a fresh database (an
 * embedded PostgreSQL in a temporary folder, or a new database on the server of DATABASE_URL, an
 * admin URL) it seeds one chain of 1,000,000 valid events straight into audit_event — hashed here
 * with canonical.ts, inserted as the schema owner in large batches — then times `verifyChain` over
 * it as the runtime role, three times, and prints events/s with the goal (the best of the three,
 * PASS or MISSED) — then once more to measure the memory
 * verification keeps alive. It removes everything it made and exits.
 * `npm run bench:audit` runs it with the Node options of `npm run audit:verify` (a 64 MB young
 * generation: each row's strings die young; about 10 % faster, measured).
 *   BENCH_VERIFY_EVENTS  number of events (default 1,000,000)
 *   BENCH_VERIFY_BATCH   rows per verification batch (default verify.ts's)
 */
import 'reflect-metadata';
import { DEFAULT_BATCH_SIZE, GENESIS_HASH, chainHash, pgReader, verifyChain, type HashedFields } from '@harbour/audit';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrations';
import { benchDatabase } from './bench-support';

const EVENTS = Number(process.env.BENCH_VERIFY_EVENTS ?? 1_000_000);
const VERIFY_BATCH = Number(process.env.BENCH_VERIFY_BATCH ?? DEFAULT_BATCH_SIZE);
const SEED_BATCH = 25_000;
/** Issue 11's goal for `npm run audit:verify`: at least 200,000 events per second. */
const GOAL_PER_SECOND = 200_000;

const say = (message: string) => process.stdout.write(`[audit-verify bench] ${message}\n`);
const count = (n: number) => Math.round(n).toLocaleString('en-US');

async function seed(ownerUrl: string, chainId: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const actorId = randomUUID();
    const start = Date.now() - EVENTS; // one event per millisecond, ending now
    let prevHash = GENESIS_HASH;
    for (let from = 1; from <= EVENTS; from += SEED_BATCH) {
      const columns: string[][] = [[], [], [], [], [], [], [], []];
      const [seqs, times, actions, entities, requests, details, prevs, hashes] = columns;
      for (let seq = from; seq < from + SEED_BATCH && seq <= EVENTS; seq++) {
        const event: HashedFields = {
          chainId,
          seq: String(seq),
          recordedAt: new Date(start + seq),
          actorKind: 'STAFF',
          actorId,
          actorOrganizationId: chainId,
          actorRoles: ['ORG_ADMIN'],
          action: seq % 3 === 0 ? 'location.update' : 'service.update',
          category: 'UPDATE',
          entityType: seq % 3 === 0 ? 'Location' : 'Service',
          entityId: randomUUID(),
          subjectClientId: null,
          purpose: null,
          outcome: 'SUCCESS',
          requestId: randomUUID(),
          sourceAddress: '127.0.0.1',
          details: { fields: seq % 2 === 0 ? ['capacity'] : ['capacity', 'languages'] },
        };
        const hash = chainHash(prevHash, event);
        seqs.push(event.seq);
        times.push(event.recordedAt.toISOString());
        actions.push(event.action);
        entities.push(event.entityId ?? '');
        requests.push(event.requestId ?? '');
        details.push(JSON.stringify(event.details));
        prevs.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      await client.query(
        `insert into audit_event (chain_id, seq, recorded_at, actor_kind, actor_id, actor_organization_id, actor_roles, action, category,
           entity_type, entity_id, subject_client_id, purpose, outcome, request_id, source_address, details, prev_hash, hash)
         select $1::text, s, r, 'STAFF', $2::uuid, $1::text::uuid, '{ORG_ADMIN}', a, 'UPDATE', case when a = 'location.update' then 'Location' else 'Service' end,
           e, null, null, 'SUCCESS', q, '127.0.0.1', d::jsonb, p, h
         from unnest($3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) as t(s, r, a, e, q, d, p, h)`,
        [chainId, actorId, ...columns],
      );
    }
    await client.query(`insert into audit_chain_head (chain_id, seq, hash) values ($1, $2, $3)`, [
      chainId,
      EVENTS,
      prevHash,
    ]);
    // A log that has been around for a while is vacuumed: do not time the first visit's hint-bit writes.
    await client.query('vacuum (analyze) audit_event');
  } finally {
    await client.end();
  }
}

/** Wall time and Node's CPU time of one verification of the seeded chain. */
async function timeVerification(appUrl: string, chainId: string): Promise<{ seconds: number; cpuSeconds: number }> {
  const client = new Client({ connectionString: appUrl });
  await client.connect();
  try {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = await verifyChain(pgReader(client), chainId, { batchSize: VERIFY_BATCH });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    if (!result.valid || result.eventsChecked !== EVENTS)
      throw new Error(`the seeded chain did not verify: ${JSON.stringify(result)}`);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    await client.end();
  }
}

/**
 * How much memory verification keeps alive: one more (untimed) run, with a full garbage collection
 * before each sample, so that garbage the collector has not yet reclaimed does not count.
 */
async function liveMemoryGrowthMb(appUrl: string, chainId: string): Promise<number> {
  // The benchmark's own way to reach gc() without a command-line flag.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const client = new Client({ connectionString: appUrl });
  await client.connect();
  collect();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => {
    collect();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 250);
  try {
    await verifyChain(pgReader(client), chainId, { batchSize: VERIFY_BATCH });
    return (peak - base) / 2 ** 20;
  } finally {
    clearInterval(sampler);
    await client.end();
  }
}

async function main(): Promise<void> {
  const database = await benchDatabase(() => undefined);
  const { ownerUrl, appUrl } = database;
  try {
    await runMigrations(ownerUrl);
    const chainId = randomUUID();
    say(`seeding ${count(EVENTS)} chained events into one chain…`);
    const started = Date.now();
    await seed(ownerUrl, chainId);
    say(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    say(
      `load average before verifying: ${loadavg()[0].toFixed(2)} on ${availableParallelism()} CPUs (other work on the machine slows this down)`,
    );
    let best = 0;
    for (const run of [1, 2, 3]) {
      const { seconds, cpuSeconds } = await timeVerification(appUrl, chainId);
      best = Math.max(best, EVENTS / seconds);
      say(
        `run ${run}: verified ${count(EVENTS)} events in ${seconds.toFixed(2)} s = ${count(EVENTS / seconds)} events/s ` +
          `(Node CPU ${cpuSeconds.toFixed(2)} s, batches of ${count(VERIFY_BATCH)})`,
      );
    }
    say(
      `goal: verification ≥ ${count(GOAL_PER_SECOND)} events/s; best run ${count(best)} events/s: ${best >= GOAL_PER_SECOND ? 'PASS' : 'MISSED'}`,
    );
    say(
      `memory: verification kept at most ${(await liveMemoryGrowthMb(appUrl, chainId)).toFixed(1)} MB alive above where it started (constant in the chain's length)`,
    );
  } finally {
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `audit-verify bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
