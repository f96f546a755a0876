/**
 * What the server log may keep of an unexpected error. An error's message can hold anything that
 * was near it — a failed SQL statement with its parameters, a driver's "Key (name)=(…)" detail, a
 * JSON parser's snippet of its input — so no message goes to the log: database errors are named by
 * their SQLSTATE, table, column and constraint; every error by its class and its stack frames.
 */
export interface LoggableError {
  type: string;
  /** SQLSTATE, for database errors. */
  sqlState?: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** Stack frames (file and line), without the message line. */
  stack?: string[];
  cause?: LoggableError;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const IDENTIFIER = /^[a-z_][a-z0-9_$]{0,62}$/i;
const MAX_FRAMES = 12;
const MAX_CAUSES = 3;

function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined;
}

export function loggableError(error: unknown, depth = 0): LoggableError {
  if (!(error instanceof Error)) return { type: typeof error };
  const fields = error as Error & {
    code?: unknown;
    sqlState?: unknown;
    table?: unknown;
    column?: unknown;
    constraint?: unknown;
    cause?: unknown;
  };
  const sqlState = [fields.sqlState, fields.code].find(
    (value): value is string => typeof value === 'string' && SQLSTATE.test(value),
  );
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_FRAMES)
    .map((line) => line.trim());
  const entry: LoggableError = { type: identifier(error.constructor.name) ?? 'Error' };
  if (sqlState) entry.sqlState = sqlState;
  for (const key of ['table', 'column', 'constraint'] as const) {
    const value = identifier(fields[key]);
    if (value) entry[key] = value;
  }
  if (frames.length > 0) entry.stack = frames;
  if (fields.cause !== undefined && depth < MAX_CAUSES) entry.cause = loggableError(fields.cause, depth + 1);
  return entry;
}
