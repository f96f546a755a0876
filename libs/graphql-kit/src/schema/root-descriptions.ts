import type { GraphQLSchema } from 'graphql';

/**
 * Code-first NestJS gives the root operation types no description; partner developers read the
 * SDL, so we give them one (through Apollo's `transformSchema`).
 */
export function describeRootTypes(descriptions: { query: string; mutation: string; subscription?: string }) {
  return (schema: GraphQLSchema): GraphQLSchema => {
    const query = schema.getQueryType();
    const mutation = schema.getMutationType();
    const subscription = schema.getSubscriptionType();
    if (query) query.description = descriptions.query;
    if (mutation) mutation.description = descriptions.mutation;
    if (subscription && descriptions.subscription) subscription.description = descriptions.subscription;
    return schema;
  };
}
