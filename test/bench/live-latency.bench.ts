/**
 * `npm run bench:live`: how long a change takes to reach a live subscriber (`referralEvents`), from
 * the moment the mutation that made it has answered (it answers after its commit) to the moment the
 * subscriber's graphql-ws client receives the event — through the outbox, the relay's round, its
 * NOTIFY, the process's LISTEN connection, the hub and the socket.
 *
 * For each relay interval (OUTBOX_RELAY_INTERVAL_MS 200, the default, then 20) it boots the
 * application on a fresh database (embedded PostgreSQL in a temporary folder, or DATABASE_URL's
 * server), connects the receiving organization's intake worker over graphql-ws, and has the sending
 * caseworker add BENCH_CHANGES notes (default 300, one per referral) at BENCH_RATE per second
 * (default 25), each a `referral.note_added` event; it prints p50, p99 and the maximum, and the
 * machine's load average (the numbers move with whatever else runs on it).
 */
import 'reflect-metadata';
import { Role } from '@harbour/authz';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../src/config/app-config';
import { runMigrations } from '../../src/database/migrations';
import { createHttpApp } from '../../src/http-app';
import { LiveEventsHub } from '../../src/modules/live-events';
import { Fixtures } from '../support/fixtures';
import type { TestApp } from '../support/test-app';
import { benchDatabase, graphql, knob, percentile, say, UNLIMITED_RATES } from './bench-support';

const CHANGES = Math.round(knob('BENCH_CHANGES', 300));
const RATE = knob('BENCH_RATE', 25);
const INTERVALS_MS = [200, 20];
const NOTE = `mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }`;
const EVENTS = `subscription { referralEvents(types: [REFERRAL_NOTE_ADDED]) { noteId } }`;

/** The latencies (ascending, ms), and how fast the mutations were answered: below BENCH_RATE, the server did not keep up. */
async function measure(
  intervalMs: number,
  ownerUrl: string,
  appUrl: string,
): Promise<{ latencies: number[]; answeredPerSecond: number }> {
  const config = loadConfig(
    {
      HARBOUR_ENV: 'development',
      DATABASE_URL: ownerUrl,
      DATABASE_APP_URL: appUrl,
      HARBOUR_SEED_DEMO: 'false',
      HARBOUR_FAST_PASSWORD_HASHING: 'true',
      OUTBOX_RELAY_INTERVAL_MS: String(intervalMs),
      ...UNLIMITED_RATES,
      LOG_LEVEL: 'warn',
    },
    () => randomBytes(48).toString('base64url'),
  );
  const app = await createHttpApp(config, appUrl, pino({ level: 'warn' }, pino.destination(2)));
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const httpUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
    // The test fixtures, on the benchmark's application: the same data the e2e tests build.
    const gql: TestApp['gql'] = async (query, variables, token) => ({
      status: 200,
      data: await graphql(httpUrl, query, variables, token),
      headers: {},
    });
    const f = new Fixtures({ app, orm: app.get(MikroORM), config, gql } as unknown as TestApp);
    const sender = await f.organization();
    const receiver = await f.organization();
    const caseworker = await f.signedIn(sender, [Role.CASEWORKER]);
    const intake = await f.signedIn(receiver, [Role.INTAKE]);
    const consent = await f.consent(await f.client(sender), [receiver]);
    const service = await f.service(receiver);
    // One note per referral: notes on one referral serialise on its row, and a queue of waiting
    // transactions would hold the commit-safe feed back — a measure of contention, not of the path.
    const referrals = [];
    for (let i = 0; i < CHANGES; i += 1) referrals.push(await f.referral(consent, service));

    const answeredAt = new Map<string, number>();
    const latencies: number[] = [];
    const early = new Map<string, number>();
    const client = createClient({
      url: httpUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${intake.token}` },
      retryAttempts: 0,
    });
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    client.subscribe<{ referralEvents: { noteId: string } }>(
      { query: EVENTS },
      {
        next: ({ data }) => {
          const noteId = data?.referralEvents.noteId;
          if (!noteId) return;
          const at = performance.now();
          const answered = answeredAt.get(noteId);
          if (answered === undefined) early.set(noteId, at);
          else latencies.push(at - answered);
          if (latencies.length === CHANGES) resolveAll();
        },
        error: (error) => say(`subscription failed: ${JSON.stringify(error)}`),
        complete: () => undefined,
      },
    );
    // The subscription is live once this process has its subscriber.
    const hub = app.get(LiveEventsHub);
    while (hub.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < CHANGES; i += 1) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const referralId = referrals[i].id;
      sends.push(
        graphql<{ addReferralNote: { note: { id: string } } }>(
          httpUrl,
          NOTE,
          { i: { referralId, body: `Bench note ${i}` } },
          caseworker.token,
        ).then(({ addReferralNote }) => {
          const at = performance.now();
          const arrived = early.get(addReferralNote.note.id);
          if (arrived !== undefined) latencies.push(arrived - at);
          else answeredAt.set(addReferralNote.note.id, at);
          if (latencies.length === CHANGES) resolveAll();
        }),
      );
    }
    await Promise.all(sends);
    const answeredPerSecond = (CHANGES * 1000) / (performance.now() - started);
    await Promise.race([
      all,
      new Promise((_, reject) => setTimeout(() => reject(new Error('events missing after 30 s')), 30_000)),
    ]);
    await client.dispose();
    return { latencies: latencies.sort((a, b) => a - b), answeredPerSecond };
  } finally {
    await app.close();
  }
}

async function main(): Promise<number> {
  const database = await benchDatabase();
  try {
    await runMigrations(database.ownerUrl);
    say(
      `Live latency: mutation answered (after its commit) → event at the subscriber; ${CHANGES} changes at ${RATE}/s; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
    );
    for (const intervalMs of INTERVALS_MS) {
      const { latencies, answeredPerSecond } = await measure(intervalMs, database.ownerUrl, database.appUrl);
      const ms = (p: number) => `${percentile(latencies, p).toFixed(1)} ms`;
      say(
        `OUTBOX_RELAY_INTERVAL_MS=${intervalMs}: p50 ${ms(50)}, p99 ${ms(99)}, max ${ms(100)} (${latencies.length} events; mutations answered at ${answeredPerSecond.toFixed(1)}/s)`,
      );
    }
    return 0;
  } finally {
    await database.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `live latency benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
