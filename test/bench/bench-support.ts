/**
 * What the benchmarks share: knobs from the environment, a fresh database (embedded PostgreSQL in
 * a temporary folder unless DATABASE_URL names a server), the built application in a child
 * process, and CPU accounting from /proc. The load generator is in http-load.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { dropDatabase, provisionDatabase } from '../../src/database/provision';

/** A positive number from the environment (benchmark knobs only; the application never reads these). */
export function knob(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0 || value > 600)
    throw new Error(`${name} must be a positive number up to 600`);
  return value;
}

export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** The p-th percentile of ascending values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The median of values in any order (the lower of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/**
 * The request rate limits lifted: a benchmark sends everything with one credential from one
 * address, and under the production limits it would measure the limiter (every bench's server env).
 */
export const UNLIMITED_RATES: Readonly<Record<string, string>> = {
  RATE_LIMIT_CREDENTIAL_BURST: '1000000',
  RATE_LIMIT_CREDENTIAL_PER_SECOND: '100000',
  RATE_LIMIT_ADDRESS_BURST: '1000000',
  RATE_LIMIT_ADDRESS_PER_SECOND: '100000',
};

/**
 * What every benchmark's built application runs with: its fresh database, no demo, a secret of the
 * run, tokens that outlast long runs, no expiry sweep (it would land inside a measured window and
 * blur it; there is nothing to cancel), no rate limits; `overrides` on top.
 */
export function benchAppEnv(
  database: Pick<BenchDatabase, 'ownerUrl' | 'appUrl'>,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    HARBOUR_ENV: 'development',
    DATABASE_URL: database.ownerUrl,
    DATABASE_APP_URL: database.appUrl,
    HARBOUR_SEED_DEMO: 'false',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    LOG_LEVEL: 'info',
    REFERRAL_EXPIRY_SWEEP_SECONDS: '0',
    ...UNLIMITED_RATES,
    ...overrides,
  };
}

export interface BenchDatabase {
  adminUrl: string;
  /** harbour_owner: migrations and bulk seeding. */
  ownerUrl: string;
  /** harbour_app: the server's runtime role. */
  appUrl: string;
  /** The embedded server's postmaster, for its CPU time; null on an external server. */
  postmasterPid: number | null;
  /** A temporary folder of this run (removed by `drop`). */
  dir: string;
  /**
   * The embedded server only: stops PostgreSQL (a fast shutdown: sessions are ended) and starts it
   * again on the same port and data, for the fault benchmark. Null on an external server.
   */
  server: { stop: () => Promise<void>; start: () => Promise<void> } | null;
  /** Drops the database (external server) or stops the embedded server, and removes the folder. */
  drop: () => Promise<void>;
}

