import { AuditCategory, AuditTrail, auditContextOf } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { PerRequest } from '@harbour/graphql-kit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { AccessGate } from '../../access/access-gate';
import { ClientDataPurpose } from '../clients';
import { type ReferralView } from './referral-view';
import { REFERRAL_VIEW, Referral, ReferralNote, ReferralTransition } from './referral.entity';

/** A look at a referral's client data: the client view and reason, or the words of notes and transitions. */
export type ReferralRead = 'client' | 'notes';

interface ReadKey {
  readonly kind: ReferralRead;
  readonly view: Pick<ReferralView, 'referralId' | 'clientId'>;
}

/**
 * The batched loads of one request's referrals: whatever a page selects costs one statement per
 * kind, not one per referral (DataLoader gathers the loads of one tick). The READ events of the
 * client data a response shows are gathered the same way, recorded in one statement and committed
 * before any of that data is returned (no event, no data). Their batch waits until the loads in
 * flight have settled, so that the looks those loads lead to (the words of steps and notes, a
 * `basedOn` referral's client) join it: a page costs one audited transaction, whatever it holds.
 */
export class RequestReferralLoaders {
  readonly transitions: DataLoader<string, ReferralTransition[]>;
  readonly notes: DataLoader<string, ReferralNote[]>;
  readonly noteCounts: DataLoader<string, number>;
  /** Referrals by id, only those the actor's organization is a party to (null otherwise), loaded for their view. */
  readonly parties: DataLoader<string, Referral | null>;
  private readonly reads: DataLoader<ReadKey, true, string>;
  /** Loads of this request in flight, and the READ batch waiting for them to settle. */
  private loadsInFlight = 0;
  private readonly waitingForLoads: (() => void)[] = [];

  constructor(em: EntityManager, audit: AuditTrail, access: AccessGate, actor: Actor) {
    this.transitions = new DataLoader(
      this.tracked(async (ids) => {
        const rows = await em.find(
          ReferralTransition,
          { referral: { $in: [...ids] } },
          { orderBy: [{ at: 'asc' }, { id: 'asc' }], populate: ['organization'] },
        );
        return ids.map((id) => rows.filter((row) => row.referral.id === id));
      }),
    );
    this.notes = new DataLoader(
      this.tracked(async (ids) => {
        const rows = await em.find(
          ReferralNote,
          { referral: { $in: [...ids] } },
          { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], populate: ['organization'] },
        );
        return ids.map((id) => rows.filter((row) => row.referral.id === id));
      }),
    );
    this.noteCounts = new DataLoader(async (ids) => {
      const rows = await em
        .getConnection()
        .execute<{ referral_id: string; n: string }[]>(
          `select referral_id, count(*) as n from referral_note where referral_id in (${ids.map(() => '?').join(', ')}) group by referral_id`,
          [...ids],
        );
      const counts = new Map(rows.map((row) => [row.referral_id, Number(row.n)]));
      return ids.map((id) => counts.get(id) ?? 0);
    });
    this.parties = new DataLoader(
      this.tracked(async (ids) => {
        const rows = await em.find(
          Referral,
          { $or: ids.map((id) => access.visible(actor, 'Referral', id)) },
          { populate: REFERRAL_VIEW },
        );
        return ids.map((id) => rows.find((row) => row.id === id) ?? null);
      }),
    );
    this.reads = new DataLoader(
      async (keys) => {
        await audit.recordReads(
          auditContextOf(actor),
          keys.map(({ kind, view }) => ({
            action: `referral.${kind}.read`,
            category: AuditCategory.READ,
            entityType: 'Referral',
            entityId: view.referralId,
            subjectClientId: view.clientId,
            purpose: ClientDataPurpose.REFERRAL,
          })),
        );
        return keys.map(() => true as const);
      },
      {
        cacheKeyFn: ({ kind, view }) => `${kind}:${view.referralId}`,
        batchScheduleFn: (dispatch) => this.afterLoads(dispatch),
      },
    );
  }

  /** A batch function whose runs count as loads in flight. */
  private tracked<V>(batch: (ids: readonly string[]) => Promise<V[]>): (ids: readonly string[]) => Promise<V[]> {
    return async (ids) => {
      this.loadsInFlight += 1;
      try {
        return await batch(ids);
      } finally {
        this.loadsInFlight -= 1;
        if (this.loadsInFlight === 0) for (const resume of this.waitingForLoads.splice(0)) resume();
      }
    };
  }

  /**
   * Runs `dispatch` once this tick's loads have started and every load in flight has settled, and
   * the resolvers waiting on them have run (setImmediate comes after the ticks and promise jobs in
   * which DataLoader dispatches and resolvers continue).
   */
  private afterLoads(dispatch: () => void): void {
    setImmediate(() => {
      if (this.loadsInFlight === 0) dispatch();
      else this.waitingForLoads.push(() => this.afterLoads(dispatch));
    });
  }

  /** Resolves once the READ event of this look is committed; each look is recorded once per request. */
  async recordRead(kind: ReferralRead, view: ReadKey['view']): Promise<void> {
    await this.reads.load({ kind, view });
  }
}

/** One set of loaders per GraphQL request, so that nothing is cached across requests. */
@Injectable()
export class ReferralLoaders {
  private readonly perRequest = new PerRequest<RequestReferralLoaders>();

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly access: AccessGate,
  ) {}

  of(context: object, actor: Actor): RequestReferralLoaders {
    return this.perRequest.of(context, () => new RequestReferralLoaders(this.em, this.audit, this.access, actor));
  }
}
