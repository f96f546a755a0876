import { type Actor, hasPermission } from '@harbour/authz';
import type { FeedScope } from '@harbour/outbox';
import { ReferralSide, SIDE_PERMISSIONS } from '../referrals';

/**
 * Which partner events an actor is told about: those addressed to its organization, and of a
 * referral only the side its role may read — a shelter's INTAKE hears of the referrals sent to the
 * shelter, not of the ones it sent (the same rule as `referral(id)`). A `consent.revoked` goes to
 * every reader of the organizations told of it: it names a consent, nothing of either box.
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
