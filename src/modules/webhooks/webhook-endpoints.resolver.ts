import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, RequirePermission, type Actor } from '@harbour/authz';
import { ConnectionArgs, ConnectionType } from '@harbour/graphql-kit';
import { CreateWebhookEndpointInput } from './dto/create-webhook-endpoint.input';
import { UpdateWebhookEndpointInput } from './dto/update-webhook-endpoint.input';
import { WebhookDeliveryPayload } from './models/webhook-delivery.model';
import {
  CreateWebhookEndpointPayload,
  RotateWebhookSecretPayload,
  WebhookEndpointModel,
  WebhookEndpointPayload,
} from './models/webhook-endpoint.model';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { MAX_ENDPOINTS_PER_ORGANIZATION } from './webhook-rules';

const WebhookEndpointConnection = ConnectionType(WebhookEndpointModel, 'webhook endpoint', 'WebhookEndpoint');

@Resolver(() => WebhookEndpointModel)
export class WebhookEndpointsResolver {
  constructor(private readonly service: WebhookEndpointsService) {}

  @Query(() => WebhookEndpointConnection, {
    description: "The acting organization's webhook endpoints, disabled ones included, oldest first.",
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  webhookEndpoints(@CurrentActor() actor: Actor, @Args() args: ConnectionArgs) {
    return this.service.list(actor, args);
  }

  @Mutation(() => CreateWebhookEndpointPayload, {
    description: `Register a webhook endpoint (at most ${MAX_ENDPOINTS_PER_ORGANIZATION} per organization). Its signing secret is returned once and never again. From the next event on, every partner event your organization is party to, of the chosen types, is delivered to it.`,
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  createWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'URL, description and event types.' }) input: CreateWebhookEndpointInput,
  ) {
    return this.service.create(actor, input);
  }

  @Mutation(() => WebhookEndpointPayload, {
    description:
      'Change a webhook endpoint: its URL, description, event types, or whether it is enabled. Enabling it again clears why it was disabled.',
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  updateWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The endpoint.' }) id: string,
    @Args('input', { description: 'The changes.' }) input: UpdateWebhookEndpointInput,
  ) {
    return this.service.update(actor, id, input);
  }

  @Mutation(() => WebhookEndpointPayload, {
    description: 'Delete a webhook endpoint and its delivery log. Nothing more is delivered to it.',
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  deleteWebhookEndpoint(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The endpoint.' }) id: string,
  ) {
    return this.service.delete(actor, id);
  }

  @Mutation(() => RotateWebhookSecretPayload, {
    description:
      'Give a webhook endpoint a new signing secret, returned once. For 24 hours the previous secret keeps signing beside it (every delivery carries both signatures), so that your receiver can switch over without losing a message.',
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  rotateWebhookSecret(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The endpoint.' }) id: string,
  ) {
    return this.service.rotateSecret(actor, id);
  }

  @Mutation(() => WebhookDeliveryPayload, {
    description:
      'Send a `webhook.test` message to this endpoint alone, signed and retried like any event; its delivery shows how it went (`webhookDeliveries`). The endpoint must be enabled.',
  })
  @RequirePermission(Permission.WEBHOOK_MANAGE)
  sendTestWebhook(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The endpoint.' }) id: string,
  ) {
    return this.service.sendTest(actor, id);
  }
}
