import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MutationPayload } from '../../../common/mutation-payload.model';
import { WebhookDisabledReason, WebhookEventType } from '../webhook.enums';

@ObjectType('WebhookEndpoint', {
  description:
    "Where your partner system receives your organization's partner events, signed after Standard Webhooks 1.0. Harbour delivers each event your organization is party to, at least once: deduplicate by the `webhook-id` header.",
})
export class WebhookEndpointModel {
  @Field(() => ID, { description: 'Id of the endpoint.' })
  id: string;

  @Field({ description: 'The receiving URL.' })
  url: string;

  @Field(() => String, { nullable: true, description: 'What the endpoint is for.' })
  description: string | null;

  @Field(() => [WebhookEventType], { description: 'The events delivered here; empty means every event.' })
  eventTypes: WebhookEventType[];

  @Field({ description: 'False while the endpoint receives nothing; `disabledReason` says why.' })
  enabled: boolean;

  @Field(() => WebhookDisabledReason, {
    nullable: true,
    description:
      'Why the endpoint is disabled: GONE (its receiver answered 410), FAILING (five days without success) or ADMIN.',
  })
  disabledReason: WebhookDisabledReason | null;

  @Field(() => Date, { nullable: true, description: 'When it was disabled.' })
  disabledAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When deliveries started failing, since the last success: five days after it without a success, Harbour disables the endpoint (FAILING). Null while deliveries succeed.',
  })
  failingSince: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a delivery last succeeded.' })
  lastSuccessAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'After `rotateWebhookSecret`: until when the previous secret still signs beside the new one (each delivery carries one signature per secret). Null when only one secret signs.',
  })
  previousSecretExpiresAt: Date | null;

  @Field({ description: 'When it was created.' })
  createdAt: Date;

  @Field({ description: 'When it was last changed.' })
  updatedAt: Date;
}

@ObjectType({
  description:
    'The answer of `createWebhookEndpoint`: the endpoint and its signing secret, shown only this once, with `warnings` (empty: its input holds no free text about a client).',
})
export class CreateWebhookEndpointPayload extends MutationPayload {
  @Field(() => WebhookEndpointModel, { description: 'The endpoint.' })
  webhookEndpoint: WebhookEndpointModel;

  @Field({
    description:
      'The signing secret (`whsec_…`): verify every delivery with it, e.g. `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` package. Harbour keeps it only sealed and never shows it again; store it in a secret store now.',
  })
  secret: string;
}

@ObjectType({
  description:
    'The answer of `rotateWebhookSecret`: the endpoint and its new signing secret, shown only this once, with `warnings` (empty).',
})
export class RotateWebhookSecretPayload extends MutationPayload {
  @Field(() => WebhookEndpointModel, { description: 'The endpoint.' })
  webhookEndpoint: WebhookEndpointModel;

  @Field({
    description:
      'The new signing secret (`whsec_…`). Until `previousSecretExpiresAt` (24 hours) deliveries carry a signature by each secret, so the old and the new one both verify: switch your receiver over within that time.',
  })
  secret: string;
}

@ObjectType({
  description:
    'The answer of `updateWebhookEndpoint` and `deleteWebhookEndpoint`: the endpoint after the change (as it was, for a deletion), with `warnings` (empty).',
})
export class WebhookEndpointPayload extends MutationPayload {
  @Field(() => WebhookEndpointModel, { description: 'The endpoint.' })
  webhookEndpoint: WebhookEndpointModel;
}

@ObjectType({
  description:
    'The answer of `replayWebhookDeliveries`: the endpoint and how many deliveries were scheduled again, with `warnings` (empty).',
})
export class ReplayWebhookDeliveriesPayload extends MutationPayload {
  @Field(() => WebhookEndpointModel, { description: 'The endpoint.' })
  webhookEndpoint: WebhookEndpointModel;

  @Field(() => Int, { description: 'How many FAILED deliveries are PENDING again, due now.' })
  replayed: number;
}
