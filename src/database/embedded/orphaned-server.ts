/**
 * Recovery after a crash: the server, backends and postmaster.pid that a killed Node process left
 * in a cluster. Linux finds them through /proc; elsewhere only a dead pid's file is removed.
 */
import { promises as fs } from 'node:fs';
import { platform } from 'node:os';
import * as path from 'node:path';
import { exists, isErrno } from './node-helpers';
import { STOP_GRACE_MS } from './postgres-process';

/**
 * After `kill -9` of Node, its postmaster lives on (orphaned) and its postmaster.pid makes the
 * next start fail. Stop such an orphan, then any of its backends, then drop the stale pid file.
 * A server whose parent Node process is still alive belongs to someone else: refuse instead.
 */
export async function clearStaleServer(pgDir: string, log: (message: string) => void): Promise<void> {
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
      throw new Error(
        `${pidFile} names process ${pid}, which is running: stop it, or delete the file if it is not PostgreSQL`,
      );
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
