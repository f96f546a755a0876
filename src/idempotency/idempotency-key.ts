import { applyDecorators } from '@nestjs/common';
import { Field } from '@nestjs/graphql';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { FORGET_KEYS_AFTER_HOURS, KEYS_KEPT_HOURS } from './idempotency.service';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

/**
 * The rule of every `idempotencyKey`, described once: `object` names what the mutation answers with
 * ("the referral"), `meanwhile` an example of a change a replay shows.
 */
export function idempotencyKeyDescription(object: string, meanwhile: string): string {
  return (
    `Makes retries safe: 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters (letters, digits, \`.\`, \`_\`, \`:\`, \`-\`; a UUID will do). ` +
    `Repeating this mutation with the same key and the same input does nothing more and gives the first answer again, as the object is now: ${object} as it stands when the retry arrives (${meanwhile}). ` +
    'The same input means the same arguments; the order of fields, and null against omitted, do not matter. ' +
    'The same key with other input gives CONFLICT: use a new key for a new request. ' +
    "Keys are the caller's own — your staff account acting for your organization, or your API client — and this mutation's: another caller, or another mutation, may use the same key for something else. " +
    `A key is remembered for at least ${KEYS_KEPT_HOURS} hours after its first use; Harbour forgets it after ${FORGET_KEYS_AFTER_HOURS} hours, and it may then be used again. ` +
    'A request that failed leaves its key unused. Omitted: every call is a new request.'
  );
}

/** An optional `idempotencyKey`, with its format checked (BAD_USER_INPUT naming the field). */
export function IdempotencyKeyField(object: string, meanwhile: string): PropertyDecorator {
  return applyDecorators(
    Field(() => String, { nullable: true, description: idempotencyKeyDescription(object, meanwhile) }),
    IsOptional(),
    IsString(),
    Matches(/^[A-Za-z0-9._:-]+$/, { message: '$property may hold letters, digits, ".", "_", ":" and "-" only' }),
    MaxLength(IDEMPOTENCY_KEY_MAX_LENGTH),
  );
}
