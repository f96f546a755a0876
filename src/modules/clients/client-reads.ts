import { AuditCategory, type AuditEventInput } from '@harbour/audit';

/**
 * Why client data was read, recorded with every READ event (the purpose of use). Codes, not text;
 * each operation that shows client data names its own.
 */
export enum ClientDataPurpose {
  /** The holding organization's own work with its client (`client`, `clients`, consents). */
  CASE_MANAGEMENT = 'CASE_MANAGEMENT',
  /** Sending, receiving and working a referral: either side's look at the referred client. */
  REFERRAL = 'REFERRAL',
  /** Reviewing who accessed a client's data (`clientAccessReport`). */
  ACCESS_REVIEW = 'ACCESS_REVIEW',
}

/**
 * The READ events for showing these clients' data: one per client, each naming the client as its
 * subject. Recorded through AuditTrail.recordReads in one statement, committed before the data is
 * returned (no event, no data).
 */
export function clientReadEvents(clientIds: readonly string[], purpose: ClientDataPurpose): AuditEventInput[] {
  return clientIds.map((id) => ({
    action: 'client.read',
    category: AuditCategory.READ,
    entityType: 'Client',
    entityId: id,
    subjectClientId: id,
    purpose,
  }));
}
