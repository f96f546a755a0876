import { buildSchema, parse, validate } from 'graphql';
import { withoutRawInput } from '@harbour/graphql-kit';

const MARKER = 'Amina';

const schema = buildSchema(`
  enum E { A B }
  input I { a: Int b: E! c: String }
  type Query { f(x: Int, e: E, i: I, s: String, id: ID, b: Boolean, fl: Float): Int }
`);

/** graphql-js's own messages for documents that carry the marker where it does not fit. */
const validationMessages = [
  `{ f(x: "${MARKER}") }`,
  `{ f(e: ${MARKER}) }`,
  `{ f(e: "${MARKER}") }`,
  `{ f(i: { a: "${MARKER}", b: A }) }`,
  `{ f(b: "${MARKER}") }`,
  `{ f(fl: "${MARKER}") }`,
].flatMap((query) => validate(schema, parse(query)).map((error) => error.message));

function syntaxMessage(query: string): string {
  try {
    parse(query);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`parsed: ${query}`);
}

describe(withoutRawInput.name, () => {
  it.each(validationMessages)('drops the value from %p', (message) => {
    expect(message).toContain(MARKER);
    expect(withoutRawInput(message)).not.toContain(MARKER);
  });

  it.each([
    `{ f(x: 1) } ${MARKER}`,
    `{ f(s: "${MARKER}) }`,
    `{ f(s: "\\u${MARKER}") }`,
    `{ f(x: 0${MARKER}) }`,
    `{ "${MARKER}" }`,
  ])('drops the token from the syntax error of %p', (query) => {
    const message = withoutRawInput(syntaxMessage(query));
    expect(message).toMatch(/^Syntax Error: /);
    expect(message).not.toContain(MARKER);
  });

  it('keeps what helps: the expected type, the enum, the kind of token', () => {
    expect(withoutRawInput('Int cannot represent non-integer value: "Amina"')).toBe(
      'Int cannot represent non-integer value.',
    );
    expect(withoutRawInput('Value "Amina" does not exist in "E" enum.')).toBe('The value does not exist in "E" enum.');
    expect(withoutRawInput('Syntax Error: Unexpected Name "Amina".')).toBe('Syntax Error: Unexpected Name.');
    expect(
      withoutRawInput('Expected value of type "Int!", found "Amina"; Int cannot represent non-integer value: "Amina"'),
    ).toBe('Expected value of type "Int!", found another value.');
  });

  it('drops the value a variable got', () => {
    expect(
      withoutRawInput(
        'Variable "$input" got invalid value { name: "Amina; x" }; Field "name" of required type "String!" was not provided.',
      ),
    ).toBe('Variable "$input" got an invalid value; Field "name" of required type "String!" was not provided.');
    expect(withoutRawInput('Variable "$id" got invalid value "Amina"; Expected type "ID".')).toBe(
      'Variable "$id" got an invalid value; Expected type "ID".',
    );
  });

  it('leaves messages without values alone', () => {
    for (const message of [
      'Cannot query field "x" on type "Query".',
      'Syntax Error: Unterminated string.',
      'Field "a" of required type "E!" was not provided.',
    ]) {
      expect(withoutRawInput(message)).toBe(message);
    }
  });
});
