import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { SecretBox } from '@harbour/webhooks';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { WebhookDeliveriesResolver } from './webhook-deliveries.resolver';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDelivery, WebhookDeliveryAttempt } from './webhook-delivery.entity';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointsResolver } from './webhook-endpoints.resolver';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookFanOut } from './webhook-fan-out';
import { WebhookNetwork } from './webhook-network';
import { WebhookSecrets } from './webhook-secrets';

/**
 * Webhooks: the endpoints an organization manages, the fan-out of outbox events into deliveries,
 * the worker that delivers them, and the delivery log.
 */
@Module({
  imports: [MikroOrmModule.forFeature([WebhookEndpoint, WebhookDelivery, WebhookDeliveryAttempt])],
  providers: [
    {
      provide: SecretBox,
      useFactory: (config: AppConfig) => new SecretBox(config.webhooks.secretKey),
      inject: [APP_CONFIG],
    },
    WebhookSecrets,
    WebhookNetwork,
    WebhookDeliveryWorker,
    WebhookFanOut,
    WebhookEndpointsService,
    WebhookEndpointsResolver,
    WebhookDeliveriesService,
    WebhookDeliveriesResolver,
  ],
  exports: [WebhookDeliveryWorker],
})
export class WebhooksModule {}
