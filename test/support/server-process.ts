/**
 * Harbour as an operating-system process, for the tests that kill a server or run two on one
 * database: `src/main.ts` through ts-node (SWC), as `npm run audit:verify` runs its command, on a
 * test's own database. Every process started here is killed when the test process exits, whatever
 * happened to the test; `stopServerProcesses` (in afterAll) ends them in an orderly way first.
 */
import { generatePrivateKeyPem } from '@harbour/audit';
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { TEST_JWT_SECRET } from './test-app';
import type { TestDatabase } from './test-database';

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number;
  /** The process's output so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends the signal and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM (Harbour closes its server, relay and worker), SIGKILL if it has not exited in 15 s. */
  stop(): Promise<void>;
}

/** Whatever the test process's processes agree on: tokens signed by one are valid at the other, secrets sealed by one open in the other. */
export const SERVER_PROCESS_WEBHOOK_SECRET_KEY = Buffer.from('harbour-test-server-process-key!').toString('base64');
const AUDIT_PSEUDONYM_KEY = 'test-pseudonym-key-shared-by-every-server-process';
let auditSigningKey: string | undefined;

const ROOT = path.resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const OUTPUT_LIMIT = 64 * 1024;
const LISTENING = /Harbour is listening on [^\s:]+:(\d+)/;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts Harbour on the database (already migrated: HARBOUR_MIGRATE=false) with the relay and the
 * webhook worker as `env` says (both off unless told), listening on a port of its own choosing;
 * resolves once `/health/ready` answers 200.
 */
export async function startServerProcess(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of running) child.kill('SIGKILL');
    });
  }
  auditSigningKey ??= generatePrivateKeyPem();
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HARBOUR_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: database.ownerUrl,
      DATABASE_APP_URL: database.appUrl,
      HARBOUR_MIGRATE: 'false',
      HARBOUR_SEED_DEMO: 'false',
      JWT_SECRET: TEST_JWT_SECRET,
      WEBHOOK_SECRET_KEY: SERVER_PROCESS_WEBHOOK_SECRET_KEY,
      AUDIT_PSEUDONYM_KEY,
      AUDIT_SIGNING_KEY: auditSigningKey,
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
      LOG_LEVEL: 'warn',
      // The tests load one server far harder than people do; rate limits have their own tests.
      RATE_LIMIT_ADDRESS_BURST: '1000000',
      RATE_LIMIT_ADDRESS_PER_SECOND: '100000',
      RATE_LIMIT_CREDENTIAL_BURST: '1000000',
      RATE_LIMIT_CREDENTIAL_PER_SECOND: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  const port = new Promise<number>((resolve) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      append(chunk);
      stdout += chunk.toString('utf8');
      const match = LISTENING.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
  });
  child.stderr.on('data', append);

  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    const url = `http://127.0.0.1:${await within(
      Promise.race([port, exited.then(() => Promise.reject(new Error('the server process exited while starting')))]),
      START_TIMEOUT_MS,
      'the server process did not start listening',
    )}`;
    await within(waitUntilReady(url, exited), START_TIMEOUT_MS, 'the server process did not become ready');
    return {
      url,
      pid: child.pid!,
      output: () => output,
      kill,
      stop: async () => {
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await kill('SIGTERM');
        clearTimeout(timer);
      },
    };
  } catch (error) {
    await kill('SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}; its output:\n${output}`);
  }
}

/** Stops every server process still running (afterAll). */
export async function stopServerProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    }),
  );
}

async function waitUntilReady(url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error('the server process exited while starting');
    const ready = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
