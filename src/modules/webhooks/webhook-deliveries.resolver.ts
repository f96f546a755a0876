import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { ConnectionType } from '@harbour/graphql-kit';
import { ReplayWebhookDeliveriesInput } from './dto/replay-webhook-deliveries.input';
import { WebhookDeliveriesArgs } from './dto/webhook-deliveries.args';
import { WebhookDeliveryModel, WebhookDeliveryPayload } from './models/webhook-delivery.model';
import { ReplayWebhookDeliveriesPayload } from './models/webhook-endpoint.model';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

const WebhookDeliveryConnection = ConnectionType(WebhookDeliveryModel, 'webhook delivery', 'WebhookDelivery');

@Resolver(() => WebhookDeliveryModel)
export class WebhookDeliveriesResolver {
  constructor(private readonly service: WebhookDeliveriesService) {}

  @Query(() => WebhookDeliveryConnection, {
    description:
      "One of your endpoints' deliveries, newest first, each with its attempts (time, HTTP status, duration, error class). Deliveries are kept for 30 days.",
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  webhookDeliveries(@CurrentActor() actor: Actor, @Args() args: WebhookDeliveriesArgs) {
    return this.service.list(actor, args);
  }

  @Mutation(() => WebhookDeliveryPayload, {
    description:
      'Send a SUCCEEDED or FAILED delivery again, now: the same body and `webhook-id` (deduplicate by it), newly signed, with a new round of the retry schedule. Its endpoint must be enabled.',
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  redeliverWebhook(
    @CurrentActor() actor: Actor,
    @Args('deliveryId', { type: () => ID, description: 'The delivery.' }) deliveryId: string,
  ) {
    return this.service.redeliver(actor, deliveryId);
  }

  @Mutation(() => ReplayWebhookDeliveriesPayload, {
    description:
      'Send again, now, every FAILED delivery of an enabled endpoint created within a time range: after an outage of your receiver, say. Each keeps its body and `webhook-id`.',
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  replayWebhookDeliveries(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The endpoint and the time range.' }) input: ReplayWebhookDeliveriesInput,
  ) {
    return this.service.replay(actor, input);
  }
}
