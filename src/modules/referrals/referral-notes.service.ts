import { AuditCategory } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { BadUserInputError, StateRefusedError } from '@harbour/graphql-kit';
import { Injectable } from '@nestjs/common';
import { AccessGate } from '../../access/access-gate';
import { Clock } from '../../common/clock';
import { privacyWarnings } from '../../common/privacy/status-information';
import { Idempotency } from '../../idempotency/idempotency.service';
import { AddReferralNoteInput } from './dto/add-referral-note.input';
import { ReferralNotePayload } from './models/referral.model';
import { TERMINAL_STATUSES } from './referral-lifecycle';
import { requireSidePermission } from './referral-rules';
import { referralEvent, ReferralSteps, sideActor } from './referral-steps';
import { receiverShare, sideOf, toNoteModel } from './referral-view';
import { Referral, ReferralNote, sameVersion } from './referral.entity';
import { ReferralSide } from './referral.enums';

/** A referral holds at most this many notes (the list is returned whole). */
export const MAX_NOTES_PER_REFERRAL = 200;

/** Notes on referrals: added by either side while the referral is open, in an audited transaction that takes an idempotency key. */
@Injectable()
export class ReferralNotesService {
  constructor(
    private readonly idempotency: Idempotency,
    private readonly steps: ReferralSteps,
    private readonly clock: Clock,
    private readonly access: AccessGate,
  ) {}

  async add(actor: Actor, input: AddReferralNoteInput): Promise<ReferralNotePayload> {
    const warnings = privacyWarnings({ 'input.body': input.body });
    const request = {
      operation: 'addReferralNote',
      key: input.idempotencyKey,
      input: { referralId: input.referralId.toLowerCase(), body: input.body },
    };
    return this.idempotency.transaction(actor, request, {
      perform: async (em, audit) => {
        const referral = await this.access.require(em, actor, 'Referral', input.referralId);
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
          body: input.body,
          createdAt: now,
        });
        // Not a transition: the version stays, so a note never makes a concurrent transition fail.
        await em.nativeUpdate(Referral, { id: referral.id }, { updatedAt: now, ...sameVersion() });
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
        return { objectId: note.id, answer: { note: toNoteModel(actor, { side, share }, note), warnings } };
      },
      replay: async (em, noteId) => {
        const note = await em.findOneOrFail(ReferralNote, noteId, { populate: ['organization'] });
        const referral = await this.access.require(em, actor, 'Referral', note.referral.id);
        const side = sideOf(actor, referral);
        requireSidePermission(actor, side, 'act');
        const share = receiverShare(referral.status, referral.consent, this.clock.now());
        return {
          answer: { note: toNoteModel(actor, { side, share }, note), warnings },
          event: { ...referralEvent('referral.note.add', AuditCategory.CREATE, referral), details: { side, noteId } },
        };
      },
    });
  }
}
