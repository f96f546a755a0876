import { AuditCategory, AuditTrail, auditContextOf } from '@harbour/audit';
import { hasPermission, type Actor } from '@harbour/authz';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  StateRefusedError,
  paginate,
  type Connection,
} from '@harbour/graphql-kit';
import { LockMode, type ObjectQuery, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { type PrivacyWarning, privacyWarnings } from '../../common/privacy/status-information';
import { ServiceOffering } from '../directory/service-offering.entity';
import { Organization } from '../organizations/organization.entity';
import { ReferralOutcomeInput, ReferralReasonInput } from './dto/referral-reason.input';
import { ReferralsArgs } from './dto/referrals.args';
import { SendReferralInput } from './dto/send-referral.input';
import { ReferralNotePayload } from './models/referral.model';
import { decideTransition, SIDE_PERMISSIONS, TERMINAL_STATUSES } from './referral-lifecycle';
import { ReferralPageQuery, sentBefore } from './referral-page.query';
import {
  fingerprintOf,
  requireConsentAllows,
  requireConsentCovers,
  requireNoReasonProblems,
  requireReferrable,
  requireSidePermission,
} from './referral-rules';
import { EVENT_TYPES, referralEvent, ReferralSteps, sideActor, stepColumns } from './referral-steps';
import { receiverShare, sideOf, toNoteModel, viewReferral, type ViewedReferral } from './referral-view';
import { REFERRAL_VIEW } from './referral.entity';
import { Referral, ReferralNote, ReferralTransition } from './referral.entity';
import { ReferralAction, ReferralBox, ReferralSide, ReferralStatus } from './referral.enums';
import { AccessGate } from '../../access/access-gate';

/** A referral holds at most this many notes (the list is returned whole). */
export const MAX_NOTES_PER_REFERRAL = 200;

/** A referral after a change, with warnings for the writer about what was written. */
export interface ReferralChange {
  referral: ViewedReferral;
  warnings: PrivacyWarning[];
}

/**
 * The use cases of referrals: read one, list a box, send, take a step of the lifecycle, add a note.
 * Every change is an audited transaction that also writes its outbox event; `version` makes the
 * loser of two concurrent transitions fail with CONFLICT. The rules live in referral-rules.ts, the
 * page query in referral-page.query.ts, Harbour's own steps in referral-system-steps.ts.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly steps: ReferralSteps,
    private readonly pages: ReferralPageQuery,
    private readonly clock: Clock,
    private readonly access: AccessGate,
  ) {}

  /**
   * One referral of either side. The receiving side's first read of a SENT referral stamps
   * `receivedAt`, in an audited transaction (listing the inbox does not).
   */
  async get(actor: Actor, id: string): Promise<ViewedReferral> {
    const referral = await this.access.require(this.em, actor, 'Referral', id);
    const side = sideOf(actor, referral);
    requireSidePermission(actor, side, 'read');
    const viewed = viewReferral(actor, referral, this.clock.now());
    if (side === ReferralSide.RECEIVER && referral.status === ReferralStatus.SENT && referral.receivedAt === null)
      viewed.model.receivedAt = await this.stampReceived(actor, referral);
    return viewed;
  }

  /** The acting organization's inbox or outbox, newest sent first (then by id). */
  async list(actor: Actor, args: ReferralsArgs): Promise<Connection<ViewedReferral>> {
    const side = args.box === ReferralBox.INBOX ? ReferralSide.RECEIVER : ReferralSide.SENDER;
    requireSidePermission(actor, side, 'read');
    const where: ObjectQuery<Referral> = {
      ...(side === ReferralSide.RECEIVER
        ? { receivingOrganization: actor.organizationId }
        : { sendingOrganization: actor.organizationId }),
      ...(args.status?.length ? { status: { $in: args.status } } : {}),
      ...(args.priority ? { priority: args.priority } : {}),
      ...(args.serviceId ? { service: args.serviceId } : {}),
      ...(args.updatedSince ? { updatedAt: { $gte: args.updatedSince } } : {}),
    };
    const now = this.clock.now();
    return paginate(args, 2, {
      rows: ({ limit, after }) => this.pages.page(after ? { $and: [where, sentBefore(after)] } : where, limit),
      count: () => this.pages.count(where),
      keyOf: (referral) => [referral.sentAt.toISOString(), referral.id],
      toNode: (referral) => viewReferral(actor, referral, now),
    });
  }

  /** The view of a loaded referral the viewer is a party to, or null when its role may not read that side. */
  viewOf(actor: Actor, referral: Referral | null): ViewedReferral | null {
    if (!referral || !hasPermission(actor, SIDE_PERMISSIONS[sideOf(actor, referral)].read)) return null;
    return viewReferral(actor, referral, this.clock.now());
  }

  /**
   * Sends a referral. With an idempotency key, a repeat with the same input returns the referral
   * sent the first time (recorded as a replay), and one with other input is a CONFLICT; two
   * concurrent first sends with one key meet at the unique index, and the loser replays.
   */
  async send(actor: Actor, input: SendReferralInput): Promise<ReferralChange> {
    const warnings = privacyWarnings({ 'input.reason': input.reason });
    try {
      return await this.sendOnce(actor, input, warnings);
    } catch (error) {
      if (
        input.idempotencyKey &&
        error instanceof UniqueConstraintViolationException &&
        error.message.includes('referral_idempotency_key_unique')
      ) {
        return this.sendOnce(actor, input, warnings);
      }
      throw error;
    }
  }

  private sendOnce(actor: Actor, input: SendReferralInput, warnings: PrivacyWarning[]): Promise<ReferralChange> {
    const fingerprint = input.idempotencyKey ? fingerprintOf(input) : null;
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      if (input.idempotencyKey) {
        const earlier = await em.findOne(
          Referral,
          { sendingOrganization: actor.organizationId, idempotencyKey: input.idempotencyKey },
          { populate: REFERRAL_VIEW },
        );
        if (earlier) {
          if (earlier.idempotencyFingerprint !== fingerprint) {
            throw new ConflictError(
              'This idempotency key was already used to send a different referral: use a new key for a new referral.',
            );
          }
          audit.record({
            ...referralEvent('referral.send', AuditCategory.CREATE, earlier),
            details: { replayed: true },
          });
          return { referral: viewReferral(actor, earlier, this.clock.now()), warnings };
        }
      }
      const now = this.clock.now();
      const client = await this.access.require(em, actor, 'Client', input.clientId);
      const service = await em.findOne(
        ServiceOffering,
        { id: input.serviceId },
        { populate: ['organization', 'locations'] },
      );
      if (!service) throw new NotFoundError('Service', input.serviceId);
      requireReferrable(actor, service);
      const consent = await this.access.require(em, actor, 'Consent', input.consentId, {
        lock: LockMode.PESSIMISTIC_READ,
      });
      requireConsentCovers(consent, client.id, service.organization, now);
      const basedOn = input.basedOnId ? await this.requireBasis(em, actor, input.basedOnId, client.id) : null;
      const referral = em.create(Referral, {
        client,
        sendingOrganization: em.getReference(Organization, actor.organizationId),
        receivingOrganization: service.organization,
        service,
        consent,
        basedOn,
        priority: input.priority,
        reason: input.reason,
        sentBy: actor.id,
        sentAt: now,
        updatedAt: now,
        idempotencyKey: input.idempotencyKey ?? null,
        idempotencyFingerprint: fingerprint,
      });
      em.create(ReferralTransition, {
        referral,
        action: ReferralAction.SEND,
        toStatus: ReferralStatus.SENT,
        ...stepColumns(em, sideActor(actor, ReferralSide.SENDER)),
        at: now,
      });
      audit.record({
        ...referralEvent('referral.send', AuditCategory.CREATE, referral),
        details: {
          serviceId: service.id,
          receivingOrganizationId: service.organization.id,
          priority: referral.priority,
          warnings: warnings.map((w) => w.field),
        },
      });
      this.steps.announce(em, EVENT_TYPES[ReferralAction.SEND], referral, {
        actingOrganizationId: actor.organizationId,
        previousStatus: null,
        version: referral.version,
      });
      await em.flush();
      await em.populate(referral, REFERRAL_VIEW);
      return { referral: viewReferral(actor, referral, now), warnings };
    });
  }

  /**
   * Moves a referral along the lifecycle table on behalf of the caller's side. Illegal moves are
   * BAD_USER_INPUT naming the current state; losing a race to another change is CONFLICT.
   */
  async transition(
    actor: Actor,
    id: string,
    action: ReferralAction,
    given: { reason?: ReferralReasonInput; outcome?: ReferralOutcomeInput } = {},
  ): Promise<ReferralChange> {
    requireNoReasonProblems(action, given.reason);
    const text = given.reason?.text?.trim() || given.outcome?.text?.trim() || null;
    const warnings = privacyWarnings({ [given.reason ? 'reason.text' : 'outcome.text']: text });
    try {
      return await this.audit.transaction(auditContextOf(actor), async (em, audit) => {
        // One order of checks: visibility (NOT_FOUND), the role's permission on this side (FORBIDDEN),
        // then the state (BAD_USER_INPUT): a caller who may not work this side never learns the state.
        const referral = await this.access.require(em, actor, 'Referral', id);
        const side = sideOf(actor, referral);
        requireSidePermission(actor, side, 'act');
        const decision = decideTransition(referral.status, action, side);
        if (!decision.allowed)
          throw new StateRefusedError(decision.message, [{ field: 'id', message: `referral is ${referral.status}` }]);
        const now = this.clock.now();
        requireConsentAllows(action, referral, now);
        this.steps.apply(
          em,
          audit,
          referral,
          decision.transition,
          sideActor(actor, side),
          { reasonCode: given.reason?.code, outcome: given.outcome?.code, text },
          now,
        );
        await em.flush();
        return { referral: viewReferral(actor, referral, now), warnings };
      });
    } catch (error) {
      if (error instanceof OptimisticLockError) {
        throw new ConflictError(
          'The referral changed while this request was being handled (another change won): read it again before retrying.',
        );
      }
      throw error;
    }
  }

  async addNote(actor: Actor, referralId: string, body: string): Promise<ReferralNotePayload> {
    const warnings = privacyWarnings({ 'input.body': body });
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const referral = await this.access.require(em, actor, 'Referral', referralId);
      const side = sideOf(actor, referral);
      requireSidePermission(actor, side, 'act');
      if (TERMINAL_STATUSES.has(referral.status)) {
        throw new StateRefusedError(`The referral is ${referral.status}, a terminal state: it takes no more notes.`, [
          { field: 'referralId', message: `referral is ${referral.status}` },
        ]);
      }
      if ((await em.count(ReferralNote, { referral })) >= MAX_NOTES_PER_REFERRAL) {
        throw new BadUserInputError(`A referral holds at most ${MAX_NOTES_PER_REFERRAL} notes.`, [
          { field: 'referralId', message: 'too many notes' },
        ]);
      }
      const now = this.clock.now();
      const author = sideActor(actor, side);
      const note = em.create(ReferralNote, {
        referral,
        side,
        organization: side === ReferralSide.SENDER ? referral.sendingOrganization : referral.receivingOrganization,
        authorKind: author.kind,
        authorRole: author.role,
        authorId: actor.id,
        body,
        createdAt: now,
      });
      // Not a transition: the version stays, so a note never makes a concurrent transition fail.
      await em.nativeUpdate(Referral, { id: referral.id }, { updatedAt: now });
      audit.record({
        ...referralEvent('referral.note.add', AuditCategory.CREATE, referral),
        details: { side, noteId: note.id, warnings: warnings.map((w) => w.field) },
      });
      this.steps.announce(em, 'referral.note_added', referral, {
        actingOrganizationId: actor.organizationId,
        previousStatus: referral.status,
        version: referral.version,
        noteId: note.id,
      });
      await em.flush();
      const share = receiverShare(referral.status, referral.consent, now);
      return { note: toNoteModel(actor, { side, share }, note), warnings };
    });
  }
  private async stampReceived(actor: Actor, referral: Referral): Promise<Date> {
    const now = this.clock.now();
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const stamped = await em.nativeUpdate(
        Referral,
        { id: referral.id, receivedAt: null },
        { receivedAt: now, updatedAt: now },
      );
      audit.record({
        ...referralEvent('referral.receive', AuditCategory.UPDATE, referral),
        details: { stamped: stamped > 0 },
      });
      if (stamped === 0)
        return (
          (await em.findOneOrFail(Referral, referral.id, { fields: ['receivedAt'], disableIdentityMap: true }))
            .receivedAt ?? now
        );
      this.steps.announce(em, 'referral.received', referral, {
        actingOrganizationId: actor.organizationId,
        previousStatus: referral.status,
        version: referral.version,
      });
      return now;
    });
  }

  /** An earlier referral the caller's organization sent for the same client. */
  private async requireBasis(em: EntityManager, actor: Actor, id: string, clientId: string): Promise<Referral> {
    const basis = await this.access.require(em, actor, 'SentReferral', id);
    if (basis.client.id !== clientId) {
      throw new BadUserInputError('A referral can only be based on an earlier referral of the same client.', [
        { field: 'input.basedOnId', message: 'is a referral of another client' },
      ]);
    }
    return basis;
  }
}
