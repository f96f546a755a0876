import type { Client } from './client.entity';
import { ClientModel } from './models/client.model';

/**
 * The holding organization's view of its own client: every field. Other organizations never get
 * this mapper; their views go through the consent-scoped mapper of the referral (CLIENT_DATA_FIELDS).
 */
export function toClientModel(client: Client): ClientModel {
  return {
    id: client.id,
    preferredName: client.preferredName,
    legalName: client.legalName,
    birthYear: client.birthYear,
    pronouns: client.pronouns,
    languages: [...client.languages],
    contact: {
      phone: client.contact.phone,
      email: client.contact.email,
      preference: client.contact.preference,
      safeToLeaveMessage: client.contact.safeToLeaveMessage,
    },
    municipalIdNumber: client.municipalIdNumber,
    needs: client.needs,
    erasedAt: client.erasedAt,
    erased: client.erasedAt !== null,
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
  };
}
