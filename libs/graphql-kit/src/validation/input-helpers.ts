import { BadUserInputError, type FieldProblem } from '../errors/domain-error';

/** A class-transformer `@Transform` that trims strings and leaves every other value as it is. */
export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Refuses input with problems found by a rule that spans several fields: BAD_USER_INPUT naming each field. */
export function requireNoProblems(problems: readonly FieldProblem[]): void {
  if (problems.length === 0) return;
  throw new BadUserInputError(`Invalid input. ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
}
