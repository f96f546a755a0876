import { loggableError } from '@harbour/graphql-kit';
import pino, { type DestinationStream, type Level, type Logger, type LogFn } from 'pino';

/** Credentials that could appear in a logged object, whatever its shape. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.accessToken',
];

/** The message of a line that logs an error without one: never the error's own message. */
const ERROR_LINE = 'unexpected error';

/**
 * Harbour's one logger. No line carries personal data, whatever the caller of the logger does:
 * errors are reduced to what `loggableError` keeps (class, SQLSTATE, table, constraint, stack
 * frames — never a message, SQL text or parameter), and pino's habit of taking a line's text from
 * the error's message is replaced by a fixed text.
 */
export function createLogger(level: Level | 'silent', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: loggableError, error: loggableError },
      hooks: {
        logMethod(this: Logger, args: Parameters<LogFn>, method: LogFn) {
          const [first, second, ...rest] = args as unknown[];
          if (first instanceof Error)
            return method.call(this, { err: first }, typeof second === 'string' ? second : ERROR_LINE, ...rest);
          const carriesError = typeof first === 'object' && first !== null && ('err' in first || 'error' in first);
          if (carriesError && typeof second !== 'string') return method.call(this, first, ERROR_LINE, ...rest);
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}
