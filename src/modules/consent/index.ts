/**
 * The consent module: consents, what they share, and what happens when one is revoked.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './client-data.registry';
export * from './consent-revocation';
export * from './consent.enums';
export * from './consent.module';
export * from './consents.service';
