import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** What a partner is told about a change: ids, statuses and counters only — never client data, never free text. */
export type OutboxEventData = Readonly<Record<string, string | number | boolean | null>>;

/**
 * One event for partners, written in the transaction of the change it announces (transactional
 * outbox): it exists if and only if the change committed. Ids only, never personal data — a
 * partner that is told something happened asks the API what it may see of it.
 *
 * `txId` and `position` order the events in a way that survives transactions committing out of
 * order: the feed (outbox-feed.ts) hands out only events whose transaction is older than every
 * transaction still in progress, in (`txId`, `position`) order, so nothing can later appear
 * before what was already handed out.
 */
@Entity({ tableName: 'outbox_event' })
@Index({ properties: ['occurredAt', 'id'] })
@Index({ properties: ['aggregateType', 'aggregateId'] })
@Index({ name: 'outbox_event_feed_index', properties: ['txId', 'position'] })
export class OutboxEvent {
  [OptionalProps]?: 'occurredAt' | 'txId' | 'position';

  @PrimaryKey({ type: 'uuid' })
  id: string;

  /** Dotted name: `consent.revoked`, `referral.sent`… */
  @Property({ type: 'text' })
  type: string;

  /** The organizations whose partner systems are told. Never shown to any of them. */
  @Property({ type: 'uuid[]', columnType: 'uuid[]' })
  organizationIds: string[];

  /** The organization whose action caused the change; null when Harbour itself acted (an expiry). */
  @Property({ type: 'uuid', nullable: true })
  actingOrganizationId: string | null = null;

  /** What changed: `Consent`, `Referral`… and its id. */
  @Property({ type: 'text' })
  aggregateType: string;

  @Property({ type: 'uuid' })
  aggregateId: string;

  /** The event's body for partners, fixed when the change commits (ids, statuses, version). */
  @Property({ type: 'json', columnType: 'jsonb', defaultRaw: `'{}'::jsonb` })
  data: OutboxEventData = {};

  /** Database time, set by PostgreSQL when the row is written. */
  @Property({ type: 'timestamptz', defaultRaw: 'clock_timestamp()' })
  occurredAt: Date;

  /** The writing transaction's 64-bit id, set by PostgreSQL. */
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()', lazy: true })
  txId: string;

  /** Order of writing (a sequence); with `txId`, the feed's order. */
  @Property({ type: 'bigint', autoincrement: true, lazy: true })
  position: string;
}
