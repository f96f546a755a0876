import { AuditCategory, type AuditRecorder } from '@harbour/audit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ContactPreference } from '../clients';
import { ERASED_CLIENT_NAME, type Client } from '../clients/client.entity';

/** Why a client's personal data was erased: the client asked (`eraseClient`), or the retention period passed. */
export enum ErasureBasis {
  CLIENT_REQUEST = 'CLIENT_REQUEST',
  RETENTION_PERIOD = 'RETENTION_PERIOD',
}

/** What an erasure found to erase besides the client's own record, by count (ids and counts only). */
interface ErasedCounts {
  referralReasons: number;
  stepTexts: number;
  notes: number;
  revocationNotes: number;
}

/**
 * Erases a client's personal data in the caller's transaction, with the client row locked by the
 * caller: the record keeps its id, organization and dates, the placeholder name and `erasedAt`;
 * every other field is emptied. Everything written about the client in the referral shells goes
 * too: the reasons, the words of every step (decline, hold, cancel, close and completion texts) and
 * every note of either side. Consents keep their terms — purpose, categories, organizations, method,
 * notice and its language, dates — and lose their revocation note, the only free text they hold.
 * The audit trail is not touched (it holds ids only); the `client.erased` event joins it.
 *
 * The database allows exactly these changes to rows that are otherwise final (terminal referrals,
 * their history and notes, revoked consents) and keeps an erased client unchanged from then on
 * (Migration20261206051134_client_erasure).
 */
export async function eraseClientData(
  em: EntityManager,
  audit: AuditRecorder,
  client: Client,
  erasedAt: Date,
  basis: ErasureBasis,
): Promise<void> {
  client.preferredName = ERASED_CLIENT_NAME;
  client.legalName = null;
  client.birthYear = null;
  client.pronouns = null;
  client.languages = [];
  client.contact.phone = null;
  client.contact.email = null;
  client.contact.preference = ContactPreference.DO_NOT_CONTACT;
  client.contact.safeToLeaveMessage = false;
  client.municipalIdNumber = null;
  client.needs = null;
  client.erasedAt = erasedAt;
  // The client first: the database lets the words about a client go only once the client is erased.
  await em.flush();
  const ofClient = 'referral_id in (select id from referral where client_id = ?)';
  const counts: ErasedCounts = {
    referralReasons: await changed(
      em,
      'update referral set reason = null where client_id = ? and reason is not null',
      client.id,
    ),
    stepTexts: await changed(
      em,
      `update referral_transition set text = null where ${ofClient} and text is not null`,
      client.id,
    ),
    notes: await changed(em, `update referral_note set body = null where ${ofClient} and body is not null`, client.id),
    revocationNotes: await changed(
      em,
      'update consent set revocation_note = null where client_id = ? and revocation_note is not null',
      client.id,
    ),
  };
  audit.record({
    action: 'client.erased',
    category: AuditCategory.DELETE,
    entityType: 'Client',
    entityId: client.id,
    subjectClientId: client.id,
    details: { basis, ...counts },
  });
}

async function changed(em: EntityManager, sql: string, clientId: string): Promise<number> {
  const result = await em.execute<{ affectedRows: number }>(sql, [clientId], 'run');
  return result.affectedRows;
}
