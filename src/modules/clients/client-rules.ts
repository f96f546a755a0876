import { StateConflictError, type FieldProblem } from '@harbour/graphql-kit';
import { ContactPreference } from './client.enums';

/**
 * Rules that span several input fields or depend on the clock, checked on the record as it will be
 * stored (after an update is applied), so that registration and update agree.
 */

export function contactProblems(contact: {
  phone: string | null;
  email: string | null;
  preference: ContactPreference;
}): FieldProblem[] {
  if (contact.preference === ContactPreference.PHONE_ONLY && contact.phone === null) {
    return [{ field: 'input.contact.phone', message: 'a phone number is required with contact preference PHONE_ONLY' }];
  }
  if (contact.preference === ContactPreference.EMAIL_ONLY && contact.email === null) {
    return [
      { field: 'input.contact.email', message: 'an email address is required with contact preference EMAIL_ONLY' },
    ];
  }
  return [];
}

export function birthYearProblems(birthYear: number | null, now: Date): FieldProblem[] {
  const thisYear = now.getUTCFullYear();
  if (birthYear === null || birthYear <= thisYear) return [];
  return [{ field: 'input.birthYear', message: `birthYear must not be after the current year (${thisYear})` }];
}

/**
 * An erased client's record is final (the database refuses any change to it too): nothing new is
 * written about them — no update, consent or referral. `field` names the input that named the client.
 */
export function requireNotErased(client: { erasedAt: Date | null }, field: string): void {
  if (client.erasedAt === null) return;
  throw new StateConflictError(
    `This client's personal data was erased (${client.erasedAt.toISOString()}): the record can no longer change. Register the person again if they return.`,
    [{ field, message: 'client is erased' }],
  );
}
