import { AuditCategory, type AuditEventInput } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { PerRequest, type ReadBatcher } from '@harbour/graphql-kit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { AccessGate } from '../../access/access-gate';
import { ClientDataPurpose, RequestReads } from '../clients';
import type { ReferralModel } from './models/referral.model';
import { type ReferralView, type ViewedReferral } from './referral-view';
import { REFERRAL_VIEW } from './referral.entity';
import { Referral, ReferralNote, ReferralTransition } from './referral.entity';

/** A look at a referral's client data: the client view and reason, or the words of notes and transitions. */
export type ReferralRead = 'client' | 'notes';

/**
 * The batched loads of one request's referrals: whatever a page selects costs one statement per
 * kind, not one per referral (DataLoader gathers the loads of one tick). The READ events of the
 * client data a response shows go to the request's READ batcher (RequestReads), committed before
 * any of that data leaves the server (no event, no data); the loads whose results lead to more looks
 * (the words of steps and notes, a `basedOn` referral's client) hold its batch until they have
 * settled, so that a page costs one audited statement, whatever it holds. The views of the
 * referrals the request returns are kept here too, for their field resolvers.
 */
export class RequestReferralLoaders {
  readonly transitions: DataLoader<string, ReferralTransition[]>;
  readonly notes: DataLoader<string, ReferralNote[]>;
  readonly noteCounts: DataLoader<string, number>;
  /** Referrals by id, only those the actor's organization is a party to (null otherwise), loaded for their view. */
  readonly parties: DataLoader<string, Referral | null>;
  /** What each referral model this request returns shows of its client, decided by viewReferral. */
  private readonly views = new WeakMap<ReferralModel, ReferralView>();

  constructor(
    em: EntityManager,
    private readonly reads: ReadBatcher<AuditEventInput>,
    access: AccessGate,
    actor: Actor,
  ) {
    this.transitions = new DataLoader(
      this.holdingReads(async (ids) => {
        const rows = await em.find(
          ReferralTransition,
          { referral: { $in: [...ids] } },
          { orderBy: [{ at: 'asc' }, { id: 'asc' }], populate: ['organization'] },
        );
        return ids.map((id) => rows.filter((row) => row.referral.id === id));
      }),
    );
    this.notes = new DataLoader(
      this.holdingReads(async (ids) => {
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
      this.holdingReads(async (ids) => {
        const rows = await em.find(
          Referral,
          { $or: ids.map((id) => access.visible(actor, 'Referral', id)) },
          { populate: REFERRAL_VIEW },
        );
        return ids.map((id) => rows.find((row) => row.id === id) ?? null);
      }),
    );
  }

  /** A batch function during whose runs the request's READ batch waits. */
  private holdingReads<V>(batch: (ids: readonly string[]) => Promise<V[]>): (ids: readonly string[]) => Promise<V[]> {
    return (ids) => this.reads.hold(() => batch(ids));
  }

  /**
   * `shown`, once the READ event of this look is committed (at once when the response waits for
   * the request's reads: see ReadGate); each look is recorded once per request.
   */
  afterRead<T>(kind: ReferralRead, view: Pick<ReferralView, 'referralId' | 'clientId'>, shown: T): T | Promise<T> {
    return this.reads.after(
      {
        action: `referral.${kind}.read`,
        category: AuditCategory.READ,
        entityType: 'Referral',
        entityId: view.referralId,
        subjectClientId: view.clientId,
        purpose: ClientDataPurpose.REFERRAL,
      },
      shown,
    );
  }

  /** The model of a referral this request returns; its view is kept for its field resolvers. */
  show(referral: ViewedReferral): ReferralModel {
    this.views.set(referral.model, referral.view);
    return referral.model;
  }

  /** The view of a referral model this request returned (through `show`). */
  viewOf(referral: ReferralModel): ReferralView {
    const view = this.views.get(referral);
    if (view === undefined) throw new Error(`Referral ${referral.id} was returned without its view.`);
    return view;
  }
}

/** One set of loaders per GraphQL request, so that nothing is cached across requests. */
@Injectable()
export class ReferralLoaders {
  private readonly perRequest = new PerRequest<RequestReferralLoaders>();

  constructor(
    private readonly em: EntityManager,
    private readonly reads: RequestReads,
    private readonly access: AccessGate,
  ) {}

  of(context: object, actor: Actor): RequestReferralLoaders {
    return this.perRequest.of(
      context,
      () => new RequestReferralLoaders(this.em, this.reads.of(context, actor), this.access, actor),
    );
  }
}
