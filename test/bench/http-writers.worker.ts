/**
 * The load of the write benchmark (audit-write.bench.ts), in a worker thread so that making
 * requests does not compete with the server for its event loop: N writers, each with its own token
 * and its own service, run `updateService` back to back for a warm-up and then a measured window.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type LoadResult, runLoad } from './http-load';

export interface Writer {
  token: string;
  serviceId: string;
}

export interface WritersPlan {
  url: string;
  writers: Writer[];
  warmupMs: number;
  durationMs: number;
}

export interface WritersResult extends LoadResult {
  /** CPU time of this thread (making the requests), when the platform tells (Linux). */
  loadCpuMs: number | null;
}

const UPDATE_SERVICE =
  'mutation ($id: ID!, $i: UpdateServiceInput!) { updateService(id: $id, input: $i) { service { id capacity } } }';

function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ = 100
  } catch {
    return null;
  }
}

/** A failure unless the answer is JSON, status 200 and without `errors` (an answer that is not JSON throws). */
function check(status: number, text: string): string | null {
  const answer = JSON.parse(text) as { errors?: unknown };
  return status !== 200 || answer.errors ? `HTTP ${status}: ${text.slice(0, 500)}` : null;
}

export async function runWriters(plan: WritersPlan): Promise<WritersResult> {
  const cpuBefore = threadCpuMs();
  const result = await runLoad({
    url: plan.url,
    connections: plan.writers.length,
    warmupMs: plan.warmupMs,
    durationMs: plan.durationMs,
    next: (connection, n) => {
      const writer = plan.writers[connection];
      // Alternate, so that every call really changes the row.
      const body = JSON.stringify({
        query: UPDATE_SERVICE,
        variables: { id: writer.serviceId, i: { capacity: n % 2 === 0 ? 'FULL' : 'WAITLIST' } },
      });
      return { body, token: writer.token };
    },
    check,
  });
  const cpuAfter = threadCpuMs();
  return { ...result, loadCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

if (parentPort) {
  const port = parentPort;
  runWriters(workerData as WritersPlan).then(
    (result) => port.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
}
