/**
 * `npm run bench:faults` (issue 11 §6): Harbour steady under a database outage. The built
 * application serves 32 connections reading an inbox and 16 sending referrals, on an embedded
 * PostgreSQL seeded like `npm run bench`; PostgreSQL is stopped (a fast shutdown: every session
 * is ended) for FAULT_DOWN_SECONDS (5) and started again. Then it checks, and prints PASS or FAIL:
 *   - fail fast: no request waits more than 5 s, whatever it started into;
 *   - a clear, retryable error: every failure is HTTP 503 with `SERVICE_UNAVAILABLE` (and
 *     `retryAfter`), never INTERNAL_SERVER_ERROR, never a hang;
 *   - recovery: requests succeed again within 5 s of PostgreSQL accepting connections, without a
 *     restart of Harbour, and none fails after that;
 *   - no committed write lost: every referral whose sending was answered with success exists;
 *   - every audit chain verifies afterwards.
 * Not part of `npm test` (it takes about a minute and stops a database server); its exit code is
 * the verdict. Knobs: FAULT_DOWN_SECONDS, FAULT_AFTER_SECONDS (10: load after the restart).
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { pgReader, verifyChain } from '@harbour/audit';
import { benchAppEnv, benchDatabase, type BuiltApp, knob, say, startBuiltApp } from './bench-support';
import { post } from './http-load';
import { seed, signIn } from './referrals.bench';

const READERS = 32;
const WRITERS = 16;
const BEFORE_MS = 3_000;
const DOWN_MS = knob('FAULT_DOWN_SECONDS', 5) * 1000;
const AFTER_MS = knob('FAULT_AFTER_SECONDS', 10) * 1000;
/** The issue's bounds: no request waits longer; Harbour serves again within this of PostgreSQL's return. */
const MAX_WAIT_MS = 5_000;
const MAX_RECOVERY_MS = 5_000;

const INBOX = `query { referrals(box: INBOX, first: 20) { edges { node { id client { preferredName } } } } }`;
const SEND = `mutation ($input: SendReferralInput!) { sendReferral(input: $input) { referral { id } } }`;

interface Outcome {
  kind: 'read' | 'write';
  start: number;
  end: number;
  status: number;
  /** null when the request succeeded. */
  code: string | null;
  retryAfter: string | null;
  referralId: string | null;
}

function outcomeOf(kind: Outcome['kind'], start: number, status: number, text: string): Outcome {
  const end = performance.now();
  try {
    const body = JSON.parse(text) as {
      data?: { sendReferral?: { referral: { id: string } } } | null;
      errors?: { extensions?: { code?: string; retryAfter?: number } }[];
    };
    const code = body.errors?.[0]?.extensions?.code ?? (status === 200 ? null : `HTTP ${status}`);
    return {
      kind,
      start,
      end,
      status,
      code,
      retryAfter: body.errors?.[0]?.extensions?.retryAfter?.toString() ?? null,
      referralId: code === null ? (body.data?.sendReferral?.referral.id ?? null) : null,
    };
  } catch {
    return { kind, start, end, status, code: `HTTP ${status} (no JSON)`, retryAfter: null, referralId: null };
  }
}

