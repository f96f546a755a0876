import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, type SelectionSetNode } from 'graphql';

/** Whether a selection asks for the schema (`__schema` or `__type`), anywhere, through fragments too. */
export function selectsIntrospection(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, SelectionSetNode>,
  seen: ReadonlySet<string> = new Set(),
): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === '__schema' || selection.name.value === '__type') return true;
      return selection.selectionSet ? selectsIntrospection(selection.selectionSet, fragments, seen) : false;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsIntrospection(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    return (
      fragment !== undefined && !seen.has(name) && selectsIntrospection(fragment, fragments, new Set([...seen, name]))
    );
  });
}

/**
 * Introspection only for callers the server knows (`allowed`, decided per request): in production
 * an anonymous prober gets no map of the API, while signed-in staff and partner systems keep it
 * for Apollo Sandbox and code generators.
 */
export function introspectionGatePlugin<TContext extends BaseContext>(
  allowed: (context: TContext) => Promise<boolean>,
): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async didResolveOperation({ document, operation, contextValue }) {
          if (!operation) return;
          const fragments = new Map(
            document.definitions.flatMap((d) =>
              d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [],
            ),
          );
          if (selectsIntrospection(operation.selectionSet, fragments) && !(await allowed(contextValue))) {
            // Thrown from a plugin hook, an error needs its own status: Apollo answers 500 otherwise.
            throw new GraphQLError(
              'Introspection needs a credential on this server: send "Authorization: Bearer <access token or API key>".',
              {
                extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
              },
            );
          }
        },
      });
    },
  };
}
