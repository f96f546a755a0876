/**
 * Provisioning of the data directory: `<dataDir>/pg` holds the cluster, `<dataDir>/admin-password`
 * (0600) its superuser password. Creates both on first use (initdb), and clears what an
 * interrupted initdb left behind.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { exists, isErrno } from './node-helpers';
import { describe, type ServerInstance, type ServerOutput } from './postgres-process';

const execFileAsync = promisify(execFile);

export interface DataDirectory {
  pgDir: string;
  /** initdb has completed: the cluster exists. */
  initialised: boolean;
  password: string;
}

/** Where the cluster of a data directory lives; relative paths are resolved from cwd. */
export function clusterDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'pg');
}

/** Creates the data directory if need be and reads (or, for a new cluster, creates) the password. */
export async function openDataDirectory(dataDirOption: string, isRoot: boolean): Promise<DataDirectory> {
  const dataDir = path.resolve(dataDirOption);
  const pgDir = clusterDir(dataDir);
  // 0711 as root: the postgres user must pass through to pg/, never list or read the password.
  await fs.mkdir(dataDir, { recursive: true, mode: isRoot ? 0o711 : 0o700 });
  const initialised = await exists(path.join(pgDir, 'PG_VERSION'));
  const password = await adminPassword(dataDir, initialised);
  return { pgDir, initialised, password };
}

/** initdb, through the library (which, as root, also creates pg/ owned by the postgres user). */
export async function initialiseCluster(instance: ServerInstance, pgDir: string, output: ServerOutput): Promise<void> {
  try {
    await instance.initialise();
  } catch (error) {
    throw new Error(`initdb failed for ${pgDir}: ${describe(error)}\n${output.text()}`);
  }
}

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

/** initdb interrupted by a crash leaves a half-made folder without PG_VERSION; initdb refuses non-empty folders. */
export async function removeFailedInit(pgDir: string, log: (message: string) => void): Promise<void> {
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

let cachedLocale: string | undefined;

/** C.UTF-8: Unicode-aware lower()/upper(), byte-order sorting identical on every machine. */
export async function serverLocale(): Promise<string> {
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
