/**
 * The partner-events module: the change feed of the events partners are told about, and what the
 * live subscription shares with it — the event's GraphQL type, its mapping, and who is told of it.
 * Its public face: other units import this index.
 */
export * from './models/referral-change.model';
export * from './partner-event-scope';
export * from './partner-events.module';
export { toReferralChangeModel } from './referral-changes.service';