async function main(): Promise<number> {
  const database = await benchDatabase();
  let app: BuiltApp | undefined;
  try {
    if (!database.server)
      throw new Error('the fault benchmark stops PostgreSQL: run it on the embedded one (no DATABASE_URL)');
    app = await startBuiltApp(database.dir, benchAppEnv(database, { LOG_LEVEL: 'warn' }));
    const url = new URL(`${app.baseUrl}/graphql`);
    const seeded = await seed(database.ownerUrl);
    const intake = await signIn(url.toString(), seeded.intake);
    const caseworker = await signIn(url.toString(), seeded.caseworker);
    const agent = new Agent({ keepAlive: true, maxSockets: READERS + WRITERS });
    const outcomes: Outcome[] = [];
    let running = true;
    const client = async (kind: Outcome['kind'], index: number) => {
      for (let n = 0; running; n++) {
        const body =
          kind === 'read'
            ? JSON.stringify({ query: INBOX })
            : JSON.stringify({
                query: SEND,
                variables: {
                  input: {
                    ...seeded.sends[(index + n * WRITERS) % seeded.sends.length],
                    priority: 'ROUTINE',
                    reason: 'Needs a family doctor who speaks their language',
                  },
                },
              });
        const start = performance.now();
        const response = await post(url, kind === 'read' ? intake : caseworker, body, agent).catch(
          (error: unknown) => ({ status: 0, text: error instanceof Error ? error.message : String(error) }),
        );
        outcomes.push(outcomeOf(kind, start, response.status, response.text));
        // A refused client pauses a moment rather than hammer a server that is down.
        if (outcomes[outcomes.length - 1].code !== null) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    const load = Promise.all([
      ...Array.from({ length: READERS }, (_, i) => client('read', i)),
      ...Array.from({ length: WRITERS }, (_, i) => client('write', i)),
    ]);

    await new Promise((resolve) => setTimeout(resolve, BEFORE_MS));
    const stoppedAt = performance.now();
    await database.server.stop();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    await database.server.start();
    const backAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, AFTER_MS));
    running = false;
    await load;
    agent.destroy();

    const failures = outcomes.filter((o) => o.code !== null);
    const slowest = Math.max(...outcomes.map((o) => o.end - o.start));
    const unclear = failures.filter((o) => o.code !== 'SERVICE_UNAVAILABLE' || o.status !== 503 || !o.retryAfter);
    const firstSuccessAfter = outcomes
      .filter((o) => o.code === null && o.start >= backAt)
      .reduce((first, o) => Math.min(first, o.end), Number.POSITIVE_INFINITY);
    const recoveryMs = firstSuccessAfter - backAt;
    const lateFailures = failures.filter((o) => o.start > backAt + MAX_RECOVERY_MS);
    const sent = outcomes.map((o) => o.referralId).filter((id): id is string => id !== null);

    const db = new Client({ connectionString: database.ownerUrl });
    await db.connect();
    let missing: number;
    const broken: string[] = [];
    let chains: string[];
    try {
      const found = await db.query<{ n: string }>('select count(*) as n from referral where id = any($1::uuid[])', [
        sent,
      ]);
      missing = sent.length - Number(found.rows[0].n);
      chains = (await db.query<{ chain_id: string }>('select chain_id from audit_chain_head')).rows.map(
        (row) => row.chain_id,
      );
      for (const chain of chains) {
        const verification = await verifyChain(pgReader(db), chain);
        if (!verification.valid) broken.push(`${chain}: ${verification.reason}`);
      }
    } finally {
      await db.end();
    }

    const count = (kind: Outcome['kind'], ok: boolean) =>
      outcomes.filter((o) => o.kind === kind && (o.code === null) === ok).length;
    say(
      `Fault benchmark: ${READERS} readers and ${WRITERS} writers; PostgreSQL stopped ${(BEFORE_MS / 1000).toFixed(0)} s in, down ${(DOWN_MS / 1000).toFixed(0)} s (${((backAt - stoppedAt) / 1000).toFixed(1)} s with its stop and start), then ${(AFTER_MS / 1000).toFixed(0)} s more`,
    );
    say(
      `Reads ${count('read', true)} answered, ${count('read', false)} failed; writes ${count('write', true)} answered, ${count('write', false)} failed; failures by code: ${JSON.stringify(
        failures.reduce<Record<string, number>>((by, o) => ({ ...by, [o.code!]: (by[o.code!] ?? 0) + 1 }), {}),
      )}`,
    );
    say();
    const checks: [string, string, boolean][] = [
      ['no request waited more than 5 s', `slowest ${slowest.toFixed(0)} ms`, slowest <= MAX_WAIT_MS],
      [
        'every failure is a clear, retryable 503 SERVICE_UNAVAILABLE',
        `${unclear.length} of ${failures.length} were not${unclear[0] ? ` (first: ${unclear[0].code})` : ''}`,
        failures.length > 0 && unclear.length === 0,
      ],
      [
        'serving again within 5 s of PostgreSQL accepting connections',
        Number.isFinite(recoveryMs) ? `${recoveryMs.toFixed(0)} ms` : 'never',
        recoveryMs <= MAX_RECOVERY_MS,
      ],
      ['no failure after recovery', `${lateFailures.length}`, lateFailures.length === 0],
      ['no committed write lost', `${missing} of ${sent.length} answered sends missing`, missing === 0],
      ['every audit chain verifies', `${chains.length - broken.length} of ${chains.length}`, broken.length === 0],
    ];
    say('| check | measured | verdict |');
    say('| --- | --- | --- |');
    for (const [what, measured, ok] of checks) say(`| ${what} | ${measured} | ${ok ? 'PASS' : 'FAIL'} |`);
    for (const chain of broken) say(`broken chain ${chain}`);
    const slow = outcomes.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    say(
      `slowest: a ${slow.kind} started ${((slow.start - stoppedAt) / 1000).toFixed(1)} s after the stop, answered ${slow.code ?? 'OK'} after ${(slow.end - slow.start).toFixed(0)} ms`,
    );
    for (const example of [...new Map(unclear.map((o) => [`${o.code} ${o.status}`, o])).values()])
      say(`unclear failure: ${JSON.stringify(example)}`);
    // What the server logged about the outage (error classes and SQLSTATEs only: the log holds no personal data).
    const unexpected = readFileSync(app.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('unexpected error in GraphQL operation'))
      .map((line) => {
        const { err } = JSON.parse(line) as { err?: Record<string, unknown> };
        return JSON.stringify({ ...err, stack: undefined });
      });
    if (unexpected.length > 0)
      say(`errors the server logged during the outage: ${JSON.stringify([...new Set(unexpected)])}`);
    const passed = checks.every(([, , ok]) => ok);
    say();
    say(passed ? 'fault benchmark: PASS' : 'fault benchmark: FAIL');
    return passed ? 0 : 1;
  } finally {
    await app?.stop();
    await database.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `fault benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
