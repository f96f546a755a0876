/**
 * The erasure module: a client's personal data erased on request or after the retention period.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './client-erasure';
export * from './client-retention';
export * from './erasure.module';
