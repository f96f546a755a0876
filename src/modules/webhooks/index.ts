/**
 * The webhooks module: endpoints, the fan-out of partner events into deliveries, the delivery
 * worker and the delivery log.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './webhook-delivery.worker';
export * from './webhook.enums';
export * from './webhooks.module';
