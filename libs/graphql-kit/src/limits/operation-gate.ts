import {
  type DocumentNode,
  getOperationAST,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type OperationTypeNode,
  parse,
  type ParseOptions,
  type GraphQLSchema,
  specifiedRules,
  validate,
  type ValidationRule,
} from 'graphql';
import { createHash } from 'node:crypto';
import { type InputSafetyOptions, operationInputProblems } from '../validation/input-safety';
import { costRefusal } from './abuse-limits';
import type { TrustedDocuments } from './trusted-documents';

/** What a transport without Apollo's request pipeline (graphql-ws) needs to hold its operations to the same rules. */
export interface OperationGateOptions {
  readonly parseOptions: ParseOptions;
  readonly validationRules: readonly ValidationRule[];
  readonly inputSafety: InputSafetyOptions;
  readonly maxCost: number;
  readonly trusted?: TrustedDocuments;
  /** The kinds of operation this transport serves; the others are refused (BAD_REQUEST). */
  readonly allowed: readonly OperationTypeNode[];
}

/** An operation as a client sends it over a transport: the graphql-ws `subscribe` payload. */
export interface OperationRequest {
  readonly query: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
}

export type GatedOperation =
  | {
      readonly ok: true;
      readonly document: DocumentNode;
      readonly operation: OperationDefinitionNode;
      readonly operationName: string | undefined;
      readonly variables: Record<string, unknown>;
    }
  | { readonly ok: false; readonly errors: readonly GraphQLError[] };

const badRequest = (message: string): GatedOperation => ({
  ok: false,
  errors: [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } })],
});

/**
 * Every rule Apollo applies to an HTTP request before execution, for an operation that arrives by
 * another transport: the trusted-documents list, the parser's token limit, graphql-js's validation
 * with the abuse limits (length, depth, aliases, directives, introspection bounds), the kinds of
 * operation the transport serves, the input rule on every argument and variable, and the cost
 * budget. Errors carry the same codes as over HTTP; none repeats a value the caller sent.
 */
export function gateOperation(
  schema: GraphQLSchema,
  request: OperationRequest,
  options: OperationGateOptions,
): GatedOperation {
  if (typeof request.query !== 'string') return badRequest('The operation needs a `query` string.');
  if (
    request.operationName !== undefined &&
    request.operationName !== null &&
    typeof request.operationName !== 'string'
  )
    return badRequest('`operationName` must be a string.');
  const variables = request.variables ?? {};
  if (typeof variables !== 'object' || Array.isArray(variables)) return badRequest('`variables` must be an object.');
  if (options.trusted && !options.trusted.has(createHash('sha256').update(request.query, 'utf8').digest('hex')))
    return badRequest('This server runs only its trusted documents, and this document is not one of them.');

  let document: DocumentNode;
  try {
    document = parse(request.query, options.parseOptions);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return {
      ok: false,
      errors: [
        new GraphQLError(error.message, {
          source: error.source,
          positions: error.positions,
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        }),
      ],
    };
  }
  const validationErrors = validate(schema, document, [...specifiedRules, ...options.validationRules]);
  if (validationErrors.length > 0)
    return {
      ok: false,
      errors: validationErrors.map(
        (error) =>
          new GraphQLError(error.message, {
            nodes: error.nodes,
            extensions: { ...error.extensions, code: error.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED' },
          }),
      ),
    };
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) return badRequest('The document holds no operation of that name, or several without a name.');
  if (!options.allowed.includes(operation.operation))
    return badRequest(
      `This transport serves ${options.allowed.join(' and ')} operations only; send ${operation.operation} operations over HTTP.`,
    );

  const fragments = Object.fromEntries(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [],
    ),
  );
  const inputs = variables as Record<string, unknown>;
  const problems = operationInputProblems(schema, operation, fragments, inputs, options.inputSafety);
  if (problems.length > 0)
    return {
      ok: false,
      errors: [
        new GraphQLError(`Invalid input. ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
          extensions: { code: 'BAD_USER_INPUT', fields: problems },
        }),
      ],
    };
  const tooCostly = costRefusal(schema, document, operation, inputs, options.maxCost);
  if (tooCostly) return { ok: false, errors: [tooCostly] };
  return { ok: true, document, operation, operationName, variables: inputs };
}
