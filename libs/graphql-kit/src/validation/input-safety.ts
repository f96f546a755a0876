import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  coerceInputValue,
  getNamedType,
  getNullableType,
  GraphQLError,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  typeFromAST,
  valueFromAST,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { FieldProblem } from '../errors/domain-error';

/**
 * One rule for every value a caller sends, checked against the schema's types before any resolver
 * (and so before any SQL) runs. Refusals are BAD_USER_INPUT naming the field by its path from the
 * argument (`input.locationIds.0`, or `$input.name` for a variable that does not fit its type);
 * they never repeat the value, which may be a person's data.
 *
 * - an `ID` is a UUID (or one of the few words a field documents, such as an audit chain's name);
 * - text holds no control characters but tab, line feed and carriage return, and is well-formed
 *   Unicode (no lone surrogates);
 * - a `DateTime` lies within the years the database and people can mean;
 * - an `Int64` is a string of decimal digits within the 64-bit range, which its scalar
 *   (`scalars/int64.ts`) checks as it parses, so a bad one is refused here with the variables;
 * - variables that do not coerce to their types are refused here too, with messages that name
 *   the field instead of quoting the value as graphql-js does.
 */
export interface InputSafetyOptions {
  /** Words an `ID` argument or input field accepts besides a UUID, by schema coordinate (`Query.verifyAuditLog.chainId`, `AuditEventsFilterInput.organizationId`). */
  readonly idWords?: Readonly<Record<string, readonly string[]>>;
  readonly minYear: number;
  readonly maxYear: number;
}

export const INPUT_LIMITS = { minYear: 1900, maxYear: 9999 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// C0 and C1 controls and DEL, except tab, line feed and carriage return (finding them is the point).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a text by the rule above, if anything. */
export function textProblem(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode text';
  return CONTROL.test(value) ? 'must not contain control characters (only tab and line breaks are allowed)' : undefined;
}

export function inputProblem(
  value: unknown,
  typeName: string,
  coordinate: string,
  options: InputSafetyOptions,
): string | undefined {
  switch (typeName) {
    case 'ID':
      if (typeof value !== 'string') return undefined;
      return UUID.test(value) || options.idWords?.[coordinate]?.includes(value)
        ? undefined
        : describeIdRule(options.idWords?.[coordinate]);
    case 'String':
      return typeof value === 'string' ? textProblem(value) : undefined;
    case 'DateTime': {
      if (!(value instanceof Date)) return undefined;
      const year = value.getUTCFullYear();
      return Number.isNaN(year) || year < options.minYear || year > options.maxYear
        ? `must be a date between the years ${options.minYear} and ${options.maxYear}`
        : undefined;
    }
    default:
      return undefined;
  }
}

function describeIdRule(words: readonly string[] | undefined): string {
  return words?.length ? `must be an id (a UUID) or one of: ${words.join(', ')}` : 'must be an id (a UUID)';
}

/** Problems of a coerced value of `type`, each with its path from the argument (`input.clientId`). */
function valueProblems(
  value: unknown,
  type: GraphQLInputType,
  path: string,
  coordinate: string,
  options: InputSafetyOptions,
  out: FieldProblem[],
): void {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (Array.isArray(value))
      value.forEach((item, i) => valueProblems(item, nullable.ofType, `${path}.${i}`, coordinate, options, out));
    return;
  }
  if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    for (const [name, field] of Object.entries(fields)) {
      const fieldValue = (value as Record<string, unknown>)[name];
      valueProblems(fieldValue, field.type, `${path}.${name}`, `${nullable.name}.${name}`, options, out);
    }
    return;
  }
  if (isScalarType(nullable) || isEnumType(nullable)) {
    const message = inputProblem(value, nullable.name, coordinate, options);
    if (message) out.push({ field: path, message });
  }
}

