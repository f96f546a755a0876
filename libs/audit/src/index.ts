/** The audit library: the hash-chained, append-only audit log, the one way to open a transaction, its verification and checkpoints. */
export * from './audit-context';
export * from './audit-event.entity';
export * from './audit-trail.service';
export * from './audit.module';
export * from './audit-log-reader';
export * from './audit.types';
export * from './canonical';
export * from './chain-append';
export * from './group-commit';
export * from './checkpoint';
export * from './denial-audit.filter';
export * from './signing-key';
export * from './transaction-failure';
export * from './verify';
