import { Role } from '@harbour/authz';
import { getIntrospectionQuery, Lexer, Source, TokenKind } from 'graphql';
import { Client } from 'pg';
import { Fixtures } from '../support/fixtures';
import { PgListener } from '../../src/database/notifications/pg-listener';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Abuse limits refuse a document before execution: no resolver, no guard and so no SQL. Every
 * request here carries a valid token because authentication itself runs SQL (in a guard, during
 * execution): a refused document must run none even so.
 */

interface RawResponse {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  headers: Record<string, string>;
  /** Statements the app sent to PostgreSQL while answering. */
  statements: number;
}

const REFUSAL_CODES = ['GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED'];

const times = (n: number, text: (i: number) => string) => Array.from({ length: n }, (_, i) => text(i)).join(' ');

/** 10 levels: organizations › edges › node › services › edges › node › organization › services › pageInfo › hasNextPage. */
const DEPTH_10 = `{ organizations(first: 1) { edges { node { services(first: 1) { edges { node {
  organization { services(first: 1) { pageInfo { hasNextPage } } } } } } } } } }`;
/** 11 levels: the last two replaced by edges › node › id. */
const DEPTH_11 = `{ organizations(first: 1) { edges { node { services(first: 1) { edges { node {
  organization { services(first: 1) { edges { node { id } } } } } } } } } } }`;

const COSTLY = (first: number) => `{ organizations(first: ${first}) { edges { node {
  services(first: ${first}) { edges { node { name locations { name } } } } } } } }`;