/** Variables coerced to their declared types; problems name the variable's path, never its value. */
function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
  out: FieldProblem[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue; // refused by validation already
    if (!(name in inputs)) {
      if (definition.defaultValue) values[name] = valueFromAST(definition.defaultValue, type);
      else if (isNonNullType(type)) out.push({ field: `$${name}`, message: 'is required' });
      continue;
    }
    values[name] = coerceInputValue(inputs[name], type, (path, _invalid, error) => {
      const at = [name, ...path].join('.');
      const { field, message } = coercionProblem(error.message);
      out.push({ field: `$${at}${field ? `.${field}` : ''}`, message });
    });
  }
  return values;
}

/**
 * What graphql-js says about a value, without the value: which kind of value was expected. A
 * missing or unknown input field is named (a schema name, or a caller's key that is a valid GraphQL
 * name — anything else could be data and is not repeated).
 */
function coercionProblem(message: string): { field?: string; message: string } {
  const named = /^Field "([_A-Za-z][_0-9A-Za-z]{0,63})" /.exec(message)?.[1];
  if (/was not provided|of required type|of non-null type/.test(message))
    return { field: named, message: 'is required' };
  const unknownIn = /is not defined by type "(\w+)"/.exec(message)?.[1];
  if (unknownIn)
    return named
      ? { field: named, message: `is not a field of ${unknownIn}` }
      : { message: `has a field that ${unknownIn} does not define` };
  const enumName = /does not exist in "(\w+)" enum/.exec(message)?.[1];
  if (enumName) return { message: `must be one of the values of ${enumName}` };
  const expected = /Expected type "(\w+)/.exec(message)?.[1] ?? /^(\w+) cannot represent/.exec(message)?.[1];
  return { message: expected ? `must be a valid ${expected}` : 'is not a valid value' };
}

/**
 * The problems of an operation's arguments: every field of the selection (root and nested, through
 * fragments), every argument, every input field at any depth.
 */
export function operationInputProblems(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, { selectionSet: SelectionSetNode; typeCondition: { name: { value: string } } }>,
  variableInputs: Record<string, unknown>,
  options: InputSafetyOptions,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const variables = coerceVariables(schema, operation, variableInputs, problems);
  if (problems.length > 0) return problems;
  const root = schema.getRootType(operation.operation);
  const visit = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | null | undefined,
    seen: ReadonlySet<string>,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (fragment && !seen.has(name))
          visit(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), new Set([...seen, name]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(
          selection.selectionSet,
          selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent,
          seen,
        );
        continue;
      }
      if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[selection.name.value] as GraphQLField<unknown, unknown> | undefined;
      if (!field) continue; // introspection fields, or refused by validation already
      if (field.args.length > 0) {
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(field, selection, variables);
        } catch {
          continue; // execution reports it, with graphql-js's own error
        }
        for (const arg of field.args) {
          valueProblems(
            args[arg.name],
            arg.type,
            arg.name,
            `${parent.name}.${field.name}.${arg.name}`,
            options,
            problems,
          );
        }
      }
      if (selection.selectionSet) visit(selection.selectionSet, getNamedType(field.type), seen);
    }
  };
  visit(operation.selectionSet, root, new Set());
  return problems;
}

/** Refuses, before execution, operations whose inputs break the rule above. */
export function inputSafetyPlugin<TContext extends BaseContext>(
  options: InputSafetyOptions,
): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ request, document, schema, operation }) {
          if (!operation) return Promise.resolve();
          const fragments = Object.fromEntries(
            document.definitions.flatMap((definition) =>
              definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [],
            ),
          );
          const problems = operationInputProblems(schema, operation, fragments, request.variables ?? {}, options);
          if (problems.length === 0) return Promise.resolve();
          // Thrown from a plugin hook, an error needs its own status: Apollo answers 500 otherwise.
          throw new GraphQLError(`Invalid input. ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
            extensions: { code: 'BAD_USER_INPUT', fields: problems, http: { status: 400 } },
          });
        },
      });
    },
  };
}
