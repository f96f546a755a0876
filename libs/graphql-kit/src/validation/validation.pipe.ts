import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { BadUserInputError, FieldProblem } from '../errors/domain-error';

function flatten(errors: ValidationError[], parent: string | undefined): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator on every argument class, reporting BAD_USER_INPUT with each offending field
 * named by its path from the argument (`input.email`). Unknown properties are refused, and values
 * are transformed into the argument classes so defaults apply.
 */
@Injectable()
export class InputValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationFailed(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const fields = flatten(error.errors, metadata.data || undefined);
      const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
      throw new BadUserInputError(`Invalid input. ${summary}`, fields);
    }
  }
}

class ValidationFailed extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('validation failed');
  }
}
