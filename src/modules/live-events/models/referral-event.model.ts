import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ReferralStatus } from '../../referrals';
import { WebhookEventType } from '../../webhooks';

@ObjectType('ReferralEvent', {
  description:
    "A partner event, live: the same id-only facts as a webhook body's `data`, for the organizations party to the change. Ids, statuses and the version only — never client data, never free text: read what you may see through the API, where the client's consent is enforced. Fields that do not apply to the event's type are null.",
})
export class ReferralEventModel {
  @Field(() => ID, {
    description:
      "The event's id: the `webhook-id` of the same event's webhook deliveries, the same in every process and on every retry. Use it to skip an event you already handled.",
  })
  id: string;

  @Field(() => WebhookEventType, {
    description: 'What happened (`REFERRAL_SENT` is the webhook type `referral.sent`).',
  })
  type: WebhookEventType;

  @Field({ description: 'When the change was written, by the database clock.' })
  occurredAt: Date;

  @Field(() => ID, { nullable: true, description: 'The referral that changed; null for `CONSENT_REVOKED`.' })
  referralId: string | null;

  @Field(() => ID, { nullable: true, description: 'The consent revoked (`CONSENT_REVOKED` only).' })
  consentId: string | null;

  @Field(() => ReferralStatus, { nullable: true, description: "The referral's status after the change." })
  status: ReferralStatus | null;

  @Field(() => ReferralStatus, {
    nullable: true,
    description:
      'Its status before the change: null for `REFERRAL_SENT`, the same as `status` for a change that is not a step (received, note added).',
  })
  previousStatus: ReferralStatus | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "The referral's version after the change (it counts the lifecycle steps). Events may arrive out of order: order by it, or read the referral.",
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
      'The organization whose person or partner system made the change (skip your own changes); null when Harbour itself acted, e.g. an expiry.',
  })
  actingOrganizationId: string | null;

  @Field(() => ID, { nullable: true, description: 'The note added (`REFERRAL_NOTE_ADDED` only).' })
  noteId: string | null;
}
