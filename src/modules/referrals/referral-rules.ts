import { hasPermission, type Actor } from '@harbour/authz';
import { BadUserInputError, ConflictError, ForbiddenError, StateRefusedError } from '@harbour/graphql-kit';
import { ConsentStatus, consentStatus, type ConsentLifetime } from '../consent';
import { ServiceStatus, type ServiceSource } from '../directory';
import type { OrganizationSource } from '../organizations';
import type { ReferralReasonInput } from './dto/referral-reason.input';
import type { SendReferralInput } from './dto/send-referral.input';
import { REASON_CODES, SIDE_PERMISSIONS } from './referral-lifecycle';
import type { Referral } from './referral.entity';
import { ReferralAction, ReferralReasonCode, ReferralSide } from './referral.enums';

/** The business rules of sending and working referrals, each a pure check that throws the error the caller sees. */

/** The caller's organization is a party, but the caller's role may not work this side (a shelter's INTAKE and its outbox). */
export function requireSidePermission(
  actor: Actor,
  side: ReferralSide.SENDER | ReferralSide.RECEIVER,
  need: 'read' | 'act',
): void {
  if (!hasPermission(actor, SIDE_PERMISSIONS[side][need])) {
    const box = side === ReferralSide.SENDER ? 'sent (outbox)' : 'received (inbox)';
    throw new ForbiddenError(
      `Your role may not ${need === 'read' ? 'read' : 'work'} the referrals your organization ${box}.`,
    );
  }
}

export function requireReferrable(actor: Actor, service: ServiceSource): void {
  if (service.organization.id === actor.organizationId) {
    throw new BadUserInputError("This is your own organization's service: referrals go to other organizations.", [
      { field: 'input.serviceId', message: 'is your own service' },
    ]);
  }
  if (service.status !== ServiceStatus.ACTIVE || !service.acceptsReferrals || !service.organization.active) {
    const why = service.status !== ServiceStatus.ACTIVE ? `is ${service.status}` : 'does not accept referrals';
    throw new BadUserInputError(`The service ${why}: choose an ACTIVE service that accepts referrals.`, [
      { field: 'input.serviceId', message: why },
    ]);
  }
}

/** What sending reads of the consent it is sent under. */
export interface ConsentTermsSource extends ConsentLifetime {
  readonly clientId: string;
  readonly recipientOrganizationIds: readonly string[];
}

export function requireConsentCovers(
  consent: ConsentTermsSource,
  clientId: string,
  recipient: Pick<OrganizationSource, 'id' | 'name'>,
  now: Date,
): void {
  const problem = (message: string) => new BadUserInputError(message, [{ field: 'input.consentId', message }]);
  if (consent.clientId !== clientId) throw problem("the consent is another client's");
  const status = consentStatus(consent, now);
  if (status !== ConsentStatus.ACTIVE)
    throw problem(`the consent is ${status}: record a new consent with the client first`);
  if (consent.recipientOrganizationIds.length === 0)
    throw problem('the client refused consent: no referral can be sent under a refusal');
  if (!consent.recipientOrganizationIds.includes(recipient.id))
    throw problem(`the consent does not name ${recipient.name}: record a consent that names it first`);
}

/**
 * A referral is taken on only under an active consent: one whose consent expired while it was SENT
 * is Harbour's to cancel (CONSENT_EXPIRED), whether or not the sweep has run yet.
 */
export function requireConsentAllows(action: ReferralAction, referral: Referral, now: Date): void {
  if (action !== ReferralAction.ACCEPT) return;
  const status = consentStatus(referral.consent, now);
  if (status !== ConsentStatus.ACTIVE) {
    throw new StateRefusedError(
      `The client's consent is ${status}: the referral can no longer be accepted, and Harbour cancels it.`,
      [{ field: 'id', message: `consent is ${status}` }],
    );
  }
}

export function requireNoReasonProblems(action: ReferralAction, reason: ReferralReasonInput | undefined): void {
  if (!reason) return;
  const allowed = REASON_CODES[action] ?? [];
  if (!allowed.includes(reason.code)) {
    throw new BadUserInputError(`${reason.code} is not a reason for this action: use one of ${allowed.join(', ')}.`, [
      { field: 'reason.code', message: `must be one of ${allowed.join(', ')}` },
    ]);
  }
  if (reason.code === ReferralReasonCode.OTHER && !reason.text?.trim()) {
    throw new BadUserInputError('A text is required with reason OTHER.', [
      { field: 'reason.text', message: 'is required with OTHER' },
    ]);
  }
}

/**
 * A lifecycle step asked with the version the caller last read: when the referral has changed since
 * (another step, Harbour's included), the caller decided on a state that is gone — CONFLICT, before
 * the state is looked at.
 */
export function requireExpectedVersion(referral: Pick<Referral, 'version'>, expected: number | null | undefined): void {
  if (expected === null || expected === undefined || expected === referral.version) return;
  throw new ConflictError(
    `The referral changed since you read it (version ${expected}; it is at version ${referral.version} now): read it again and decide anew.`,
  );
}

/**
 * What an idempotency key of sendReferral stands for, positionally (ids in lower case, an omitted
 * basedOnId as null): its fingerprint is the one the referral table kept before the general records,
 * so that the keys carried over by the migration still match their retries.
 */
export function sendIdentity(input: SendReferralInput): unknown[] {
  const ids = [input.clientId, input.serviceId, input.consentId, input.basedOnId ?? null].map(
    (id) => id?.toLowerCase() ?? null,
  );
  return [...ids, input.priority, input.reason];
}
