import type { WebhookDelivery, WebhookDeliveryAttempt } from './webhook-delivery.entity';
import type { WebhookEndpoint } from './webhook-endpoint.entity';
import type { WebhookDeliveryAttemptModel, WebhookDeliveryModel } from './models/webhook-delivery.model';
import type { WebhookEndpointModel } from './models/webhook-endpoint.model';

/** The most attempts a delivery shows (the latest). */
export const SHOWN_ATTEMPTS = 50;

/** An endpoint as its organization sees it: never its secrets; the previous secret's end only while it still signs. */
export function toWebhookEndpointModel(endpoint: WebhookEndpoint, now: Date): WebhookEndpointModel {
  const previousLive =
    endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt.getTime() > now.getTime();
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    disabledAt: endpoint.disabledAt,
    failingSince: endpoint.failingSince,
    lastSuccessAt: endpoint.lastSuccessAt,
    previousSecretExpiresAt: previousLive ? endpoint.previousSecretExpiresAt : null,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

function toAttemptModel(attempt: WebhookDeliveryAttempt): WebhookDeliveryAttemptModel {
  return {
    at: attempt.at,
    httpStatus: attempt.httpStatus,
    durationMs: attempt.durationMs,
    errorClass: attempt.errorClass,
  };
}

/** A delivery with its attempts (any order given; shown oldest first, the latest SHOWN_ATTEMPTS). */
export function toWebhookDeliveryModel(
  delivery: WebhookDelivery,
  attempts: readonly WebhookDeliveryAttempt[],
): WebhookDeliveryModel {
  const ordered = [...attempts].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
  return {
    id: delivery.id,
    endpointId: delivery.endpoint.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    body: delivery.body,
    status: delivery.status,
    attemptCount: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt,
    createdAt: delivery.createdAt,
    lastAttemptAt: delivery.lastAttemptAt,
    attempts: ordered.slice(-SHOWN_ATTEMPTS).map(toAttemptModel),
  };
}
