/**
 * The organizations module: the members of the network.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './models/organization.model';
export * from './organization-kind.enum';
export * from './organization.mapper';
export * from './organizations.module';
