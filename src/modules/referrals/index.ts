/**
 * The referrals module: referrals, their lifecycle, notes and expiry.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './referral-lifecycle';
export * from './referral.enums';
export * from './referrals.module';
