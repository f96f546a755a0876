/**
 * The two database roles Harbour runs with, and a database set up for them:
 * - `harbour_owner` owns the schema and runs the migrations;
 * - `harbour_app` is what the server connects as at run time: it owns nothing, so it gets only
 *   the privileges the migrations grant it (e.g. no UPDATE/DELETE on the audit log).
 *
 * `provisionDatabase` does this through an admin (superuser) URL — embedded mode, tests and
 * development servers; `renderDeploymentSql` prints the same statements for a DBA.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';

export const OWNER_ROLE = 'harbour_owner';
export const APP_ROLE = 'harbour_app';

// Role names are fixed lowercase identifiers: written unquoted so that the SQL reads naturally.
const ROLES = [OWNER_ROLE, APP_ROLE] as const;
const ROLE_ATTRIBUTES = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS';

/** Serialises provisioning: concurrent ALTER ROLE/GRANT on one object fail with "tuple concurrently updated". */
const LOCK_KEYS = [0x48617262, 1]; // "Harb", 1

const MAX_IDENTIFIER_BYTES = 63; // longer names are silently truncated by PostgreSQL

/** Statements run inside the database, as the admin; `database` is an already quoted identifier. */
function databaseStatements(database: string): string[] {
  return [
    `ALTER SCHEMA public OWNER TO ${OWNER_ROLE}`,
    'REVOKE ALL ON SCHEMA public FROM PUBLIC',
    `GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`,
    `REVOKE ALL ON DATABASE ${database} FROM PUBLIC`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${OWNER_ROLE}, ${APP_ROLE}`,
  ];
}

export interface ProvisionedDatabase {
  /** Connects as harbour_owner: for migrations. */
  ownerUrl: string;
  /** Connects as harbour_app: for the running server. */
  appUrl: string;
}

/**
 * Creates the roles (if missing), sets their passwords, creates the database (if missing) and
 * sets its privileges. Safe to call again and concurrently.
 *
 * Passwords are stored nowhere: they are derived from the admin password (HMAC per role), so
 * every caller with the same admin URL computes the same ones and concurrent callers — parallel
 * test workers — do not invalidate each other's URLs. An admin URL without a password falls back
 * to PGPASSWORD, then to the admin's own password verifier (superusers only), and only then to
 * random passwords, which a concurrent call would replace.
 */
export async function provisionDatabase(
  adminUrl: string,
  database: string,
  options: { template?: string } = {},
): Promise<ProvisionedDatabase> {
  checkIdentifier(database);
  if (options.template !== undefined) checkIdentifier(options.template);

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1, $2)', LOCK_KEYS);
    const secret = await passwordSecret(adminUrl, admin);
    const passwords = {
      [OWNER_ROLE]: rolePassword(secret, OWNER_ROLE),
      [APP_ROLE]: rolePassword(secret, APP_ROLE),
    };
    for (const role of ROLES) await ensureRole(admin, role, passwords[role], secret);
    await ensureDatabase(admin, database, options.template);

    const inDatabase = new Client({ connectionString: withDatabase(adminUrl, database) });
    await inDatabase.connect();
    try {
      await inDatabase.query('BEGIN');
      for (const statement of databaseStatements(escapeIdentifier(database))) await inDatabase.query(statement);
      await inDatabase.query('COMMIT');
    } finally {
      // Closed before we return: the database may be used as a template right after.
      await inDatabase.end();
    }

    return {
      ownerUrl: roleUrl(adminUrl, OWNER_ROLE, passwords[OWNER_ROLE], database),
      appUrl: roleUrl(adminUrl, APP_ROLE, passwords[APP_ROLE], database),
    };
  } finally {
    await admin.end(); // also releases the advisory lock
  }
}

/** Drops the database if it exists, disconnecting its sessions (WITH (FORCE)). */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  checkIdentifier(database);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const name = escapeIdentifier(database);
    const { rows } = await admin.query<{ datistemplate: boolean }>(
      'SELECT datistemplate FROM pg_database WHERE datname = $1',
      [database],
    );
    // PostgreSQL refuses to drop a database marked as a template.
    if (rows[0]?.datistemplate) await admin.query(`ALTER DATABASE ${name} IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * The psql script a DBA runs once, as a superuser, on a real PostgreSQL (15 or later) to create
 * the roles and the database; running it again changes only the passwords.
 */
export function renderDeploymentSql(): string {
  const roleStatements = ROLES.map((role) => {
    const variable = role === OWNER_ROLE ? 'owner_password' : 'app_password';
    return [
      `SELECT 'CREATE ROLE ${role}' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') \\gexec`,
      `ALTER ROLE ${role} WITH ${ROLE_ATTRIBUTES} PASSWORD :'${variable}';`,
    ].join('\n');
  });
  return [
    '-- Harbour: database roles and database (PostgreSQL 15 or later).',
    '-- Run as a superuser; it is idempotent (running it again only changes the passwords):',
    '--   psql "postgres://postgres@db.internal:5432/postgres" -f harbour-database.sql \\',
    '--     -v database=harbour -v owner_password="$OWNER_PASSWORD" -v app_password="$APP_PASSWORD"',
    '-- psql sends the passwords to the server in plain text; the server stores them hashed with',
    '-- password_encryption (scram-sha-256 by default). Then run Harbour with',
    `--   owner URL: postgres://${OWNER_ROLE}:<owner_password>@<host>:<port>/<database>  (runs the migrations)`,
    `--   app URL:   postgres://${APP_ROLE}:<app_password>@<host>:<port>/<database>    (serves requests)`,
    '\\set ON_ERROR_STOP on',
    '\\if :{?database}',
    '\\else',
    '  \\set database harbour',
    '\\endif',
    '',
    `-- ${OWNER_ROLE} owns the schema and runs the migrations; ${APP_ROLE} owns nothing and gets only`,
    '-- what the migrations grant it. Neither can create roles or databases or bypass row security.',
    ...roleStatements,
    '',
    `SELECT format('CREATE DATABASE %I OWNER ${OWNER_ROLE}', :'database')`,
    "  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \\gexec",
    '',
    '-- Inside the database: only the two roles may connect, only the owner may create objects.',
    '\\connect :"database"',
    ...databaseStatements(':"database"').map((statement) => `${statement};`),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

async function ensureRole(admin: Client, role: string, password: string, secret: string): Promise<void> {
  const { rows } = await admin.query<Record<string, boolean>>(
    `SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit, rolbypassrls
       FROM pg_roles WHERE rolname = $1`,
    [role],
  );
  const current = rows[0];
  if (!current) {
    try {
      await admin.query(`CREATE ROLE ${role} WITH ${ROLE_ATTRIBUTES}`);
    } catch (error) {
      if (sqlState(error) !== '42710') throw error; // duplicate_object: created meanwhile by someone else
    }
  } else if (
    !current.rolcanlogin ||
    current.rolsuper ||
    current.rolcreatedb ||
    current.rolcreaterole ||
    current.rolinherit ||
    current.rolbypassrls
  ) {
    // Only when they drifted: changing SUPERUSER/BYPASSRLS at all needs a real superuser.
    await admin.query(`ALTER ROLE ${role} WITH ${ROLE_ATTRIBUTES}`);
  }
  // A SCRAM verifier rather than the plain password, which a server log could record.
  await admin.query(`ALTER ROLE ${role} WITH PASSWORD ${escapeLiteral(scramVerifier(password, secret, role))}`);
}

async function ensureDatabase(admin: Client, database: string, template: string | undefined): Promise<void> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (rowCount) return;
  const from = template === undefined ? '' : ` TEMPLATE ${escapeIdentifier(template)}`;
  try {
    await admin.query(`CREATE DATABASE ${escapeIdentifier(database)} OWNER ${OWNER_ROLE}${from}`);
  } catch (error) {
    if (sqlState(error) !== '42P04') throw error; // duplicate_database: created meanwhile
  }
}

async function passwordSecret(adminUrl: string, admin: Client): Promise<string> {
  const fromUrl = decodeURIComponent(new URL(adminUrl).password);
  if (fromUrl) return fromUrl;
  if (process.env.PGPASSWORD) return process.env.PGPASSWORD;
  try {
    const { rows } = await admin.query<{ rolpassword: string | null }>(
      'SELECT rolpassword FROM pg_authid WHERE rolname = current_user',
    );
    if (rows[0]?.rolpassword) return rows[0].rolpassword;
  } catch {
    // not a superuser: pg_authid is unreadable
  }
  return randomBytes(32).toString('hex');
}

function rolePassword(secret: string, role: string): string {
  return createHmac('sha256', secret).update(`harbour role password\0${role}`).digest('hex');
}

/** SCRAM-SHA-256 verifier as PostgreSQL stores it (RFC 5802/7677); the salt is derived too, so it is stable. */
function scramVerifier(password: string, secret: string, role: string): string {
  const iterations = 4096;
  const salt = createHmac('sha256', secret).update(`harbour role salt\0${role}`).digest().subarray(0, 16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

function roleUrl(adminUrl: string, role: string, password: string, database: string): string {
  const url = new URL(withDatabase(adminUrl, database));
  if (url.hostname) {
    url.username = role;
    url.password = password;
  } else {
    // A host-less URL (Unix socket given as ?host=) cannot carry credentials before the host.
    url.searchParams.set('user', role);
    url.searchParams.set('password', password);
  }
  return url.toString();
}

function checkIdentifier(name: string): void {
  if (!name || Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES || name.includes('\0')) {
    throw new Error(`Invalid database name "${name}": 1 to ${MAX_IDENTIFIER_BYTES} bytes`);
  }
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
}
