/**
 * The outbox library: id-only change events written in the same transaction as the change they
 * describe, read back in commit-safe order, and relayed to the consumers that must hear of each.
 */
export * from './outbox-event.entity';
export * from './outbox-feed';
export * from './outbox-relay';
export * from './outbox-relay-position.entity';
export * from './outbox.module';
export * from './outbox.service';
