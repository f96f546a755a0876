import type { FieldProblem } from '@harbour/graphql-kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { Consent } from './consent.entity';
import { type ConsentDataCategory, ConsentRevocationReason, ConsentStatus, isConsentActive } from './consent.enums';

/**
 * The consent module's rules, pure: whom a consent covers against a given instant, and what terms
 * may be recorded. Whether a consent is active is `consentStatus` (consent.enums.ts), which the
 * referrals ask too.
 */

const DAY_MS = 86_400_000;
/** How far ahead of Harbour's clock a `givenAt` may be: the recording device's clock may run a little fast. */
export const GIVEN_AT_TOLERANCE_MS = 5 * 60_000;

type Lifetime = Pick<Consent, 'revokedAt' | 'expiresAt'>;

/** Whether data may go to this organization under the consent now: active, and naming it (a refusal names nobody). */
export function consentCovers(
  consent: Lifetime & Pick<Consent, 'recipientOrganizationIds'>,
  organizationId: string,
  now: Date,
): boolean {
  return isConsentActive(consent, now) && consent.recipientOrganizationIds.includes(organizationId);
}

/** The same rule as `consentStatus`, as a query filter, for lists. */
export function consentStatusFilter(status: ConsentStatus, now: Date): FilterQuery<Consent> {
  switch (status) {
    case ConsentStatus.ACTIVE:
      return { revokedAt: null, expiresAt: { $gt: now } };
    case ConsentStatus.EXPIRED:
      return { revokedAt: null, expiresAt: { $lte: now } };
    case ConsentStatus.REVOKED:
      return { revokedAt: { $ne: null } };
  }
}

export interface ConsentTerms {
  givenAt: Date;
  expiresAt: Date;
  recipientCount: number;
  dataCategories: readonly ConsentDataCategory[];
}

/**
 * What is wrong with the terms of a consent about to be recorded: it was given by now, expires
 * after it was given and after now, lasts at most the network's maximum, and a refusal (no
 * recipients) shares no category.
 */
export function consentTermsProblems(terms: ConsentTerms, now: Date, maxDays: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (terms.givenAt.getTime() > now.getTime() + GIVEN_AT_TOLERANCE_MS) {
    problems.push({ field: 'input.givenAt', message: 'givenAt must not be in the future' });
  }
  if (terms.expiresAt.getTime() <= terms.givenAt.getTime()) {
    problems.push({ field: 'input.expiresAt', message: 'expiresAt must be after givenAt' });
  } else if (terms.expiresAt.getTime() - terms.givenAt.getTime() > maxDays * DAY_MS) {
    problems.push({
      field: 'input.expiresAt',
      message: `expiresAt must be at most ${maxDays} days after givenAt (the network's maximum)`,
    });
  }
  if (terms.expiresAt.getTime() <= now.getTime()) {
    problems.push({
      field: 'input.expiresAt',
      message: 'expiresAt must be in the future: an expired consent allows nothing',
    });
  }
  if (terms.recipientCount === 0 && terms.dataCategories.length > 0) {
    problems.push({
      field: 'input.dataCategories',
      message: 'a refusal (no recipient organizations) shares nothing: leave dataCategories empty',
    });
  }
  return problems;
}

export function revocationProblems(reason: { code: ConsentRevocationReason; note?: string | null }): FieldProblem[] {
  if (reason.code === ConsentRevocationReason.OTHER && !reason.note?.trim()) {
    return [{ field: 'reason.note', message: 'a note is required with reason OTHER' }];
  }
  return [];
}
