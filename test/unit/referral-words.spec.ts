/**
 * The words of a referral (docs/design.md, Consent model), as pure functions: for every state ×
 * consent state × set of granted categories, which notes and which words of the history each side
 * reads, and the building blocks of the view. The expected table is written by hand from
 * docs/design.md (referral-view.fixtures.ts).
 */
import { Role } from '@harbour/authz';
import {
  receiverShare,
  shownTo,
  toNoteModel,
  toTransitionModel,
  viewReferral,
  wordsShownTo,
  type ReceiverShare,
} from '../../src/modules/referrals/referral-view';
import {
  ReferralAction,
  ReferralReasonCode,
  ReferralSide,
  ReferralStatus,
} from '../../src/modules/referrals/referral.enums';
import {
  NOW,
  CATEGORIES,
  GRANTS,
  STATUSES,
  CONSENT_STATES,
  RECEIVER_STAGE,
  expectedForReceiver,
  SENDER_VIEWER,
  RECEIVER_VIEWER,
  consent,
  referral,
  note,
  step,
  NEEDS,
  CONTACT,
  DEMOGRAPHICS,
  MUNICIPAL_ID,
  NOTES,
} from './referral-view.fixtures';

// ---- notes and the words of the history --------------------------------------------------------

describe('notes and transition texts (toNoteModel, toTransitionModel)', () => {
  describe.each(STATUSES)('a referral %s', (status) => {
    it.each(CONSENT_STATES)(
      'with its consent %s: the receiver’s words reach the sender always; the sender’s reach the receiver only under NOTES, accepted and open',
      (state) => {
        const actual = GRANTS.map((granted) => {
          const receiving = viewReferral(RECEIVER_VIEWER, referral(status, consent(state, granted)), NOW).view;
          const sending = viewReferral(SENDER_VIEWER, referral(status, consent(state, granted)), NOW).view;
          return {
            granted,
            receiverReadsSenderNote: toNoteModel(RECEIVER_VIEWER, receiving, note(ReferralSide.SENDER)).body !== null,
            receiverReadsOwnNote: toNoteModel(RECEIVER_VIEWER, receiving, note(ReferralSide.RECEIVER)).body !== null,
            senderReadsReceiverNote: toNoteModel(SENDER_VIEWER, sending, note(ReferralSide.RECEIVER)).body !== null,
            senderReadsOwnNote: toNoteModel(SENDER_VIEWER, sending, note(ReferralSide.SENDER)).body !== null,
            receiverReadsSenderText:
              toTransitionModel(RECEIVER_VIEWER, receiving, step(ReferralSide.SENDER, 'Client asked')).text !== null,
            senderReadsReceiverText:
              toTransitionModel(SENDER_VIEWER, sending, step(ReferralSide.RECEIVER, 'Two weeks')).text !== null,
          };
        });
        const expected = GRANTS.map((granted) => ({
          granted,
          receiverReadsSenderNote: expectedForReceiver(status, state, granted).senderWords,
          receiverReadsOwnNote: true,
          senderReadsReceiverNote: true,
          senderReadsOwnNote: true,
          receiverReadsSenderText: expectedForReceiver(status, state, granted).senderWords,
          senderReadsReceiverText: true,
        }));
        expect(actual).toEqual(expected);
      },
    );
  });

  it('names the author of a note only to the author’s own organization', () => {
    const view = viewReferral(RECEIVER_VIEWER, referral(ReferralStatus.ACCEPTED, consent('ACTIVE', [NOTES])), NOW).view;
    expect(toNoteModel(RECEIVER_VIEWER, view, note(ReferralSide.SENDER))).toMatchObject({
      body: 'Prefers mornings',
      authorId: null,
      authorRole: Role.CASEWORKER,
    });
    expect(toNoteModel(RECEIVER_VIEWER, view, note(ReferralSide.RECEIVER)).authorId).toBe(
      'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
    );
  });

  it('names the actor of a step only to its own organization, and keeps every step’s record whatever is hidden', () => {
    const view = viewReferral(
      RECEIVER_VIEWER,
      referral(ReferralStatus.CANCELLED, consent('REVOKED', [...CATEGORIES])),
      NOW,
    ).view;
    expect(toTransitionModel(RECEIVER_VIEWER, view, step(ReferralSide.SENDER, 'Client asked'))).toMatchObject({
      action: ReferralAction.HOLD,
      fromStatus: ReferralStatus.ACCEPTED,
      toStatus: ReferralStatus.ON_HOLD,
      side: ReferralSide.SENDER,
      actorRole: Role.CASEWORKER,
      actorId: null,
      reasonCode: ReferralReasonCode.WAITLISTED,
      text: null,
    });
    expect(toTransitionModel(RECEIVER_VIEWER, view, step(ReferralSide.RECEIVER, 'Two weeks'))).toMatchObject({
      actorId: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
      text: 'Two weeks',
    });
  });

  it('keeps a step without words null for everyone', () => {
    const view = viewReferral(SENDER_VIEWER, referral(ReferralStatus.ACCEPTED, consent('ACTIVE', [NOTES])), NOW).view;
    expect(toTransitionModel(SENDER_VIEWER, view, step(ReferralSide.SYSTEM, null)).text).toBeNull();
  });
});

