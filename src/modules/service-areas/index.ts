/**
 * The service-areas module: who answers for each area of the fixed list, and how much of the
 * network works in it (docs/design.md, Accountability).
 */
export * from './models/service-area-overview.model';
export * from './service-areas.module';
