import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * One representation for every 64-bit count and sequence number of the schema: a JSON string of
 * decimal digits. A JSON number would do up to 2^53 only — JavaScript, and many JSON parsers in
 * other languages, read every number as a double and silently round beyond it — while an audit
 * chain's `seq` is a PostgreSQL bigint. A plain `String` would carry the digits but say nothing
 * about them; a scalar of its own names the rule once, in the schema, and is parsed strictly.
 */
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
/** What `String(bigint)` writes: an optional minus, no leading zero, no plus, space or exponent. */
const DECIMAL = /^(0|-?[1-9]\d{0,18})$/;

/** The value of an Int64's decimal text, or undefined when the text is not one. */
export function parseInt64(text: string): bigint | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = BigInt(text);
  return value >= MIN && value <= MAX ? value : undefined;
}

// Messages never repeat the value (it may be anything a caller sent), and begin as graphql-js's own
// scalars' do, which the input-safety plugin reads to name the type expected.
const NOT_INT64 =
  'Int64 cannot represent this value: it takes a string of decimal digits within the 64-bit range, such as "9007199254740993".';

function serialize(value: unknown): string {
  const text =
    typeof value === 'bigint'
      ? String(value)
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? String(value)
        : typeof value === 'string'
          ? value
          : undefined;
  if (text === undefined || parseInt64(text) === undefined)
    throw new GraphQLError('Int64 cannot represent this value.');
  return text;
}

export const Int64 = new GraphQLScalarType<bigint, string>({
  name: 'Int64',
  description:
    'A 64-bit integer (from -9223372036854775808 to 9223372036854775807, the range of a PostgreSQL bigint), written as a JSON string of its decimal digits, e.g. `"9007199254740993"`: an optional minus sign, no leading zeros, no plus sign, spaces, decimals or exponent. A string so that no digit is lost beyond 2^53, where JSON numbers are read as floating point; read it with `BigInt(…)` or a 64-bit integer type. Harbour uses it for every count and sequence number that can outgrow 32 bits: audit-event positions (`seq`), events verified and audit-log totals. Where it is an input it takes only such a string, or an integer literal in the document.',
  serialize,
  parseValue(value) {
    const parsed = typeof value === 'string' ? parseInt64(value) : undefined;
    if (parsed === undefined) throw new GraphQLError(NOT_INT64);
    return parsed;
  },
  parseLiteral(ast) {
    const parsed = ast.kind === Kind.STRING || ast.kind === Kind.INT ? parseInt64(ast.value) : undefined;
    if (parsed === undefined) throw new GraphQLError(NOT_INT64);
    return parsed;
  },
});
