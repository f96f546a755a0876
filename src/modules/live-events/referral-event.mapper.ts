import { type Actor, hasPermission } from '@harbour/authz';
import { ReferralSide, type ReferralStatus, SIDE_PERMISSIONS } from '../referrals';
import type { WebhookEventType } from '../webhooks';
import type { LiveEvent } from './live-event';
import type { ReferralEventModel } from './models/referral-event.model';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Whether `actor` is told of `event`: its organization is one of those the event names, and for a
 * referral its role (or scopes) may read the side its organization is on — as the `referral` query
 * decides — so that a shelter's INTAKE is not told of the shelter's outbox. A consent's revocation
 * concerns both sides.
 */
export function isToldOf(actor: Actor, event: LiveEvent): boolean {
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

/** The GraphQL shape of a live event: its id-only data, field by field. */
export function toReferralEventModel(event: LiveEvent): ReferralEventModel {
  const { data } = event;
  return {
    id: event.id,
    type: event.type as WebhookEventType,
    occurredAt: new Date(event.occurredAt),
    referralId: text(data.referralId),
    consentId: text(data.consentId),
    status: text(data.status) as ReferralStatus | null,
    previousStatus: text(data.previousStatus) as ReferralStatus | null,
    version: typeof data.version === 'number' ? data.version : null,
    serviceId: text(data.serviceId),
    sendingOrganizationId: text(data.sendingOrganizationId),
    receivingOrganizationId: text(data.receivingOrganizationId),
    actingOrganizationId: text(data.actingOrganizationId),
    noteId: text(data.noteId),
  };
}
