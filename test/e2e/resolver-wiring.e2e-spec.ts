/**
 * How Nest wires the field resolvers into the schema. A field resolver that takes parameter
 * decorators (`@Parent()`, `@CurrentActor()`, `@Context()`…) is wrapped by Nest, which resolves and
 * pipes each parameter at every call; one that takes GraphQL's own arguments `(parent, args,
 * context)` is called by graphql-js directly. On a page of 20 referrals the wrapping of the `client`
 * field alone cost about a sixth of the request's CPU (measured with `npm run bench`), so a field
 * without arguments takes GraphQL's arguments (`currentActorOf` gives the caller). Fields with
 * arguments keep their decorators: their arguments must pass the validation pipe.
 */
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isObjectType, type GraphQLField } from 'graphql';
import { startTestApp, type TestApp } from '../support/test-app';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

interface ResolvedField {
  name: string;
  field: GraphQLField<unknown, unknown>;
}

describe('field resolvers', () => {
  let t: TestApp;
  let resolved: ResolvedField[];

  beforeAll(async () => {
    t = await startTestApp();
    const schema = t.app.get(GraphQLSchemaHost).schema;
    resolved = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !ROOT_TYPES.has(type.name) && !type.name.startsWith('__'))
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => field.resolve?.name.startsWith('bound '))
          .map((field) => ({ name: `${type.name}.${field.name}`, field })),
      );
  });

  afterAll(() => t.close());

  /*
   * Nest hands graphql-js a resolver class's method bound to its instance ("bound bound client"), or
   * its wrapper of that method, itself bound ("bound target"); a plain property of the returned
   * object gets Nest's default resolver instead, which is not bound. Should Nest name these
   * otherwise one day, the first test fails on its list of expected fields and this is the place to
   * look.
   */
  const isWrapped = ({ field }: ResolvedField) => field.resolve!.name === 'bound target';

  it('are called by graphql-js directly when their field takes no arguments', () => {
    const withoutArguments = resolved.filter(({ field }) => field.args.length === 0);
    expect(withoutArguments.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['Referral.client', 'Referral.reason', 'Referral.history', 'Referral.noteCount']),
    );
    expect(withoutArguments.filter(isWrapped).map(({ name }) => name)).toEqual([]);
  });

  it('are wrapped by Nest when their field takes arguments (the check tells the two apart)', () => {
    const withArguments = resolved.filter(({ field }) => field.args.length > 0);
    expect(withArguments.map(({ name }) => name).sort()).toEqual([
      'Client.consents',
      'Organization.locations',
      'Organization.services',
    ]);
    expect(withArguments.every(isWrapped)).toBe(true);
  });
});
