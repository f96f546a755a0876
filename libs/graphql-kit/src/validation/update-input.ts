import { applyDecorators } from '@nestjs/common';
import { IsDefined, ValidateIf } from 'class-validator';

/**
 * Update inputs follow one convention: an omitted field keeps its value and `null` clears a
 * nullable one. For a field that cannot be cleared this refuses `null` (BAD_USER_INPUT naming the
 * field) and skips the field's other validators when it is omitted.
 */
export const NotNullWhenPresent = () =>
  applyDecorators(
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    IsDefined({ message: '$property cannot be null: omit it to keep the current value' }),
  );

/** Copies onto `target` the fields of `patch` that the caller sent, i.e. that are not undefined. */
export function applyPresent<T extends object>(target: T, patch: { [K in keyof T]?: T[K] }): void {
  for (const key of Object.keys(patch) as (keyof T)[]) {
    const value = patch[key];
    if (value !== undefined) target[key] = value;
  }
}