// ---- the building blocks -----------------------------------------------------------------------

describe(receiverShare.name, () => {
  it.each(STATUSES)('%s: follows the stage in docs/design.md for an active consent with every category', (status) => {
    const share = receiverShare(status, consent('ACTIVE', [...CATEGORIES]), NOW);
    const stage = RECEIVER_STAGE[status];
    expect({ always: share.always, categories: [...share.categories].sort() }).toEqual({
      always: stage !== 'NOTHING',
      categories: stage === 'NOTHING' ? [] : stage === 'DECIDE' ? [NEEDS] : [...CATEGORIES].sort(),
    });
  });

  it.each(['REVOKED', 'EXPIRED'] as const)('shares nothing under a %s consent, in any state', (state) => {
    for (const status of STATUSES) {
      const share = receiverShare(status, consent(state, [...CATEGORIES]), NOW);
      expect({ status, always: share.always, categories: share.categories.size }).toEqual({
        status,
        always: false,
        categories: 0,
      });
    }
  });

  it('shares the always row under an active consent without any category, while open', () => {
    const share = receiverShare(ReferralStatus.ACCEPTED, consent('ACTIVE', []), NOW);
    expect(share.always).toBe(true);
    expect(share.categories.size).toBe(0);
  });
});

describe(shownTo.name, () => {
  const NOTHING: ReceiverShare = { always: false, categories: new Set() };
  const ALWAYS_ONLY: ReceiverShare = { always: true, categories: new Set() };
  const WITH_NEEDS: ReceiverShare = { always: true, categories: new Set([NEEDS]) };

  it('shows the sender every field, holder-only ones included, even when the receiver sees nothing', () => {
    for (const sharing of ['ALWAYS', 'RECORD', 'HOLDER_ONLY', ...CATEGORIES] as const)
      expect(shownTo(ReferralSide.SENDER, sharing, NOTHING)).toBe(true);
  });

  it('shows the receiver the record always, and holder-only fields never', () => {
    expect(shownTo(ReferralSide.RECEIVER, 'RECORD', NOTHING)).toBe(true);
    expect(shownTo(ReferralSide.RECEIVER, 'HOLDER_ONLY', { always: true, categories: new Set(CATEGORIES) })).toBe(
      false,
    );
  });

  it('shows the receiver the always fields only with the always row, and a category only when shared', () => {
    expect(shownTo(ReferralSide.RECEIVER, 'ALWAYS', NOTHING)).toBe(false);
    expect(shownTo(ReferralSide.RECEIVER, 'ALWAYS', ALWAYS_ONLY)).toBe(true);
    expect(shownTo(ReferralSide.RECEIVER, NEEDS, ALWAYS_ONLY)).toBe(false);
    expect(shownTo(ReferralSide.RECEIVER, NEEDS, WITH_NEEDS)).toBe(true);
    expect(shownTo(ReferralSide.RECEIVER, CONTACT, WITH_NEEDS)).toBe(false);
  });

  it('never grants a category without the always row', () => {
    expect(shownTo(ReferralSide.RECEIVER, NEEDS, { always: false, categories: new Set([NEEDS]) })).toBe(false);
  });
});

describe(wordsShownTo.name, () => {
  const NOTHING: ReceiverShare = { always: false, categories: new Set() };
  const WITH_NOTES: ReceiverShare = { always: true, categories: new Set([NOTES]) };
  const WITHOUT_NOTES: ReceiverShare = {
    always: true,
    categories: new Set([NEEDS, CONTACT, DEMOGRAPHICS, MUNICIPAL_ID]),
  };

  it.each([
    ['the sender its own words', ReferralSide.SENDER, ReferralSide.SENDER, NOTHING, true],
    ['the sender the receiver’s words, whatever the share', ReferralSide.SENDER, ReferralSide.RECEIVER, NOTHING, true],
    ['the sender Harbour’s words', ReferralSide.SENDER, ReferralSide.SYSTEM, NOTHING, true],
    ['the receiver its own words, whatever the share', ReferralSide.RECEIVER, ReferralSide.RECEIVER, NOTHING, true],
    ['the receiver the sender’s words under NOTES', ReferralSide.RECEIVER, ReferralSide.SENDER, WITH_NOTES, true],
    [
      'the receiver the sender’s words without NOTES: no',
      ReferralSide.RECEIVER,
      ReferralSide.SENDER,
      WITHOUT_NOTES,
      false,
    ],
    [
      'the receiver the sender’s words when nothing is shared: no',
      ReferralSide.RECEIVER,
      ReferralSide.SENDER,
      NOTHING,
      false,
    ],
  ] as const)('shows %s', (_case, viewer, writer, share, expected) => {
    expect(wordsShownTo(viewer, writer, share)).toBe(expected);
  });
});
