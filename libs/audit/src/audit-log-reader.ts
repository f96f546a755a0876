import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { escapeLiteral, type ClientBase, type Connection, type CustomTypesConfig, type Submittable } from 'pg';

/**
 * How verification reads the audit log: rows as PostgreSQL sent them (text), either through a
 * plain pg client (one COPY per batch, so a batch waits as lines of text) or through the entity
 * manager's current transaction.
 */

/** One row as PostgreSQL sent it: text values, in the order of the columns verify.ts selects. */
export type RawRow = (string | null)[];

/**
 * Where verification reads from: one statement at a time, `?` for each parameter (and no other
 * question mark), rows as arrays of unparsed text (parsing dates and arrays for a million rows
 * would cost more than hashing them).
 */
export interface AuditLogReader {
  rows(sql: string, params: readonly unknown[]): Promise<Rows>;
}

/** The rows of one statement, each decoded when it is read: a batch waiting its turn stays compact. */
export interface Rows {
  readonly length: number;
  at(index: number): RawRow;
}

function arrayRows(rows: RawRow[]): Rows {
  return { length: rows.length, at: (index) => rows[index] };
}

const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as CustomTypesConfig;

/**
 * A `pg` client (the CLI, the benchmark): the fastest path. Statements run as
 * `COPY (…) TO STDOUT`, which sends each row as one line of text instead of one value per column —
 * half the work for Node to receive a million rows. COPY takes no bind parameters: they are
 * written into the statement as escaped literals.
 */
export function pgReader(client: Pick<ClientBase, 'query'>): AuditLogReader {
  return {
    rows(sql, params) {
      let n = 0;
      const text = sql.replace(/\?/g, () => literal(params[n++]));
      const copy = new CopyOut(`copy (${text}) to stdout`);
      void client.query(copy);
      return copy.rows;
    },
  };
}

function literal(value: unknown): string {
  if (typeof value === 'string') return escapeLiteral(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new Error(`Cannot write ${typeof value} into a statement`);
}

/** One COPY … TO STDOUT, as a pg "submittable": the rows, once PostgreSQL is ready for the next statement. */
class CopyOut implements Submittable {
  readonly rows: Promise<Rows>;
  private readonly lines: string[] = [];
  private settle!: { resolve: (rows: Rows) => void; reject: (error: Error) => void };
  private failed = false;

  constructor(private readonly text: string) {
    this.rows = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  // PostgreSQL sends whole rows, one per message; only line ends separate rows (newlines in values are escaped).
  handleCopyData(message: { chunk: Buffer }): void {
    const text = message.chunk.toString('utf8');
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.lines.push(text.slice(start, end));
      start = end + 1;
    }
    if (start !== text.length) this.handleError(new Error('COPY sent a row without its line end'));
  }

  handleError(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    const lines = this.lines;
    if (!this.failed) this.settle.resolve({ length: lines.length, at: (index) => parseCopyTextRow(lines[index]) });
  }

  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
}

const COPY_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * One line of COPY's text format, without its line end: values separated by tabs, `\N` for null,
 * backslash escapes for backslash, tab, newline and the like.
 */
export function parseCopyTextRow(line: string): RawRow {
  const row: RawRow = line.split('\t');
  for (let i = 0; i < row.length; i++) {
    const value = row[i] as string;
    if (value.length < 2 || !value.includes('\\')) continue;
    row[i] = value === '\\N' ? null : value.replace(/\\(.)/g, (_escape, c: string) => COPY_ESCAPES[c] ?? c);
  }
  return row;
}

/** The entity manager's current transaction (or its connection): reads share the caller's transaction. */
export function entityManagerReader(em: EntityManager): AuditLogReader {
  return {
    async rows(sql, params) {
      const knex = em.getTransactionContext<Knex.Transaction>() ?? em.getConnection().getKnex();
      const result = (await knex
        .raw(sql, params as readonly Knex.RawBinding[])
        .options({ rowMode: 'array', types: RAW_TEXT })) as {
        rows: RawRow[];
      };
      return arrayRows(result.rows);
    },
  };
}
