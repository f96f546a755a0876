import type { Actor } from '@harbour/authz';
import {
  CLIENT_DATA_FIELDS,
  ConsentDataCategory,
  isConsentActive,
  sharedUnder,
  type ClientFieldSharing,
} from '../consent';
import { ERASED_CLIENT_NAME, type Client, type ClientContact } from '../clients/client.entity';
import type { Consent } from '../consent/consent.entity';
import { toServiceOfferingModel, type ServiceSource } from '../directory';
import { toOrganizationModel, type OrganizationSource } from '../organizations';
import { TERMINAL_STATUSES } from './referral-lifecycle';
import type { Referral, ReferralNote, ReferralTransition } from './referral.entity';
import { ReferralSide, ReferralStatus } from './referral.enums';
import type {
  ReferralModel,
  ReferralNoteModel,
  ReferralTransitionModel,
  ReferredClientModel,
} from './models/referral.model';

/**
 * What each side of a referral sees of the client — decided here and nowhere else (docs/design.md,
 * Consent model), from CLIENT_DATA_FIELDS. The sending organization holds the client and sees
 * everything. The receiving organization sees, under an active consent that names it: the
 * always-shared fields and NEEDS (when consented) while the referral is SENT; every consented
 * category once it is accepted; nothing once it is terminal or the consent is revoked or expired.
 */

/** What the receiving side may see now. `always` covers the ALWAYS fields; categories are never granted without it. */
export interface ReceiverShare {
  readonly always: boolean;
  readonly categories: ReadonlySet<ConsentDataCategory>;
}

/** What the view reads of a client. */
export type ClientSource = Pick<
  Client,
  | 'id'
  | 'preferredName'
  | 'languages'
  | 'needs'
  | 'legalName'
  | 'birthYear'
  | 'pronouns'
  | 'municipalIdNumber'
  | 'erasedAt'
> & {
  readonly contact: Pick<ClientContact, 'phone' | 'email' | 'preference' | 'safeToLeaveMessage'>;
};

/**
 * What the view reads of a referral: an entity with REFERRAL_VIEW loaded, or a row of a page
 * (ReferralsService.list reads its pages without hydrating entities).
 */
export interface ReferralSource extends Pick<
  Referral,
  'id' | 'status' | 'version' | 'priority' | 'outcome' | 'sentAt' | 'receivedAt' | 'updatedAt' | 'reason'
> {
  readonly basedOn: { readonly id: string } | null;
  readonly client: ClientSource;
  readonly consent: Pick<Consent, 'revokedAt' | 'expiresAt' | 'dataCategories'>;
  readonly service: ServiceSource;
  readonly sendingOrganization: OrganizationSource;
  readonly receivingOrganization: OrganizationSource;
}

const NOTHING: ReceiverShare = { always: false, categories: new Set() };

export function receiverShare(
  status: ReferralStatus,
  consent: Pick<Consent, 'revokedAt' | 'expiresAt' | 'dataCategories'>,
  now: Date,
): ReceiverShare {
  if (TERMINAL_STATUSES.has(status) || !isConsentActive(consent, now)) return NOTHING;
  const granted = new Set(consent.dataCategories);
  if (status === ReferralStatus.SENT) {
    // Enough to decide: who, in which language, and what they need.
    return {
      always: true,
      categories: new Set(granted.has(ConsentDataCategory.NEEDS) ? [ConsentDataCategory.NEEDS] : []),
    };
  }
  return { always: true, categories: granted };
}

/** Whether a field with this rule is shown to `side` (the holder, the sending side, sees its client whole). */
export function shownTo(side: ReferralSide, sharing: ClientFieldSharing, share: ReceiverShare): boolean {
  if (side === ReferralSide.SENDER) return true;
  if (sharing === 'RECORD') return true;
  return share.always && sharedUnder(sharing, share.categories);
}

/** Words one side wrote (a note, a transition's text), as `viewer` may see them: its own and the receiver's always; the sender's under NOTES. */
export function wordsShownTo(viewer: ReferralSide, writer: ReferralSide, share: ReceiverShare): boolean {
  if (viewer === writer || writer === ReferralSide.RECEIVER) return true;
  return shownTo(viewer, ConsentDataCategory.NOTES, share);
}

/** What a referral's field resolvers need, decided once per referral and viewer. */
export interface ReferralView {
  readonly referralId: string;
  readonly side: ReferralSide.SENDER | ReferralSide.RECEIVER;
  readonly share: ReceiverShare;
  /** The subject of the READ events (the sending organization's client). */
  readonly clientId: string;
  readonly client: ReferredClientModel;
  /** Whether `client` carries any data at all (its reads are then recorded). */
  readonly showsClient: boolean;
  readonly reason: string | null;
  readonly basedOnId: string | null;
}

