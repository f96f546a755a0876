/**
 * The audit module: the audit log and its verification as GraphQL operations.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './audit-events.module';
export * from './audit-verification.module';
