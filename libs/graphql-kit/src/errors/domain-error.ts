/**
 * Domain exceptions carry a code from this closed set; `toGraphQLError` maps them to Apollo's
 * `extensions.code` in one place. Services throw these and nothing else on purpose.
 */
export enum DomainErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  BadUserInput = 'BAD_USER_INPUT',
  Conflict = 'CONFLICT',
}

export interface FieldProblem {
  /** Dotted path of the offending input field, e.g. `input.email`. */
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { readonly fields?: readonly FieldProblem[]; readonly [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(
    message = 'Authentication is required: send a valid access token or API key as "Authorization: Bearer …".',
  ) {
    super(DomainErrorCode.Unauthenticated, message);
  }
}

export class ForbiddenError extends DomainError {
  /** `details.reason` tells refusals apart when the caller can act on the difference (`TRAINING_REQUIRED`). */
  constructor(
    message = 'You do not have permission to perform this operation.',
    details: { readonly reason: string; readonly [key: string]: unknown } | Record<string, never> = {},
  ) {
    super(DomainErrorCode.Forbidden, message, details);
  }
}

/**
 * Used for objects that do not exist *and* for objects of another organization: one answer, no
 * oracle. The message names the kind of object, never the id the caller sent (the audit trail
 * keeps that).
 */
export class NotFoundError extends DomainError {
  constructor(
    readonly entity: string,
    readonly id?: string,
  ) {
    super(DomainErrorCode.NotFound, `${entity} not found.`);
  }
}

export class BadUserInputError extends DomainError {
  constructor(message: string, fields: readonly FieldProblem[] = []) {
    super(DomainErrorCode.BadUserInput, message, fields.length > 0 ? { fields } : {});
  }
}

/**
 * BAD_USER_INPUT for an action the object's lifecycle state does not allow (a referral already
 * terminal, a consent already revoked): the last of the checks, after the caller's permission and
 * the object's visibility, and a refused attempt like the others — it is audited as DENIED.
 */
export class StateRefusedError extends BadUserInputError {}

export class ConflictError extends DomainError {
  /** `fields` name the input that meets the conflicting state, when one does. */
  constructor(message: string, fields: readonly FieldProblem[] = []) {
    super(DomainErrorCode.Conflict, message, fields.length > 0 ? { fields } : {});
  }
}

/**
 * CONFLICT for an action the object's state rules out for good, not a slip of the caller's input (a
 * client whose personal data was erased, a referral still open): refused and audited as DENIED like a
 * state refusal.
 */
export class StateConflictError extends ConflictError {}
/** The HTTP status of a domain error answered outside GraphQL (the CSV downloads). */
export function httpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.Unauthenticated:
      return 401;
    case DomainErrorCode.Forbidden:
      return 403;
    case DomainErrorCode.NotFound:
      return 404;
    case DomainErrorCode.BadUserInput:
      return 400;
    case DomainErrorCode.Conflict:
      return 409;
    default:
      return assertUnreachable(code);
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}
