import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One event for partners, written in the transaction of the change it announces (transactional
 * outbox): it exists if and only if the change committed. Ids only, never personal data — a
 * partner that is told something happened asks the API what it may see of it.
 */
@Entity({ tableName: 'outbox_event' })
@Index({ properties: ['occurredAt', 'id'] })
@Index({ properties: ['aggregateType', 'aggregateId'] })
export class OutboxEvent {
  [OptionalProps]?: 'occurredAt';

  @PrimaryKey({ type: 'uuid' })
  id: string;

  /** Dotted name: `consent.revoked`, `referral.sent`… */
  @Property({ type: 'text' })
  type: string;

  /** The organizations whose partner systems are told. */
  @Property({ type: 'uuid[]', columnType: 'uuid[]' })
  organizationIds: string[];

  /** What changed: `Consent`, `Referral`… and its id. */
  @Property({ type: 'text' })
  aggregateType: string;

  @Property({ type: 'uuid' })
  aggregateId: string;

  /** Database time, set by PostgreSQL when the row is written. */
  @Property({ type: 'timestamptz', defaultRaw: 'clock_timestamp()' })
  occurredAt: Date;
}
