/**
 * `npm run bench:webhooks`: how long a change takes to reach a partner's webhook receiver, against
 * the BUILT application (`dist/src/main.js`, its own process, the deployed relay and worker
 * intervals unless told) on a fresh database seeded as `npm run bench` seeds it.
 *
 * Referral changes arrive on an open-loop schedule — BENCH_RATE (50) per second for BENCH_SECONDS
 * (30): each change starts at its slot whatever became of the ones before — through GraphQL: a
 * caseworker sends a referral, the clinic's intake accepts it 10 slots later and adds a note 10
 * slots after that (a step whose referral is not answered yet waits for it; their number is
 * printed). Both organizations have an endpoint for every event type, each with a receiver on
 * loopback in this process that verifies every message with `standardwebhooks`.
 *
 * Latency of one delivery = its arrival at the receiver − the arrival of the mutation's response
 * here. The change committed before the response was written: commit → receiver is longer by the
 * time from the commit to the response's arrival (on loopback about a millisecond, while the
 * server keeps up), and a delivery may even arrive first (a negative figure). Printed: count,
 * p50, p90, p99 and max, with the mutations' own latency and the CPU the machine spent meanwhile.
 *
 * Knobs: BENCH_RATE, BENCH_SECONDS, BENCH_RELAY_INTERVAL_MS (the server's OUTBOX_RELAY_INTERVAL_MS;
 * default: unset, the deployed 200 ms), BENCH_WORKER_INTERVAL_MS (WEBHOOK_WORKER_INTERVAL_MS;
 * default: unset, 1000 ms — the worker is woken as soon as the relay commits new deliveries),
 * DATABASE_URL (an admin URL of an existing server instead of an embedded one).
 */
import { Agent } from 'node:http';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startPartner, verify, type Partner } from '../support/webhook-partner';
import {
  benchDatabase,
  type BuiltApp,
  cpuSample,
  graphql,
  knob,
  percentile,
  say,
  startBuiltApp,
  benchAppEnv,
} from './bench-support';
import { post } from './http-load';
import { seed, signIn } from './referrals.bench';

const RATE = knob('BENCH_RATE', 50);
const DURATION_MS = knob('BENCH_SECONDS', 30) * 1000;
/** Slots between a referral's sending and its acceptance, and between that and its note. */
const STEP_GAP = 10;
/** How long the last deliveries may take to arrive after the last change. */
const DRAIN_TIMEOUT_MS = 60_000;

const SEND = `mutation ($i: SendReferralInput!) { sendReferral(input: $i) { referral { id } } }`;
const ACCEPT = `mutation ($id: ID!) { acceptReferral(id: $id) { referral { id } } }`;
const NOTE = `mutation ($i: AddReferralNoteInput!) { addReferralNote(input: $i) { note { id } } }`;
const CREATE_ENDPOINT = `mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }`;

type Step = 'referral.sent' | 'referral.accepted' | 'referral.note_added';

interface Change {
  step: Step;
  /** Index of the referral (its input among the seeded sends). */
  referral: number;
}

/** The schedule: every referral sent, accepted STEP_GAP slots later, given a note STEP_GAP slots after that. */
function schedule(referrals: number): Change[] {
  const changes: Change[] = [];
  for (let slot = 0; changes.length < referrals * 3; slot++) {
    if (slot < referrals) changes.push({ step: 'referral.sent', referral: slot });
    const accepted = slot - STEP_GAP;
    if (accepted >= 0 && accepted < referrals) changes.push({ step: 'referral.accepted', referral: accepted });
    const noted = slot - 2 * STEP_GAP;
    if (noted >= 0 && noted < referrals) changes.push({ step: 'referral.note_added', referral: noted });
  }
  return changes;
}

