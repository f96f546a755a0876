import { AuditCategory, AuditTrail, systemContext } from '@harbour/audit';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { ConsentStatus, consentStatus, type ConsentRevocation } from '../consent';
import { decideTransition, OPEN_STATUSES } from './referral-lifecycle';
import { harbourFor, ReferralSteps } from './referral-steps';
import { Referral } from './referral.entity';
import { ReferralAction, ReferralReasonCode, ReferralSide, ReferralStatus } from './referral.enums';

/** The steps Harbour takes on its own: cancelling under a revoked consent, and the expiry sweep. */
@Injectable()
export class ReferralSystemSteps {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly steps: ReferralSteps,
    private readonly clock: Clock,
  ) {}

  /**
   * The revocation step: every open referral under the revoked consent is cancelled by Harbour
   * (`CONSENT_WITHDRAWN`) in the revocation's transaction. Every organization that received a
   * referral under it, open or closed, is told (`consent.revoked`). The open rows are locked, so a
   * transition racing the revocation loses with CONFLICT.
   */
  async cancelUnderRevokedConsent(revocation: ConsentRevocation): Promise<void> {
    const { em, audit, consent, revokedAt } = revocation;
    const open = await em.find(
      Referral,
      { consent, status: { $in: OPEN_STATUSES } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: [{ sentAt: 'asc' }, { id: 'asc' }] },
    );
    for (const referral of open) {
      const decision = decideTransition(referral.status, ReferralAction.CANCEL, ReferralSide.SYSTEM);
      if (!decision.allowed)
        throw new Error(`Lifecycle table refuses Harbour's cancellation of a ${referral.status} referral`);
      this.steps.apply(
        em,
        audit,
        referral,
        decision.transition,
        harbourFor(referral),
        { reasonCode: ReferralReasonCode.CONSENT_WITHDRAWN },
        revokedAt,
      );
    }
    for (const referral of await em.find(Referral, { consent }, { fields: ['receivingOrganization'] }))
      revocation.notify(referral.receivingOrganization.id);
  }

  /**
   * The expiry sweep: cancels (`CONSENT_EXPIRED`) the referrals still SENT whose consent has
   * expired, one audited transaction per sending organization, recorded in its chain as Harbour's.
   * Reads never show data under an expired consent, whether or not the sweep has run.
   */
  async expireSent(now: Date = this.clock.now()): Promise<number> {
    const due = await this.em
      .fork()
      .find(
        Referral,
        { status: ReferralStatus.SENT, consent: { revokedAt: null, expiresAt: { $lte: now } } },
        { fields: ['id', 'sendingOrganization'], orderBy: [{ sentAt: 'asc' }, { id: 'asc' }], limit: 1000 },
      );
    const byOrganization = new Map<string, string[]>();
    for (const referral of due)
      byOrganization.set(referral.sendingOrganization.id, [
        ...(byOrganization.get(referral.sendingOrganization.id) ?? []),
        referral.id,
      ]);
    let expired = 0;
    for (const [organizationId, ids] of byOrganization) {
      expired += await this.audit.transaction(systemContext(organizationId), async (em, audit) => {
        audit.record({
          action: 'referral.expirySweep',
          category: AuditCategory.EXECUTE,
          details: { candidates: ids.length },
        });
        const locked = await em.find(
          Referral,
          { id: { $in: ids }, status: ReferralStatus.SENT },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        await em.populate(locked, ['consent']);
        const stillDue = locked.filter((referral) => consentStatus(referral.consent, now) === ConsentStatus.EXPIRED);
        for (const referral of stillDue) {
          const decision = decideTransition(referral.status, ReferralAction.EXPIRE, ReferralSide.SYSTEM);
          if (!decision.allowed)
            throw new Error(`Lifecycle table refuses Harbour's expiry of a ${referral.status} referral`);
          this.steps.apply(
            em,
            audit,
            referral,
            decision.transition,
            harbourFor(referral),
            { reasonCode: ReferralReasonCode.CONSENT_EXPIRED },
            now,
          );
        }
        await em.flush();
        return stillDue.length;
      });
    }
    return expired;
  }
}
