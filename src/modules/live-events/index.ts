/**
 * The live-events module: the `referralEvents` subscription and its fan-out across server processes.
 * Its public face: other units import this index.
 */
export * from './live-events.hub';
export * from './live-events.module';
