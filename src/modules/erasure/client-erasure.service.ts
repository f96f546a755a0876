import { AuditTrail, auditContextOf } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { StateConflictError } from '@harbour/graphql-kit';
import { LockMode } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AccessGate } from '../../access/access-gate';
import { Clock } from '../../common/clock';
import { type ClientPayload, requireNotErased, toClientModel } from '../clients';
import { ConsentsService } from '../consent';
import { OPEN_STATUSES } from '../referrals';
import { Referral } from '../referrals/referral.entity';
import { ErasureBasis, eraseClientData } from './client-erasure';

/**
 * `eraseClient`: the holding organization erases a client's personal data at the client's request,
 * in one audited transaction — refused while a referral of the client is open, and for a client
 * already erased. The client's active consents end with it (revoked, CLIENT_WITHDREW, through the
 * revocation path: their events and `consent.revoked` webhooks), since the client asked.
 */
@Injectable()
export class ClientErasureService {
  constructor(
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
    private readonly consents: ConsentsService,
    private readonly clock: Clock,
  ) {}

  async eraseOnRequest(actor: Actor, id: string): Promise<ClientPayload> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      // Locked: a referral or consent being written for the client now commits first (they lock it too).
      const client = await this.access.require(em, actor, 'Client', id, { lock: LockMode.PESSIMISTIC_WRITE });
      requireNotErased(client, 'id');
      const open = await em.find(
        Referral,
        { client, status: { $in: [...OPEN_STATUSES] } },
        { fields: ['id', 'status'], orderBy: [{ sentAt: 'asc' }, { id: 'asc' }] },
      );
      if (open.length > 0) {
        throw new StateConflictError(
          `The client has ${open.length} open referral(s): ${open.map((r) => `${r.id} (${r.status})`).join(', ')}. Cancel them, or wait until the receiving organization closes them, then erase.`,
          open.map((referral) => ({ field: 'id', message: `referral ${referral.id} is ${referral.status}` })),
        );
      }
      await this.consents.revokeActiveOf(em, audit, actor, client.id);
      await eraseClientData(em, audit, client, this.clock.now(), ErasureBasis.CLIENT_REQUEST);
      return { client: toClientModel(client), warnings: [] };
    });
  }
}
