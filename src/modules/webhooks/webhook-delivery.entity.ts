import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookAttemptError, WebhookDeliveryStatus } from './webhook.enums';

/**
 * One event for one endpoint. `eventId` is the outbox event's id (a random one for a test message)
 * and the `webhook-id` header of every attempt; `body` is the exact JSON sent, stored so that every
 * retry signs the same bytes. The worker claims a due delivery by setting `lockedUntil` (a lease),
 * sends it with no transaction open, and records the attempt and its outcome afterwards.
 */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ properties: ['endpoint', 'eventId'] })
@Index({ properties: ['endpoint', 'createdAt', 'id'] })
@Index({ properties: ['createdAt'] })
@Index({
  name: 'webhook_delivery_due_index',
  expression: `create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING'`,
})
@Check({
  name: 'webhook_delivery_pending_check',
  expression: `(status = 'PENDING') = (next_attempt_at is not null)`,
})
@Check({ name: 'webhook_delivery_attempts_check', expression: 'attempts >= 0' })
export class WebhookDelivery {
  [OptionalProps]?: 'status' | 'attempts' | 'lockedUntil' | 'lastAttemptAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WebhookEndpoint, { deleteRule: 'cascade' })
  endpoint: WebhookEndpoint;

  /** The `webhook-id`: the outbox event's id, the same on every attempt. */
  @Property({ type: 'uuid' })
  eventId: string;

  /** Dotted: `referral.sent`, `webhook.test`… */
  @Property({ type: 'text' })
  eventType: string;

  /** `{"type","timestamp","data"}` as sent: ids only. */
  @Property({ type: 'text' })
  body: string;

  @Enum({ items: () => WebhookDeliveryStatus, nativeEnumName: 'webhook_delivery_status' })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  /** Attempts made in the current round of the retry schedule (a redelivery starts a new round). */
  @Property({ type: 'integer' })
  attempts: number = 0;

  /** When the next attempt is due; null once the delivery SUCCEEDED or FAILED. */
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** The lease of the worker that claimed it; another worker may claim it only once this has passed. */
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null = null;
}

/** One try of a delivery: when, the HTTP status if an answer came, how long, and why it failed. Never the answer's body or headers. */
@Entity({ tableName: 'webhook_delivery_attempt' })
@Index({ properties: ['delivery', 'at'] })
export class WebhookDeliveryAttempt {
  [OptionalProps]?: 'httpStatus' | 'errorClass';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WebhookDelivery, { deleteRule: 'cascade' })
  delivery: WebhookDelivery;

  @Property({ type: 'timestamptz' })
  at: Date;

  @Property({ type: 'integer', nullable: true })
  httpStatus: number | null = null;

  @Property({ type: 'integer' })
  durationMs: number;

  @Enum({ items: () => WebhookAttemptError, nativeEnumName: 'webhook_attempt_error', nullable: true })
  errorClass: WebhookAttemptError | null = null;
}
