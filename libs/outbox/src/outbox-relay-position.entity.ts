import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * How far the relay has handed the feed to its consumers. One row per relay; the process that
 * holds its row lock is the one relaying, the others skip their turn.
 */
@Entity({ tableName: 'outbox_relay_position' })
export class OutboxRelayPosition {
  @PrimaryKey({ type: 'text' })
  name: string;

  /** The last event handed out: its transaction id (null before the first)… */
  @Property({ type: 'string', columnType: 'xid8', nullable: true })
  txId: string | null = null;

  /** …and its position. */
  @Property({ type: 'bigint', nullable: true })
  position: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'clock_timestamp()' })
  updatedAt: Date = new Date();
}
