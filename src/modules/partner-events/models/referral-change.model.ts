import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '@harbour/graphql-kit';
import { ReferralStatus } from '../../referrals';
import { WebhookEventType } from '../../webhooks';

/**
 * One partner event as the change feed shows it: the same id-only facts as the webhook body's
 * `data`, typed. Never client data, never free text.
 */
@ObjectType('ReferralChange', {
  description:
    "One change your organization is told about: ids, statuses and the referral's version only — never client data or free text; fetch what you may see through `referral(id)`. The same event, with the same `id`, is delivered to your webhook endpoints (as `webhook-id`) and to `referralEvents` subscribers.",
})
export class ReferralChangeModel {
  @Field(() => ID, {
    description:
      "The event's id: the `webhook-id` of its webhook deliveries and the id of its live event. Deduplicate by it.",
  })
  id: string;

  @Field(() => WebhookEventType, { description: 'What happened.' })
  type: WebhookEventType;

  @Field(() => GraphQLISODateTime, { description: 'When the change was made (database time).' })
  occurredAt: Date;

  @Field(() => ID, { nullable: true, description: 'The referral that changed; null for `CONSENT_REVOKED`.' })
  referralId: string | null;

  @Field(() => ReferralStatus, {
    nullable: true,
    description: "The referral's status after the change; null for `CONSENT_REVOKED`.",
  })
  status: ReferralStatus | null;

  @Field(() => ReferralStatus, {
    nullable: true,
    description:
      'The status before the change: the same as `status` for changes that are not steps (received, a note); null for `REFERRAL_SENT` (no status before) and `CONSENT_REVOKED`.',
  })
  previousStatus: ReferralStatus | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "The referral's version once the change committed (pass it as `expectedVersion` to act on exactly this state); null for `CONSENT_REVOKED`.",
  })
  version: number | null;

  @Field(() => ID, { nullable: true, description: 'The service the referral is addressed to.' })
  serviceId: string | null;

  @Field(() => ID, { nullable: true, description: 'The organization that sent the referral.' })
  sendingOrganizationId: string | null;

  @Field(() => ID, { nullable: true, description: 'The organization the referral is addressed to.' })
  receivingOrganizationId: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The organization whose person or partner system made the change (skip your own); null when Harbour itself acted (an expiry).',
  })
  actingOrganizationId: string | null;

  @Field(() => ID, { nullable: true, description: 'The note added, for `REFERRAL_NOTE_ADDED`.' })
  noteId: string | null;

  @Field(() => ID, { nullable: true, description: 'The consent revoked, for `CONSENT_REVOKED`.' })
  consentId: string | null;
}

export const ReferralChangeConnection = ConnectionType(ReferralChangeModel, 'referral change', 'ReferralChange');
