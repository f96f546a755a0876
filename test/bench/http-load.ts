/**
 * The benchmarks' load generator: plain node:http with kept-alive connections, several times
 * cheaper per request than fetch, so that it takes little CPU from the server it measures.
 *
 * It imports nothing but Node's own modules: the audit write benchmark loads it in a worker thread
 * whose start-up falls inside the CPU time it measures, and bench-support.ts would bring the
 * application's database modules along (close to a second of CPU through ts-node).
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Bounds a request that never answers: the benchmark must end by itself. */
const REQUEST_TIMEOUT_MS = 30_000;

/** One POST of a JSON body with a bearer token, on `agent`'s kept-alive connections. */
export function post(
  url: URL,
  token: string,
  body: string | Buffer,
  agent: Agent,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
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

export interface LoadPlan {
  /** Where to send; with several URLs (several server processes), connection i sends to url[i mod n]. */
  url: string | readonly string[];
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** The body of connection `connection`'s `n`-th request (JSON), and its bearer token. */
  next: (connection: number, n: number) => { body: string | Buffer; token: string };
  /** Why a response is a failure, or null when it is fine (status 200 and no `errors` unless told otherwise); it may throw. */
  check?: (status: number, text: string) => string | null;
}

export interface LoadResult {
  /** Latencies (ms) of the requests that started and completed inside the measured window. */
  latenciesMs: number[];
  windowMs: number;
  /** Successful requests, warm-up included. */
  completed: number;
  /** Failed requests, warm-up included. */
  errors: number;
  firstError: string | null;
}

const defaultCheck = (status: number, text: string): string | null =>
  status !== 200 || text.includes('"errors":') ? `HTTP ${status}: ${text.slice(0, 500)}` : null;

/**
 * Closed-loop load: `connections` clients, each on its own kept-alive connection, sending its next
 * request as soon as the previous one is answered, for a warm-up and then a measured window.
 */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const urls = (typeof plan.url === 'string' ? [plan.url] : plan.url).map((url) => new URL(url));
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  const check = plan.check ?? defaultCheck;
  const result: LoadResult = { latenciesMs: [], windowMs: plan.durationMs, completed: 0, errors: 0, firstError: null };
  const windowStart = performance.now() + plan.warmupMs;
  const windowEnd = windowStart + plan.durationMs;
  const client = async (connection: number) => {
    for (let n = 0; ; n++) {
      const started = performance.now();
      if (started >= windowEnd) return;
      const { body, token } = plan.next(connection, n);
      let failure: string | null;
      try {
        const response = await post(urls[connection % urls.length], token, body, agent);
        failure = check(response.status, response.text);
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
  };
  try {
    await Promise.all(Array.from({ length: plan.connections }, (_, i) => client(i)));
  } finally {
    agent.destroy();
  }
  return result;
}
