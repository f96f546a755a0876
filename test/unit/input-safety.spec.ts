import { buildSchema, GraphQLScalarType, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { INPUT_LIMITS, operationInputProblems } from '@harbour/graphql-kit';

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  parseValue: (value) => new Date(value as string),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : undefined),
});
const schema = buildSchema(`
  scalar DateTime
  input Filter { since: DateTime ids: [ID!] chain: ID text: String }
  type Item { id: ID! children(after: String, filter: Filter): [Item!]! }
  type Query {
    item(id: ID!): Item
    items(filter: Filter, first: Int): [Item!]!
    chain(chainId: ID): Int
  }
`);
Object.assign(schema.getType('DateTime')!, { parseValue: DateTime.parseValue, parseLiteral: DateTime.parseLiteral });

const OPTIONS = { ...INPUT_LIMITS, idWords: { 'Query.chain.chainId': ['network'], 'Filter.chain': ['network'] } };
const ID = '3f1c1f8e-6d8a-4c47-9a49-2f4cf0b0b6a1';

function problems(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  return operationInputProblems(schema, operation, fragments, variables, OPTIONS);
}

describe(operationInputProblems.name, () => {
  it('accepts UUIDs, ordinary text with tabs and line breaks, and dates within range', () => {
    expect(
      problems('query ($f: Filter) { items(filter: $f) { id } }', {
        f: { ids: [ID], text: 'a\tb\r\nc ✓ 🙂', since: '2026-01-01T00:00:00Z' },
      }),
    ).toEqual([]);
    expect(problems(`{ item(id: "${ID}") { id } }`)).toEqual([]);
  });

  it.each([
    ['an id that is not a UUID, as a literal', '{ item(id: "1 OR 1=1") { id } }', {}, 'id'],
    [
      'an id that is not a UUID, in a list in a variable',
      'query ($f: Filter) { items(filter: $f) { id } }',
      { f: { ids: [ID, 'x'] } },
      'filter.ids.1',
    ],
    ['NUL in text', 'query ($f: Filter) { items(filter: $f) { id } }', { f: { text: 'a\u0000' } }, 'filter.text'],
    ['escape in text', 'query ($f: Filter) { items(filter: $f) { id } }', { f: { text: '\u001b[31m' } }, 'filter.text'],
    ['C1 control in text', 'query ($f: Filter) { items(filter: $f) { id } }', { f: { text: '\u0085' } }, 'filter.text'],
    ['a lone surrogate', 'query ($f: Filter) { items(filter: $f) { id } }', { f: { text: 'a\ud800b' } }, 'filter.text'],
    [
      'a date in the year 275760',
      'query ($f: Filter) { items(filter: $f) { id } }',
      { f: { since: '+275760-09-13T00:00:00Z' } },
      'filter.since',
    ],
    [
      'a date in the year 0',
      'query ($f: Filter) { items(filter: $f) { id } }',
      { f: { since: '0000-01-01T00:00:00Z' } },
      'filter.since',
    ],
    ['a nested field argument', `{ item(id: "${ID}") { children(after: "x\u0000") { id } } }`, {}, 'after'],
    [
      'a nested argument inside a fragment',
      `query { item(id: "${ID}") { ...F } } fragment F on Item { children(filter: { ids: ["nope"] }) { id } }`,
      {},
      'filter.ids.0',
    ],
  ])('refuses %s, naming the field', (_what, query, variables, field) => {
    expect(problems(query, variables).map((p) => p.field)).toEqual([field]);
  });

  it('accepts the words a field documents, only there', () => {
    expect(problems('{ chain(chainId: "network") }')).toEqual([]);
    expect(problems('{ items(filter: { chain: "network" }) { id } }')).toEqual([]);
    expect(problems('{ item(id: "network") { id } }').map((p) => p.field)).toEqual(['id']);
  });

  it('names variables that do not fit their types by path, never quoting the value', () => {
    const found = problems('query ($f: Filter, $n: Int) { items(filter: $f, first: $n) { id } }', {
      f: { unknown: 'Amina', text: 5 },
      n: 'Amina',
    });
    expect(found.map((p) => p.field).sort()).toEqual(['$f.text', '$f.unknown', '$n']);
    expect(JSON.stringify(found)).not.toContain('Amina');
  });
});
