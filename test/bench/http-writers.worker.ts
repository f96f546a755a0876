/**
 * The load of the write benchmark (audit-write.bench.ts), in a worker thread so that making
 * requests does not compete with the server for its event loop: N writers, each with its own token
 * and its own service, run `updateService` back to back for a warm-up and then a measured window.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

export interface Writer {
  token: string;
  serviceId: string;
}

export interface LoadPlan {
  url: string;
  writers: Writer[];
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Mutations that started and completed inside the measured window, with their latencies. */
  latenciesMs: number[];
  windowMs: number;
  /** Successful mutations, warm-up included. */
  completed: number;
  /** Failed mutations, warm-up included. */
  errors: number;
  firstError: string | null;
  /** CPU time of this thread (making the requests), when the platform tells (Linux). */
  loadCpuMs: number | null;
}

const UPDATE_SERVICE = 'mutation ($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { id capacity } }';
/** Bounds a request that never answers: the benchmark must end by itself. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Plain node:http with kept-alive connections: several times cheaper per request than fetch, so the load takes little CPU from the server. */
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function post(url: URL, token: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ = 100
  } catch {
    return null;
  }
}

async function write(plan: LoadPlan, writer: Writer, windowStart: number, windowEnd: number, result: LoadResult): Promise<void> {
  const url = new URL(plan.url);
  for (let i = 0; ; i++) {
    const started = performance.now();
    if (started >= windowEnd) return;
    let failure: string | null = null;
    try {
      // Alternate, so that every call really changes the row.
      const body = JSON.stringify({ query: UPDATE_SERVICE, variables: { id: writer.serviceId, i: { capacity: i % 2 === 0 ? 'FULL' : 'WAITLIST' } } });
      const response = await post(url, writer.token, body);
      const answer = JSON.parse(response.text) as { errors?: unknown };
      if (response.status !== 200 || answer.errors) failure = `HTTP ${response.status}: ${response.text.slice(0, 500)}`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const ended = performance.now();
    if (failure !== null) {
      result.errors += 1;
      result.firstError ??= failure;
      continue;
    }
    result.completed += 1;
    if (started >= windowStart && ended <= windowEnd) result.latenciesMs.push(ended - started);
  }
}

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const result: LoadResult = { latenciesMs: [], windowMs: plan.durationMs, completed: 0, errors: 0, firstError: null, loadCpuMs: null };
  const cpuBefore = threadCpuMs();
  const windowStart = performance.now() + plan.warmupMs;
  const windowEnd = windowStart + plan.durationMs;
  await Promise.all(plan.writers.map((writer) => write(plan, writer, windowStart, windowEnd, result)));
  const cpuAfter = threadCpuMs();
  result.loadCpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  agent.destroy();
  return result;
}

if (parentPort) {
  const port = parentPort;
  runLoad(workerData as LoadPlan).then(
    (result) => port.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
}