/** A fresh database: an embedded PostgreSQL in a new temporary folder, or a new database on DATABASE_URL's server. */
export async function benchDatabase(
  log: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): Promise<BenchDatabase> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'harbour-bench-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  await fs.chmod(dir, 0o755); // the postgres OS user must pass through (when run as root)
  const name = `harbour_bench_${randomBytes(4).toString('hex')}`;
  let embedded: EmbeddedPostgres | undefined;
  let adminUrl = process.env.DATABASE_URL;
  try {
    if (!adminUrl) {
      embedded = await startEmbeddedPostgres({ dataDir: dir, log });
      adminUrl = embedded.adminUrl;
    }
    const postmasterPid = embedded
      ? Number.parseInt((await fs.readFile(path.join(dir, 'pg', 'postmaster.pid'), 'utf8')).split('\n', 1)[0], 10)
      : null;
    const { ownerUrl, appUrl } = await provisionDatabase(adminUrl, name);
    const admin = adminUrl;
    return {
      adminUrl,
      ownerUrl,
      appUrl,
      postmasterPid,
      dir,
      server: embedded
        ? {
            stop: () => embedded!.stop(),
            start: async () => {
              embedded = await startEmbeddedPostgres({ dataDir: dir, log, port: embedded!.port });
            },
          }
        : null,
      drop: async () => {
        if (!embedded) await dropDatabase(admin, name);
        await embedded?.stop();
        await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
      },
    };
  } catch (error) {
    await embedded?.stop();
    await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
    throw error;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface BuiltApp {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  pid: number;
  /** The server's log file (its stdout and stderr). */
  logFile: string;
  stop: () => Promise<void>;
}

const START_TIMEOUT_MS = 120_000;

/** The Node options `npm run start:dist` runs the server with (package.json is their one place). */
export function deployedNodeOptions(): string[] {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return manifest.scripts['start:dist'].split(/\s+/).filter((word) => word.startsWith('--'));
}

/**
 * Starts the built application (`dist/src/main.js`, from `npm run build`) as deployed: its own
 * process, with the Node options of `npm run start:dist`, migrating its database at start-up. Its
 * output goes to a file, not through a pipe that this process would have to drain while it measures.
 */
export async function startBuiltApp(
  dir: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  name = 'server',
): Promise<BuiltApp> {
  const main = path.resolve(__dirname, '..', '..', 'dist', 'src', 'main.js');
  await fs.access(main).catch(() => {
    throw new Error(`${main} is missing: run \`npm run build\` first (npm run bench does)`);
  });
  return startServerProcess(dir, name, [...deployedNodeOptions(), ...nodeArgs, main], {
    NODE_ENV: 'production',
    ...env,
  });
}

/**
 * Starts the benchmark's plain handlers (plain.server.ts: the inbox's and sendReferral's work without the
 * framework) in its own process, as the application runs in its own.
 */
export async function startPlainServer(dir: string, name: string, env: Record<string, string>): Promise<BuiltApp> {
  const root = path.resolve(__dirname, '..', '..');
  return startServerProcess(
    dir,
    name,
    ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', path.join(root, 'test', 'bench', 'plain.server.ts')],
    env,
    root,
  );
}

/** A server in a child process on a free port, ready once `/health/ready` answers 200; killed when this process ends. */
async function startServerProcess(
  dir: string,
  name: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<BuiltApp> {
  const port = await freePort();
  const logFile = path.join(dir, `${name}.log`);
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  // However this process ends (Ctrl-C included), the server goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} while starting:\n${tail()}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready within ${START_TIMEOUT_MS / 1000} s:\n${tail()}`);
    }
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    pid: child.pid!,
    logFile,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timeout);
      process.removeListener('exit', killOnExit);
    },
  };
}

/** utime + stime (ms) of a /proc stat line; `children` adds the time of exited children. */
function statCpuMs(stat: string, children = false): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0)) * 10; // USER_HZ = 100
}

export interface CpuSample {
  at: number;
  /** The whole machine's busy time (all CPUs); null off Linux. */
  machineBusyMs: number | null;
  /** This process (all its threads): the load generator, and the server too when it runs here. */
  loadMs: number;
  /** The server: its processes (all their threads), or this process's main thread (see `ServerCpu`). */
  serverMs: number | null;
  /** The embedded PostgreSQL: its postmaster, its backends, and the backends that have exited. */
  postgresMs: number | null;
}

/**
 * Where the server runs: its own processes (`pids`: one, or several serving together), or this
 * process's main thread — a server in this process, with its load in a worker thread.
 */
export type ServerCpu = { pids: readonly number[] } | 'main thread';

/**
 * CPU used so far by the machine, this process, the server and the embedded PostgreSQL: the
 * benchmarks run on shared machines, and must tell their own cost from other processes' load.
 */
export async function cpuSample(server: ServerCpu, postmasterPid: number | null): Promise<CpuSample> {
  const usage = process.cpuUsage();
  const sample: CpuSample = {
    at: performance.now(),
    machineBusyMs: null,
    loadMs: (usage.user + usage.system) / 1000,
    serverMs: null,
    postgresMs: null,
  };
  try {
    const [user, nice, system, , , irq, softirq, steal] = (await fs.readFile('/proc/stat', 'utf8'))
      .split('\n', 1)[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    sample.machineBusyMs = (user + nice + system + irq + softirq + steal) * 10; // USER_HZ = 100
    const serverStats =
      server === 'main thread'
        ? [`/proc/self/task/${process.pid}/stat`]
        : server.pids.map((pid) => `/proc/${pid}/stat`);
    sample.serverMs = 0;
    for (const stat of serverStats) sample.serverMs += statCpuMs(await fs.readFile(stat, 'utf8'));
    if (postmasterPid === null) return sample;
    let postgres = 0;
    for (const entry of await fs.readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      if (!stat) continue;
      const pid = Number(entry);
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      // The postmaster also carries the time of the backends that have exited.
      if (pid === postmasterPid || parent === postmasterPid) postgres += statCpuMs(stat, pid === postmasterPid);
    }
    sample.postgresMs = postgres;
  } catch {
    // Not Linux: CPU figures stay unknown.
  }
  return sample;
}

/** One GraphQL request over HTTP (set-up only: sign-ins, probes). */
export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL request failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}
