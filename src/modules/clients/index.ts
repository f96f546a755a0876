/**
 * The clients module: an organization's clients, what is read of them, and who read it.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './client-reads';
export * from './client-rules';
export * from './client.mapper';
export * from './client.enums';
export * from './clients.module';
export * from './models/client.model';
export * from './request-reads';
