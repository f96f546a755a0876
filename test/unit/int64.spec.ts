import { GraphQLObjectType, GraphQLSchema, GraphQLString, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { INPUT_LIMITS, Int64, operationInputProblems, parseInt64 } from '@harbour/graphql-kit';

const BEYOND_DOUBLES = '9007199254740993'; // 2^53 + 1: a JSON number would arrive as …992
const MAX = '9223372036854775807';
const MIN = '-9223372036854775808';
const SECRET = 'value-the-caller-sent';

describe('Int64', () => {
  it('writes every count and sequence number as its decimal digits, exactly', () => {
    expect(Int64.serialize(BEYOND_DOUBLES)).toBe(BEYOND_DOUBLES);
    expect(Int64.serialize(2n ** 63n - 1n)).toBe(MAX);
    expect(Int64.serialize(MIN)).toBe(MIN);
    expect(Int64.serialize(0)).toBe('0');
    expect(Int64.serialize(42)).toBe('42');
  });

  it.each([
    ['a number beyond 2^53, already rounded', 2 ** 53 + 2],
    ['a fraction', 1.5],
    ['a text that is not digits', 'twelve'],
    ['a leading zero', '012'],
    ['a plus sign', '+1'],
    ['minus zero', '-0'],
    ['an exponent', '1e3'],
    ['a value past the 64-bit range', '9223372036854775808'],
    ['a value below it', '-9223372036854775809'],
    ['null', null],
    ['a boolean', true],
  ])('refuses to write %s', (_case, value) => {
    expect(() => Int64.serialize(value)).toThrow(/^Int64 cannot represent this value\.$/);
  });

  it('parses an input strictly: a string of digits from a variable, a string or integer literal in the document', () => {
    expect(Int64.parseValue(BEYOND_DOUBLES)).toBe(2n ** 53n + 1n);
    expect(Int64.parseLiteral({ kind: Kind.STRING, value: MIN })).toBe(-(2n ** 63n));
    expect(Int64.parseLiteral({ kind: Kind.INT, value: MAX })).toBe(2n ** 63n - 1n);
    for (const value of [12, 12.5, ` 12`, '1_000', SECRET, ['1']])
      expect(() => Int64.parseValue(value)).toThrow(
        /^Int64 cannot represent this value: it takes a string of decimal digits/,
      );
    expect(() => Int64.parseLiteral({ kind: Kind.FLOAT, value: '1.0' })).toThrow(
      /^Int64 cannot represent this value: /,
    );
    expect(parseInt64('9223372036854775808')).toBeUndefined();
  });

  it('refuses a bad variable before any resolver, naming the variable and never repeating the value', () => {
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: { after: { type: GraphQLString, args: { seq: { type: Int64 } } } },
      }),
    });
    const document = parse('query ($s: Int64) { after(seq: $s) }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const problems = operationInputProblems(schema, operation, {}, { s: SECRET }, INPUT_LIMITS);
    expect(problems).toEqual([{ field: '$s', message: 'must be a valid Int64' }]);
    expect(operationInputProblems(schema, operation, {}, { s: BEYOND_DOUBLES }, INPUT_LIMITS)).toEqual([]);
  });
});
