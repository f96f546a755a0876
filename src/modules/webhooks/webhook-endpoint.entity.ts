import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Organization } from '../organizations/organization.entity';
import { WebhookDisabledReason, WebhookEventType } from './webhook.enums';

/**
 * Where an organization's partner system receives its partner events (Standard Webhooks 1.0). The
 * signing secret is stored sealed (AES-256-GCM under WEBHOOK_SECRET_KEY, bound to this row's id),
 * never in clear; after a rotation the previous secret keeps signing beside the new one until
 * `previousSecretExpiresAt`.
 */
@Entity({ tableName: 'webhook_endpoint' })
@Index({ properties: ['organization', 'createdAt', 'id'] })
@Check({
  name: 'webhook_endpoint_event_types_check',
  expression: `event_types <@ array['referral.sent','referral.received','referral.accepted','referral.declined','referral.started','referral.held','referral.resumed','referral.completed','referral.closed_unmet','referral.cancelled','referral.note_added','consent.revoked']::text[]`,
})
@Check({
  name: 'webhook_endpoint_disabled_check',
  expression: 'enabled = (disabled_reason is null) and (disabled_reason is null) = (disabled_at is null)',
})
@Check({
  name: 'webhook_endpoint_previous_secret_check',
  expression: '(previous_secret_sealed is null) = (previous_secret_expires_at is null)',
})
export class WebhookEndpoint {
  [OptionalProps]?:
    | 'organizationId'
    | 'description'
    | 'eventTypes'
    | 'enabled'
    | 'disabledReason'
    | 'disabledAt'
    | 'failingSince'
    | 'lastSuccessAt'
    | 'previousSecretSealed'
    | 'previousSecretExpiresAt'
    | 'createdAt'
    | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'restrict' })
  organization: Organization;

  @Property({ type: 'text' })
  url: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** The event types delivered here; empty means every type. */
  @Enum({ items: () => WebhookEventType, array: true })
  eventTypes: WebhookEventType[] = [];

  @Property({ type: 'boolean' })
  enabled: boolean = true;

  @Enum({ items: () => WebhookDisabledReason, nativeEnumName: 'webhook_disabled_reason', nullable: true })
  disabledReason: WebhookDisabledReason | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;

  /** The first failed attempt since the last success; five days of it disable the endpoint. */
  @Property({ type: 'timestamptz', nullable: true })
  failingSince: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null = null;

  @Property({ type: 'text', hidden: true })
  secretSealed: string;

  @Property({ type: 'text', hidden: true, nullable: true })
  previousSecretSealed: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  /** Staff account or API client that created it. */
  @Property({ type: 'uuid' })
  createdBy: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();

  get organizationId(): string {
    return this.organization.id;
  }
}
