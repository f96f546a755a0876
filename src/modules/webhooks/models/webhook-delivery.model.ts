import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { WebhookAttemptError, WebhookDeliveryStatus } from '../webhook.enums';

@ObjectType('WebhookDeliveryAttempt', {
  description: "One try of a delivery. Harbour keeps the answer's HTTP status only: never its body or headers.",
})
export class WebhookDeliveryAttemptModel {
  @Field({ description: 'When the attempt was made.' })
  at: Date;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when no answer came." })
  httpStatus: number | null;

  @Field(() => Int, { description: 'How long the attempt took, DNS included, in milliseconds.' })
  durationMs: number;

  @Field(() => WebhookAttemptError, { nullable: true, description: 'Why it failed; null when it succeeded.' })
  errorClass: WebhookAttemptError | null;
}

@ObjectType('WebhookDelivery', {
  description:
    'One event for one endpoint. Every attempt sends the same body with the same `webhook-id`; the retry schedule is 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after the first attempt and each later one (±10%), ten attempts in all.',
})
export class WebhookDeliveryModel {
  @Field(() => ID, { description: 'Id of the delivery (to redeliver it).' })
  id: string;

  @Field(() => ID, { description: 'The endpoint.' })
  endpointId: string;

  @Field(() => ID, {
    description:
      "The `webhook-id` header: the event's id, the same on every attempt and for every endpoint told of the event.",
  })
  eventId: string;

  @Field({ description: "The event's dotted type, as in the body: `referral.sent`, …, or `webhook.test`." })
  eventType: string;

  @Field({ description: 'The exact JSON body sent, `{"type","timestamp","data"}`: ids only.' })
  body: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Where the delivery stands.' })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made in the current round (a redelivery starts a new round).' })
  attemptCount: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null once SUCCEEDED or FAILED.' })
  nextAttemptAt: Date | null;

  @Field({ description: "When the delivery was created (when the event reached Harbour's delivery queue)." })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the last attempt was made.' })
  lastAttemptAt: Date | null;

  @Field(() => [WebhookDeliveryAttemptModel], {
    description: 'The attempts, oldest first: the last 50 at most.',
  })
  attempts: WebhookDeliveryAttemptModel[];
}

@ObjectType({
  description:
    'The answer of `sendTestWebhook` and `redeliverWebhook`: the delivery, due now, with `warnings` (empty).',
})
export class WebhookDeliveryPayload extends MutationPayload {
  @Field(() => WebhookDeliveryModel, { description: 'The delivery.' })
  webhookDelivery: WebhookDeliveryModel;
}
