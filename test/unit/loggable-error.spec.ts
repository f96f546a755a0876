import { loggableError } from '@harbour/graphql-kit';
import { createLogger } from '../../src/common/logging/logger';

const SECRET = 'Amina Haddad';

function driverError(): Error {
  const error = new Error(
    `insert into "client" ("preferred_name") values ('${SECRET}') - duplicate key value violates unique constraint "client_name_unique"`,
  );
  Object.assign(error, {
    code: '23505',
    table: 'client',
    constraint: 'client_name_unique',
    detail: `Key (preferred_name)=(${SECRET}) already exists.`,
    column: undefined,
  });
  return error;
}

describe(loggableError.name, () => {
  it('keeps the SQLSTATE, table and constraint of a database error, and nothing of its message or detail', () => {
    const entry = loggableError(driverError());
    expect(entry).toMatchObject({
      type: 'Error',
      sqlState: '23505',
      table: 'client',
      constraint: 'client_name_unique',
    });
    expect(JSON.stringify(entry)).not.toContain(SECRET);
    expect(entry.stack?.every((frame) => frame.startsWith('at '))).toBe(true);
  });

  it('follows causes, and never keeps a message', () => {
    const entry = loggableError(
      new Error('wrapper', { cause: new SyntaxError(`Unexpected token in JSON "${SECRET}"`) }),
    );
    expect(entry.cause).toMatchObject({ type: 'SyntaxError' });
    expect(JSON.stringify(entry)).not.toMatch(/Amina|wrapper/);
  });

  it('says only the kind of a thrown non-error', () => {
    expect(loggableError(SECRET)).toEqual({ type: 'string' });
  });
});

describe(createLogger.name, () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger('trace', { write: (line: string) => void lines.push(line) }) };
  };

  it.each([
    ['an error as the object', (l: ReturnType<typeof createLogger>) => l.error(driverError())],
    ['an error under err', (l: ReturnType<typeof createLogger>) => l.error({ err: driverError() })],
    [
      'an error under error, with a message',
      (l: ReturnType<typeof createLogger>) => l.warn({ error: driverError() }, 'fixed text'),
    ],
  ])('never writes an error message, given %s', (_how, log) => {
    const { lines, logger } = capture();
    log(logger);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).toContain('"sqlState":"23505"');
  });

  it('redacts credentials in logged objects', () => {
    const { lines, logger } = capture();
    logger.info(
      { req: { headers: { authorization: 'Bearer abc.def' } }, input: { password: 'hunter2 hunter2' } },
      'request',
    );
    expect(lines[0]).not.toMatch(/abc\.def|hunter2/);
  });
});
