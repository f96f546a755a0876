import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  ASTVisitor,
  type DocumentNode,
  FieldNode,
  getVariableValues,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/**
 * Limits that refuse abusive documents before any resolver (and so any SQL) runs. The numbers are
 * part of the public contract and documented in the schema README; change them deliberately.
 */
export const ABUSE_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 3000,
  maxDocumentLength: 15_000,
  maxCost: 5000,
  /** Within `__schema`/`__type`: how deep a selection may go, and how often `ofType` may repeat. */
  maxIntrospectionDepth: 16,
  maxOfTypeRepeats: 9,
} as const;

const refused = (message: string) => new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

/** Refuses documents longer than the limit (tokens are bounded earlier, by the parser: see parseOptions). */
export function documentLengthRule(maxLength: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const length = context.getDocument().loc?.source.body.length ?? 0;
    if (length > maxLength) {
      context.reportError(refused(`Document too long: ${length} characters, the limit is ${maxLength}.`));
    }
    return {};
  };
}

/**
 * Bounds introspection, which armor's depth limit deliberately skips so that the standard
 * introspection query (used by Apollo Sandbox and code generators) keeps working: within an
 * introspection selection each field may appear at most once on a path — the standard query never
 * repeats `fields`, `types`, `interfaces`… — except `ofType`, which unwraps type modifiers.
 */
export function introspectionBoundRule(maxDepth: number, maxOfType: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const walk = (selectionSet: SelectionSetNode, path: string[], fragments: Set<string>): string | undefined => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const name = selection.name.value;
          const fragment = context.getFragment(name);
          // Cycles are refused by graphql-js's NoFragmentCycles rule; here we only avoid looping.
          if (!fragment || fragments.has(name)) continue;
          const problem = walk(fragment.selectionSet, path, new Set([...fragments, name]));
          if (problem) return problem;
          continue;
        }
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const problem = walk(selection.selectionSet, path, fragments);
          if (problem) return problem;
          continue;
        }
        const problem = visitField(selection, path, fragments);
        if (problem) return problem;
      }
      return undefined;
    };
    const visitField = (field: FieldNode, path: string[], fragments: Set<string>): string | undefined => {
      if (!field.selectionSet) return undefined;
      const name = field.name.value;
      const next = [...path, name];
      if (next.length > maxDepth) return `Introspection depth limit of ${maxDepth} exceeded.`;
      const repeats = next.filter((n) => n === name).length;
      if (name === 'ofType' ? repeats > maxOfType : repeats > 1) {
        return `Introspection field "${name}" repeats within one selection path; circular introspection is refused.`;
      }
      return walk(field.selectionSet, next, fragments);
    };
    return {
      Field(node) {
        if (node.name.value !== '__schema' && node.name.value !== '__type') return false;
        if (node.selectionSet) {
          const problem = walk(node.selectionSet, [node.name.value], new Set());
          if (problem) context.reportError(refused(problem));
        }
        return false;
      },
    };
  };
}

/** Lists cost their page size (`first`, which defaults server-side) times the cost of one item. */
export const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first: unknown = args.first;
  return typeof first === 'number' && first > 0 ? 1 + childComplexity * first : undefined;
};

/**
 * The refusal of an operation over the cost budget, or undefined within it. Variables must already
 * coerce: Apollo refuses an unresolved operation and execution refuses variables that do not (both
 * BAD_USER_INPUT, before any resolver); getComplexity would throw them uncoded.
 */
export function costRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxCost: number,
): GraphQLError | undefined {
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return undefined;
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      operationName: operation.name?.value,
      variables,
      estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Its node limit: fragments spread over and over fan out exponentially.
    if (error instanceof GraphQLError) return refusedBeforeExecution(`Query too complex to estimate: ${error.message}`);
    throw error;
  }
  if (cost <= maxCost) return undefined;
  return refusedBeforeExecution(
    `Query cost ${cost} exceeds the limit of ${maxCost}. Ask for fewer items (\`first\`) or fewer fields.`,
    { cost, maxCost },
  );
}

// Thrown from a plugin hook, an error needs its own status: Apollo answers 500 otherwise.
function refusedBeforeExecution(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 }, ...extensions },
  });
}

/** Rejects operations over the cost budget after validation, before execution. */
export function costLimitPlugin<TContext extends BaseContext>(maxCost: number): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ request, document, schema, operation }) {
          if (!operation) return Promise.resolve();
          const refusal = costRefusal(schema, document, operation, request.variables ?? {}, maxCost);
          if (refusal) throw refusal;
          return Promise.resolve();
        },
      });
    },
  };
}

/** Everything Apollo needs for the limits: validation rules, plugins and the server options. */
export function abuseLimits<TContext extends BaseContext>() {
  const armor = new ApolloArmor({
    maxDepth: { n: ABUSE_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true },
    // Every alias counts, `__typename`'s included (armor lets those through by default).
    maxAliases: { n: ABUSE_LIMITS.maxAliases, allowList: [] },
    maxDirectives: { n: ABUSE_LIMITS.maxDirectives },
    // Tokens are bounded by graphql-js's parser (parseOptions below): armor's plugin throws from a
    // hook, which Apollo turns into a 500 without the request id.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    // formatGraphQLError drops every "Did you mean …?"; armor's pattern misses enum values.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    validationRules: [
      documentLengthRule(ABUSE_LIMITS.maxDocumentLength),
      introspectionBoundRule(ABUSE_LIMITS.maxIntrospectionDepth, ABUSE_LIMITS.maxOfTypeRepeats),
      ...armor.validationRules,
    ],
    plugins: [...(armor.plugins as ApolloServerPlugin<TContext>[]), costLimitPlugin<TContext>(ABUSE_LIMITS.maxCost)],
    parseOptions: { maxLexicalTokens: ABUSE_LIMITS.maxTokens },
    allowBatchedHttpRequests: false as const,
    includeStacktraceInErrorResponses: false as const,
  };
}
