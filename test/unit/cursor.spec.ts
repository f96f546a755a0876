import { BadUserInputError, DomainErrorCode, decodeCursor, encodeCursor, type CursorKey } from '@harbour/graphql-kit';

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** The error decodeCursor throws for `cursor`, failing the test if it throws none. */
function refusal(cursor: string, expectedLength: number): unknown {
  try {
    decodeCursor(cursor, expectedLength);
  } catch (error) {
    return error;
  }
  throw new Error(`decodeCursor accepted ${JSON.stringify(cursor)}`);
}

describe(encodeCursor.name, () => {
  it('gives an opaque, URL-safe string', () => {
    expect(encodeCursor(['Harbour Food Bank', '0b8c1c36-2f4e-4d5f-9d0c-1a2b3c4d5e6f'])).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe(decodeCursor.name, () => {
  it.each<[string, CursorKey]>([
    ['a name and an id', ['Harbour Food Bank', '0b8c1c36-2f4e-4d5f-9d0c-1a2b3c4d5e6f']],
    ['numbers, booleans and null', [42, -1.5, true, false, null]],
    ['text that needs escaping', ['"quoted", \\ back-slashed, ünïcödé, 🚢']],
    ['an empty key', []],
  ])('round-trips %s', (_what, key) => {
    expect(decodeCursor(encodeCursor(key), key.length)).toEqual(key);
  });

  it.each([
    ['an empty string', ''],
    ['garbage', '!!!not a cursor!!!'],
    ['plain base64url text', base64url('hello')],
    ['another version', base64url('v2:["a","b"]')],
    ['no version', base64url('["a","b"]')],
    ['broken JSON', base64url('v1:["a",')],
    ['JSON that is not a list', base64url('v1:{"name":"a","id":"b"}')],
    ['a list holding an object', base64url('v1:[{"$ne":null},"b"]')],
    ['a list holding a list', base64url('v1:[["a"],"b"]')],
    ['a truncated cursor', encodeCursor(['Harbour Food Bank', 'id']).slice(0, -6)],
  ])('refuses %s as BAD_USER_INPUT naming `after`', (_what, cursor) => {
    const error = refusal(cursor, 2);
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).code).toBe(DomainErrorCode.BadUserInput);
    expect((error as BadUserInputError).details.fields).toEqual([expect.objectContaining({ field: 'after' })]);
  });

  it.each([
    ['shorter', ['a'], 2],
    ['longer', ['a', 'b', 'c'], 2],
  ])('refuses a key %s than the list sorts by (a cursor of another list)', (_what, key, expectedLength) => {
    expect(refusal(encodeCursor(key), expectedLength)).toBeInstanceOf(BadUserInputError);
  });

  it('says the same thing for every bad cursor, revealing nothing of the format', () => {
    const messages = new Set(
      [refusal('', 2), refusal(base64url('v1:[1]'), 2), refusal(base64url('v2:[]'), 0)].map(
        (e) => (e as Error).message,
      ),
    );
    expect([...messages]).toEqual(['The cursor is not valid for this list.']);
  });
});
