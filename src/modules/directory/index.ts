/**
 * The directory module: services and locations, searchable by every signed-in caller.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './directory.enums';
export * from './directory.module';
export * from './models/service-offering.model';
export * from './service-offering.mapper';
