/** The outbox library: id-only change events written in the same transaction as the change they describe. */
export * from './outbox-event.entity';
export * from './outbox.module';
export * from './outbox.service';