const FIELDS = CLIENT_DATA_FIELDS.ReferredClient;

function referredClient(side: ReferralSide, share: ReceiverShare, client: ClientSource): ReferredClientModel {
  const show = <T>(field: keyof typeof FIELDS, value: T): T | null =>
    shownTo(side, FIELDS[field], share) ? value : null;
  // An erased client's placeholder name is no personal data: both sides see that the shell's client was erased.
  const erased = client.erasedAt !== null;
  return {
    id: show('id', client.id),
    preferredName: erased ? ERASED_CLIENT_NAME : show('preferredName', client.preferredName),
    erased,
    languages: show('languages', [...client.languages]),
    needs: show('needs', client.needs),
    contact: show('contact', {
      phone: client.contact.phone,
      email: client.contact.email,
      preference: client.contact.preference,
      safeToLeaveMessage: client.contact.safeToLeaveMessage,
    }),
    legalName: show('legalName', client.legalName),
    birthYear: show('birthYear', client.birthYear),
    pronouns: show('pronouns', client.pronouns),
    municipalIdNumber: show('municipalIdNumber', client.municipalIdNumber),
  };
}

/** The side the viewer's organization is on; callers have already checked that it is one of the two. */
export function sideOf(
  viewer: Pick<Actor, 'organizationId'>,
  referral: Pick<ReferralSource, 'sendingOrganization'>,
): ReferralSide.SENDER | ReferralSide.RECEIVER {
  return referral.sendingOrganization.id === viewer.organizationId ? ReferralSide.SENDER : ReferralSide.RECEIVER;
}

/** A referral as one viewer sees it: its GraphQL model, and the view its field resolvers show. */
export interface ViewedReferral {
  readonly model: ReferralModel;
  readonly view: ReferralView;
}

/** Views a referral whose client, consent, service (with organization and locations) and organizations are loaded. */
export function viewReferral(
  viewer: Pick<Actor, 'organizationId'>,
  referral: ReferralSource,
  now: Date,
): ViewedReferral {
  const side = sideOf(viewer, referral);
  const consentActive = isConsentActive(referral.consent, now);
  const share = receiverShare(referral.status, referral.consent, now);
  const model: ReferralModel = {
    id: referral.id,
    side,
    status: referral.status,
    version: referral.version,
    priority: referral.priority,
    outcome: referral.outcome,
    sentAt: referral.sentAt,
    receivedAt: referral.receivedAt,
    updatedAt: referral.updatedAt,
    consentActive,
    sharedCategories: [...share.categories].sort(),
    // Plain fields, not resolvers: a page resolves them for every node.
    service: toServiceOfferingModel(viewer, referral.service),
    sendingOrganization: toOrganizationModel(referral.sendingOrganization),
    receivingOrganization: toOrganizationModel(referral.receivingOrganization),
  };
  const view: ReferralView = {
    referralId: referral.id,
    side,
    share,
    clientId: referral.client.id,
    client: referredClient(side, share, referral.client),
    showsClient: side === ReferralSide.SENDER || share.always,
    reason: shownTo(side, CLIENT_DATA_FIELDS.Referral.reason, share) ? referral.reason : null,
    basedOnId: referral.basedOn?.id ?? null,
  };
  return { model, view };
}

export function toTransitionModel(
  viewer: Pick<Actor, 'organizationId'>,
  view: ReferralView,
  transition: ReferralTransition,
): ReferralTransitionModel {
  return {
    action: transition.action,
    fromStatus: transition.fromStatus,
    toStatus: transition.toStatus,
    side: transition.side,
    organization: toOrganizationModel(transition.organization),
    actorKind: transition.actorKind,
    actorRole: transition.actorRole,
    actorId: transition.organization.id === viewer.organizationId ? transition.actorId : null,
    reasonCode: transition.reasonCode,
    outcome: transition.outcome,
    text: transition.text !== null && wordsShownTo(view.side, transition.side, view.share) ? transition.text : null,
    at: transition.at,
  };
}

export function toNoteModel(
  viewer: Pick<Actor, 'organizationId'>,
  view: Pick<ReferralView, 'side' | 'share'>,
  note: ReferralNote,
): ReferralNoteModel {
  return {
    id: note.id,
    side: note.side,
    organization: toOrganizationModel(note.organization),
    authorKind: note.authorKind,
    authorRole: note.authorRole,
    authorId: note.organization.id === viewer.organizationId ? note.authorId : null,
    body: wordsShownTo(view.side, note.side, view.share) ? note.body : null,
    createdAt: note.createdAt,
  };
}
