import type { AuditEvent } from '@harbour/audit';
import { createHmac } from 'node:crypto';
import { AuditEventModel } from './models/audit-event.model';

/**
 * Entity types whose ids identify a person. Outside the reader's own chain their ids are shown as
 * pseudonyms and never match an `entityId` filter. Clients arrive with the clients issue; add
 * every further person-identifying type here.
 */
export const PERSON_ENTITY_TYPES: ReadonlySet<string> = new Set(['Client']);

/** Keys of `details` that hold a client's id, or a list of them: pseudonymised like `subjectClientId`. */
export const PERSON_DETAIL_KEYS: ReadonlySet<string> = new Set(['clientId', 'clientIds', 'subjectClientId']);

export const PSEUDONYM_PREFIX = 'pseud_';

/**
 * A client's id as another organization's reader sees it: an HMAC keyed with the audit pseudonym
 * key and bound to the chain (the client's organization), so that one client has one pseudonym per
 * organization and the pseudonyms of two organizations cannot be linked.
 */
export function clientPseudonym(key: string, chainId: string, clientId: string): string {
  const mac = createHmac('sha256', key).update(`audit-client-pseudonym:${chainId}:${clientId}`, 'utf8').digest('hex');
  return `${PSEUDONYM_PREFIX}${mac.slice(0, 32)}`;
}

/** Who reads the log: events of `ownChainId` show real ids, every other chain's person ids are pseudonymised. */
export interface AuditReader {
  ownChainId: string;
  pseudonymKey: string;
}

/** The one place that decides what a reader sees of an audit event. */
export function toAuditEventModel(reader: AuditReader, event: AuditEvent): AuditEventModel {
  const reveal = event.chainId === reader.ownChainId;
  const hide = (id: string | null): string | null =>
    id === null || reveal ? id : clientPseudonym(reader.pseudonymKey, event.chainId, id);
  const personEntity = event.entityType !== null && PERSON_ENTITY_TYPES.has(event.entityType);
  return {
    chainId: event.chainId,
    seq: String(event.seq),
    recordedAt: event.recordedAt,
    actorKind: event.actorKind,
    actorId: event.actorId,
    actorOrganizationId: event.actorOrganizationId,
    actorRoles: event.actorRoles,
    action: event.action,
    category: event.category,
    entityType: event.entityType,
    entityId: personEntity ? hide(event.entityId) : event.entityId,
    subjectClientId: hide(event.subjectClientId),
    purpose: event.purpose,
    outcome: event.outcome,
    requestId: event.requestId,
    sourceAddress: event.sourceAddress,
    details: JSON.stringify(reveal ? event.details : pseudonymiseDetails(event.details, hide)),
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

function pseudonymiseDetails(
  details: Record<string, unknown>,
  hide: (id: string | null) => string | null,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([key, value]) => {
      if (!PERSON_DETAIL_KEYS.has(key)) return [key, value];
      if (typeof value === 'string') return [key, hide(value)];
      if (Array.isArray(value))
        return [key, value.map((item: unknown) => (typeof item === 'string' ? hide(item) : item))];
      return [key, value];
    }),
  );
}
