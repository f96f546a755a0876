import { type Actor, hasPermission } from '@harbour/authz';
import type { FeedScope, OutboxEventData } from '@harbour/outbox';
import { ReferralSide, SIDE_PERMISSIONS } from '../referrals';

/**
 * Which partner events an actor is told about: those addressed to its organization, and of a
 * referral only the side its role may read — a shelter's INTAKE hears of the referrals sent to the
 * shelter, not of the ones it sent (the same rule as `referral(id)`). A `consent.revoked` goes to
 * every reader of the organizations told of it: it names a consent, nothing of either box.
 *
 * The rule in two forms that must agree: as SQL for the change feed (`partnerEventScope`), and
 * over one event in memory for the live subscription (`isToldOf`).
 */
export function partnerEventScope(actor: Actor, types?: readonly string[] | null): FeedScope {
  const sides: string[] = [];
  const params: string[] = [];
  if (hasPermission(actor, SIDE_PERMISSIONS[ReferralSide.SENDER].read)) {
    sides.push(`e.data->>'sendingOrganizationId' = ?`);
    params.push(actor.organizationId);
  }
  if (hasPermission(actor, SIDE_PERMISSIONS[ReferralSide.RECEIVER].read)) {
    sides.push(`e.data->>'receivingOrganizationId' = ?`);
    params.push(actor.organizationId);
  }
  return {
    organizationId: actor.organizationId,
    ...(types?.length ? { types } : {}),
    condition: {
      sql: sides.length ? `e.aggregate_type <> 'Referral' or ${sides.join(' or ')}` : 'false',
      params,
    },
  };
}

/** The in-memory form of the rule above, for one event: its organizations and its id-only data. */
export function isToldOf(
  actor: Actor,
  event: { readonly organizationIds: readonly string[]; readonly data: OutboxEventData },
): boolean {
  if (!event.organizationIds.includes(actor.organizationId)) return false;
  const { sendingOrganizationId, receivingOrganizationId } = event.data;
  if (typeof sendingOrganizationId !== 'string' && typeof receivingOrganizationId !== 'string') return true;
  return (
    (sendingOrganizationId === actor.organizationId &&
      hasPermission(actor, SIDE_PERMISSIONS[ReferralSide.SENDER].read)) ||
    (receivingOrganizationId === actor.organizationId &&
      hasPermission(actor, SIDE_PERMISSIONS[ReferralSide.RECEIVER].read))
  );
}