async function main(): Promise<number> {
  const database = await benchDatabase();
  let app: BuiltApp | undefined;
  const partners: Partner[] = [];
  try {
    const relayInterval = process.env.BENCH_RELAY_INTERVAL_MS;
    const workerInterval = process.env.BENCH_WORKER_INTERVAL_MS;
    app = await startBuiltApp(
      database.dir,
      benchAppEnv(database, {
        WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
        ...(relayInterval ? { OUTBOX_RELAY_INTERVAL_MS: relayInterval } : {}),
        ...(workerInterval ? { WEBHOOK_WORKER_INTERVAL_MS: workerInterval } : {}),
      }),
    );
    const url = `${app.baseUrl}/graphql`;
    const seeded = await seed(database.ownerUrl);
    const referrals = Math.round((RATE * DURATION_MS) / 1000 / 3);
    if (referrals > seeded.sends.length)
      throw new Error(`BENCH_RATE × BENCH_SECONDS allows at most ${seeded.sends.length * 3} changes`);
    // The two people may manage their organizations' endpoints too.
    await asOwner(database.ownerUrl, `update membership set roles = roles || array['ORG_ADMIN']`);
    const caseworker = await signIn(url, seeded.caseworker);
    const intake = await signIn(url, seeded.intake);
    const endpoints: { partner: Partner; secret: string }[] = [];
    for (const token of [caseworker, intake]) {
      const partner = await startPartner();
      partners.push(partner);
      const { createWebhookEndpoint } = await graphql<{ createWebhookEndpoint: { secret: string } }>(
        url,
        CREATE_ENDPOINT,
        { i: { url: partner.url() } },
        token,
      );
      endpoints.push({ partner, secret: createWebhookEndpoint.secret });
    }

    const changes = schedule(referrals);
    const agent = new Agent({ keepAlive: true, maxSockets: 256 });
    const target = new URL(url);
    // Each referral's id, once its sending is answered: its later steps wait for it.
    const sent = Array.from({ length: referrals }, () => deferred<string>());
    /** `referralId/type` → when the change's response arrived here. */
    const answeredAt = new Map<string, number>();
    /** How long each change took, from its slot to its response. */
    const responseMs: number[] = [];
    let waited = 0;
    let failed = 0;
    let firstFailure: string | null = null;
    const perform = async (change: Change, due: number): Promise<void> => {
      let referralId: string | undefined;
      let body: string;
      if (change.step === 'referral.sent') {
        body = JSON.stringify({
          query: SEND,
          variables: { i: { ...seeded.sends[change.referral], reason: 'Needs a family doctor' } },
        });
      } else {
        const asked = performance.now();
        referralId = await sent[change.referral].promise;
        if (performance.now() - asked > 1) waited++;
        body = JSON.stringify(
          change.step === 'referral.accepted'
            ? { query: ACCEPT, variables: { id: referralId } }
            : { query: NOTE, variables: { i: { referralId, body: 'Booked for Tuesday at the clinic' } } },
        );
      }
      const response = await post(target, change.step === 'referral.sent' ? caseworker : intake, body, agent);
      const at = performance.now();
      responseMs.push(at - due);
      const answer = JSON.parse(response.text) as { data?: { sendReferral?: { referral: { id: string } } } | null };
      if (response.status !== 200 || response.text.includes('"errors":'))
        throw new Error(`HTTP ${response.status}: ${response.text.slice(0, 500)}`);
      referralId ??= answer.data!.sendReferral!.referral.id;
      answeredAt.set(`${referralId}/${change.step}`, at);
      if (change.step === 'referral.sent') sent[change.referral].resolve(referralId);
    };

    say(
      `Webhook latency benchmark: the built app (dist/src/main.js), OUTBOX_RELAY_INTERVAL_MS=${relayInterval ?? '200 (default)'}, ` +
        `WEBHOOK_WORKER_INTERVAL_MS=${workerInterval ?? '1000 (default)'}; ${changes.length} changes at ${RATE}/s (open loop), ` +
        `${endpoints.length} endpoints (one per party, every event type), receivers on loopback`,
    );
    const slotMs = 1000 / RATE;
    const cpuBefore = await cpuSample({ pids: [app.pid] }, database.postmasterPid);
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (const [slot, change] of changes.entries()) {
      const due = started + slot * slotMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        perform(change, due).catch((error: unknown) => {
          failed++;
          firstFailure ??= error instanceof Error ? error.message : String(error);
          if (change.step === 'referral.sent') sent[change.referral].reject(error);
        }),
      );
    }
    await Promise.all(inFlight);
    const scheduleSeconds = (performance.now() - started) / 1000;
    const cpuAfter = await cpuSample({ pids: [app.pid] }, database.postmasterPid);
    agent.destroy();
    if (failed > 0) throw new Error(`${failed} changes failed; first: ${firstFailure}`);

    // Every change's event at every endpoint: both organizations are party to every change.
    const want = answeredAt.size * endpoints.length;
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    const arrived = () => endpoints.map((e) => latencies(e, answeredAt)).flat();
    while (arrived().length < want && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const sorted = arrived().sort((a, b) => a - b);
    // The machines these run on are shared: how busy the whole machine was, and with what.
    const share = (from: number | null, to: number | null) =>
      from === null || to === null
        ? 'n/a'
        : `${(((to - from) / ((cpuAfter.at - cpuBefore.at) * cpus().length)) * 100).toFixed(0)}%`;
    say(
      `CPU while the changes were made (${cpus().length} CPUs): machine ${share(cpuBefore.machineBusyMs, cpuAfter.machineBusyMs)}, ` +
        `server ${share(cpuBefore.serverMs, cpuAfter.serverMs)}, PostgreSQL ${share(cpuBefore.postgresMs, cpuAfter.postgresMs)}, ` +
        `this process ${share(cpuBefore.loadMs, cpuAfter.loadMs)}`,
    );
    const answered = responseMs.sort((a, b) => a - b);
    say(
      `${changes.length} changes answered in ${scheduleSeconds.toFixed(1)} s (${waited} waited for their referral's sending to be answered); ` +
        `from slot to response (ms): p50 ${fixed(percentile(answered, 50))}, p99 ${fixed(percentile(answered, 99))}`,
    );
    say(
      `deliveries: ${sorted.length} of ${want}; latency from the mutation's response to the receiver (ms): ` +
        `p50 ${fixed(percentile(sorted, 50))}, p90 ${fixed(percentile(sorted, 90))}, p99 ${fixed(percentile(sorted, 99))}, max ${fixed(sorted[sorted.length - 1])}`,
    );
    if (sorted.length < want)
      throw new Error(`${want - sorted.length} deliveries did not arrive within ${DRAIN_TIMEOUT_MS / 1000} s`);
    return 0;
  } finally {
    await Promise.all(partners.map((partner) => partner.close()));
    await app?.stop();
    await database.drop();
  }
}

/**
 * The latency (ms) of each change's first arrival at the endpoint's receiver, every message verified
 * as a partner verifies it; messages of no change of the schedule (a `referral.received`) are left out.
 */
function latencies(endpoint: { partner: Partner; secret: string }, answeredAt: Map<string, number>): number[] {
  const first = new Map<string, number>();
  for (const request of endpoint.partner.requests()) {
    const message = verify(endpoint.secret, request);
    const answered = answeredAt.get(`${String(message.data.referralId)}/${message.type}`);
    if (answered !== undefined && !first.has(message.id)) first.set(message.id, request.receivedAt - answered);
  }
  return [...first.values()];
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A failed sending is reported by itself; the steps that waited for it fail with it.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

const fixed = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(1));

async function asOwner(ownerUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `webhook latency benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
