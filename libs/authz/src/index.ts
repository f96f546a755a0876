/** The authorization library: actors, permissions and the fail-closed permission guard. */
export * from './actor';
export * from './authorization.decorators';
export * from './permission.guard';
export * from './permissions';
export * from './training-gate';
