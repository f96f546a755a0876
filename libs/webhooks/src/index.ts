/**
 * The webhook library: the network-facing half of partner deliveries, without a database —
 * Standard Webhooks signatures, endpoint secrets sealed at rest, the address and URL policies that
 * keep deliveries off private networks, the sender, and the retry schedule.
 */
export * from './address-policy';
export * from './delivery-outcome';
export * from './retry-after';
export * from './retry-schedule';
export * from './secret-box';
export * from './signature';
export * from './url-policy';
export * from './webhook-sender';