describe('GraphQL abuse limits', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    const f = new Fixtures(t);
    const org = await f.organization();
    await f.service(org);
    token = (await f.signedIn(org, [Role.CASEWORKER])).token;
    // The process's LISTEN connection opens after its first authenticated request, in the
    // background: opened now, its LISTEN statements cannot fall into a request being counted.
    await t.app.get(PgListener).listening();
  });
  afterAll(() => t.close());

  /** Posts a body as-is with the token, counting the statements of every PostgreSQL client (the app runs in this process). */
  async function send(body: unknown): Promise<RawResponse> {
    const query = jest.spyOn(Client.prototype, 'query');
    try {
      const response = await t
        .http()
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${token}`)
        .send(body as object);
      return {
        status: response.status,
        body: response.body,
        headers: response.headers,
        statements: query.mock.calls.length,
      };
    } finally {
      query.mockRestore();
    }
  }

  const gql = (query: string, variables: Record<string, unknown> = {}) => send({ query, variables });

  function expectRefused(response: RawResponse, message: RegExp): void {
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(message) })]),
    );
    for (const error of response.body.errors!) expect(REFUSAL_CODES).toContain(error.extensions?.code);
    expect(response.statements).toBe(0);
  }

  function expectAccepted(response: RawResponse): void {
    expect(response.body.errors).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.body.data).toBeTruthy();
  }

  it('sees the statements of an accepted request (so that zero means none ran)', async () => {
    const response = await gql('{ me { id } }');
    expectAccepted(response);
    expect(response.statements).toBeGreaterThan(0);
  });

  describe('query depth', () => {
    it('allows a depth of exactly 10', async () => {
      const response = await gql(DEPTH_10);
      expectAccepted(response);
      expect(response.statements).toBeGreaterThan(0);
    });

    it('refuses a depth over 10', async () => {
      expectRefused(await gql(DEPTH_11), /depth limit of 10 exceeded, found 11/);
    });

    it('counts the depth of named fragments where they are spread', async () => {
      const query = `{ organizations(first: 1) { edges { node { ...Deep } } } }
        fragment Deep on Organization { services(first: 1) { edges { node { ...Deeper } } } }
        fragment Deeper on Service { organization { services(first: 1) { edges { node { id } } } } }`;
      expectRefused(await gql(query), /depth limit of 10 exceeded, found 11/);
    });

    it('counts the depth of inline fragments', async () => {
      const query = `{ organizations(first: 1) { edges { node { ... on Organization { services(first: 1) { edges { node {
        ... on Service { organization { services(first: 1) { edges { node { id } } } } } } } } } } } } }`;
      expectRefused(await gql(query), /depth limit of 10 exceeded, found 11/);
    });
  });

  describe('introspection', () => {
    it.each([
      ['the standard introspection query', getIntrospectionQuery()],
      [
        'the fullest introspection query graphql-js builds',
        getIntrospectionQuery({
          descriptions: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
          schemaDescription: true,
          inputValueDeprecation: true,
          oneOf: true,
        }),
      ],
    ])('allows %s', async (_name, query) => {
      const response = await gql(query);
      expectAccepted(response);
      expect(response.body.data!.__schema).toMatchObject({ queryType: { name: 'Query' } });
    });

    it('refuses circular introspection through __schema', async () => {
      expectRefused(
        await gql('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }'),
        /introspection/i,
      );
    });

    it('refuses circular introspection through __type', async () => {
      expectRefused(
        await gql('{ __type(name: "Query") { fields { type { fields { type { fields { name } } } } } } }'),
        /introspection/i,
      );
    });

    it('refuses circular introspection hidden in a fragment', async () => {
      const query =
        '{ __schema { ...Types } } fragment Types on __Schema { types { fields { type { fields { type { name } } } } } }';
      expectRefused(await gql(query), /introspection/i);
    });
  });

  describe('query cost', () => {
    it('refuses a query over the budget, naming its cost and the limit', async () => {
      // organizations: 1 + 100 × (edges 1 + node 1 + services (1 + 100 × (edges 1 + node 1 + name 1 + locations 2))) = 50301
      expectRefused(await gql(COSTLY(100)), /Query cost 50301 exceeds the limit of 5000/);
    });

    it('weighs lists by `first`: the same query for 2 items passes', async () => {
      expectAccepted(await gql(COSTLY(2)));
    });

    it('weighs `first` given as a variable', async () => {
      const query = `query ($n: Int!) { organizations(first: $n) { edges { node {
        services(first: $n) { edges { node { name locations { name } } } } } } } }`;
      expectRefused(await gql(query, { n: 100 }), /Query cost 50301 exceeds the limit of 5000/);
    });

    it('refuses fragments that fan out exponentially instead of failing', async () => {
      const fragments = [
        'fragment F0 on Query { me { id } }',
        times(20, (i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`),
      ].join(' ');
      expectRefused(await gql(`{ ...F20 } ${fragments}`), /too complex/);
    });

    it('leaves variables that do not coerce to execution, which refuses them as BAD_USER_INPUT', async () => {
      const response = await gql('query ($n: Int!) { organizations(first: $n) { totalCount } }', { n: 'many' });
      expect(response.status).toBe(400);
      expect(response.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(response.statements).toBe(0);
    });
  });

  describe('aliases', () => {
    it('allows 15 aliases', async () => {
      const response = await gql(`{ ${times(15, (i) => `a${i}: me { id }`)} }`);
      expectAccepted(response);
      expect(Object.keys(response.body.data!)).toHaveLength(15);
    });

    it('refuses 16 aliases', async () => {
      expectRefused(await gql(`{ ${times(16, (i) => `a${i}: me { id }`)} }`), /Aliases limit of 15 exceeded, found 16/);
    });
  });

  describe('directives', () => {
    it('allows 50 directives', async () => {
      expectAccepted(await gql(`{ me { ${times(50, () => 'id @include(if: true)')} } }`));
    });

    it('refuses 51 directives', async () => {
      expectRefused(
        await gql(`{ me { ${times(51, () => 'id @include(if: true)')} } }`),
        /Directives limit of 50 exceeded, found 51/,
      );
    });
  });

  describe('HTTP batching', () => {
    it('refuses a JSON array of operations and executes none of them', async () => {
      const response = await send([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]);
      expectRefused(response, /batching disabled/i);
    });
  });

  describe('document size', () => {
    /** A valid document padded with a comment (comments are not tokens) to exactly `length` characters. */
    const padded = (length: number) => {
      const head = '{ me { id } } # ';
      return head + 'x'.repeat(length - head.length);
    };

    it('allows a document of exactly 15,000 characters', async () => {
      expectAccepted(await gql(padded(15_000)));
    });

    it('refuses a document over 15,000 characters, naming its length and the limit', async () => {
      expectRefused(await gql(padded(15_001)), /Document too long: 15001 characters, the limit is 15000/);
    });

    /** Tokens as graphql-js's parser counts them (comments excluded). */
    const tokenCount = (document: string) => {
      const lexer = new Lexer(new Source(document));
      let count = 0;
      while (lexer.advance().kind !== TokenKind.EOF) count++;
      return count;
    };
    /** Repeated spreads of one fragment: many tokens, little validation work (same fields compare once). */
    const spreads = (count: number, fields: string) =>
      `{ me { ${fields} } ${times(count, () => '...F')} } fragment F on Query { __typename }`;

    it('allows 3000 tokens', async () => {
      const document = spreads(1493, 'id email');
      expect(tokenCount(document)).toBe(3000);
      expectAccepted(await gql(document));
    });

    it('refuses more than 3000 tokens while parsing, with the request id', async () => {
      const document = spreads(1494, 'id');
      expect(tokenCount(document)).toBe(3001);
      const response = await gql(document);
      expectRefused(response, /more that 3000 tokens/);
      expect(response.body.errors![0].extensions!.requestId).toBe(response.headers['x-request-id']);
    });
  });

  describe('fragments', () => {
    it("refuses circular fragments with graphql-js's cycle error", async () => {
      const response = await gql('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
      expectRefused(response, /Cannot spread fragment "A" within itself via "B"/);
    });
  });

  describe('suggestions', () => {
    it('refuses a misspelled field without suggesting the right one', async () => {
      const response = await gql('{ mee { id } }');
      expectRefused(response, /Cannot query field "mee" on type "Query"/);
      expect(JSON.stringify(response.body)).not.toMatch(/did you mean|"me"/i);
    });

    it.each([
      ['an argument', '{ organizations(firts: 2) { totalCount } }', {}],
      ['a type', 'query ($f: OrganizationsFilterInpt) { organizations(filter: $f) { totalCount } }', {}],
      ['an enum value', '{ organizations(filter: { kind: CITY_DEPARTMEN }) { totalCount } }', {}],
      ['an input field', '{ organizations(filter: { knd: CITY_DEPARTMENT }) { totalCount } }', {}],
      [
        'an enum value in a variable',
        'query ($f: OrganizationsFilterInput) { organizations(filter: $f) { totalCount } }',
        { f: { kind: 'CITY_DEPARTMEN' } },
      ],
      [
        'an input field in a variable',
        'query ($f: OrganizationsFilterInput) { organizations(filter: $f) { totalCount } }',
        { f: { knd: 'CITY_DEPARTMENT' } },
      ],
    ])('suggests nothing for a misspelled name of %s', async (_what, query, variables) => {
      const response = await gql(query, variables);
      expect(response.status).toBe(400);
      expect(response.body.errors).toBeDefined();
      expect(JSON.stringify(response.body)).not.toMatch(/did you mean/i);
      expect(response.statements).toBe(0);
    });
  });
});
