import { registerEnumType } from '@nestjs/graphql';

/**
 * A referral's state. Maps one-to-one onto FHIR Task.status as profiled by the Gravity Project's
 * SDOH referrals: SENT = requested, ACCEPTED = accepted, IN_PROGRESS = in-progress, ON_HOLD =
 * on-hold, COMPLETED = completed, UNMET = failed, DECLINED = rejected, CANCELLED = cancelled.
 */
export enum ReferralStatus {
  SENT = 'SENT',
  ACCEPTED = 'ACCEPTED',
  IN_PROGRESS = 'IN_PROGRESS',
  ON_HOLD = 'ON_HOLD',
  COMPLETED = 'COMPLETED',
  UNMET = 'UNMET',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
}

/** What moved a referral from one state to the next (SEND creates it). */
export enum ReferralAction {
  SEND = 'SEND',
  ACCEPT = 'ACCEPT',
  DECLINE = 'DECLINE',
  CANCEL = 'CANCEL',
  START = 'START',
  HOLD = 'HOLD',
  RESUME = 'RESUME',
  COMPLETE = 'COMPLETE',
  CLOSE_UNMET = 'CLOSE_UNMET',
  /** Harbour itself, when the consent expired while the referral was still SENT. */
  EXPIRE = 'EXPIRE',
}

/** Which side of a referral acted: the organization that sent it, the one that received it, or Harbour. */
export enum ReferralSide {
  SENDER = 'SENDER',
  RECEIVER = 'RECEIVER',
  SYSTEM = 'SYSTEM',
}

export enum ReferralPriority {
  ROUTINE = 'ROUTINE',
  URGENT = 'URGENT',
}

/** Which referrals to list: those your organization received, or those it sent. */
export enum ReferralBox {
  INBOX = 'INBOX',
  OUTBOX = 'OUTBOX',
}

/** Why a referral was declined, cancelled, put on hold or closed unmet. Which codes fit which action is in referral-lifecycle.ts. */
export enum ReferralReasonCode {
  NO_CAPACITY = 'NO_CAPACITY',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  SERVICE_NOT_OFFERED = 'SERVICE_NOT_OFFERED',
  DUPLICATE = 'DUPLICATE',
  WAITLISTED = 'WAITLISTED',
  AWAITING_CLIENT = 'AWAITING_CLIENT',
  CLIENT_UNREACHABLE = 'CLIENT_UNREACHABLE',
  CLIENT_DECLINED_SERVICE = 'CLIENT_DECLINED_SERVICE',
  CLIENT_REQUEST = 'CLIENT_REQUEST',
  NO_LONGER_NEEDED = 'NO_LONGER_NEEDED',
  SENT_IN_ERROR = 'SENT_IN_ERROR',
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
  CONSENT_EXPIRED = 'CONSENT_EXPIRED',
  OTHER = 'OTHER',
}

/** How a completed referral ended. */
export enum ReferralOutcome {
  SERVICE_PROVIDED = 'SERVICE_PROVIDED',
  PARTIALLY_PROVIDED = 'PARTIALLY_PROVIDED',
}

/** Who acted, by kind: a person, a partner system, or Harbour itself. */
export enum ReferralActorKind {
  STAFF = 'STAFF',
  API_CLIENT = 'API_CLIENT',
  SYSTEM = 'SYSTEM',
}

registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description:
    'The state of a referral (FHIR Task.status as profiled for SDOH referrals). COMPLETED, UNMET, DECLINED and CANCELLED are terminal: nothing changes after them.',
  valuesMap: {
    SENT: { description: 'Sent and waiting for the receiving organization to accept or decline (FHIR `requested`).' },
    ACCEPTED: { description: 'The receiving organization has taken it on (FHIR `accepted`).' },
    IN_PROGRESS: { description: 'The receiving organization is working with the client (FHIR `in-progress`).' },
    ON_HOLD: { description: 'Paused, for example on a waitlist (FHIR `on-hold`).' },
    COMPLETED: { description: 'Terminal: the service was provided, with an outcome (FHIR `completed`).' },
    UNMET: { description: 'Terminal: the need could not be met (FHIR `failed`).' },
    DECLINED: { description: 'Terminal: the receiving organization declined it (FHIR `rejected`).' },
    CANCELLED: {
      description:
        'Terminal: withdrawn by the sending organization, or by Harbour when the consent was revoked or expired (FHIR `cancelled`).',
    },
  },
});

registerEnumType(ReferralAction, {
  name: 'ReferralAction',
  description: 'What happened to a referral at one step of its history.',
  valuesMap: {
    SEND: { description: 'The sending organization sent it (`sendReferral`).' },
    ACCEPT: { description: 'The receiving organization accepted it (`acceptReferral`).' },
    DECLINE: { description: 'The receiving organization declined it (`declineReferral`).' },
    CANCEL: {
      description:
        'The sending organization cancelled it (`cancelReferral`), or Harbour did when the consent was revoked.',
    },
    START: { description: 'The receiving organization started working with the client (`startReferral`).' },
    HOLD: { description: 'The receiving organization put it on hold (`holdReferral`).' },
    RESUME: { description: 'The receiving organization resumed it (`resumeReferral`).' },
    COMPLETE: { description: 'The receiving organization completed it with an outcome (`completeReferral`).' },
    CLOSE_UNMET: { description: 'The receiving organization closed it with the need unmet (`closeReferralUnmet`).' },
    EXPIRE: { description: 'Harbour cancelled it because the consent expired while it was still SENT.' },
  },
});

registerEnumType(ReferralSide, {
  name: 'ReferralSide',
  description: 'Which side of a referral acted.',
  valuesMap: {
    SENDER: { description: 'The sending organization (its caseworkers or partner systems).' },
    RECEIVER: { description: 'The receiving organization (its intake staff or partner systems).' },
    SYSTEM: { description: 'Harbour itself, applying a consent revocation or expiry.' },
  },
});

registerEnumType(ReferralPriority, {
  name: 'ReferralPriority',
  description: 'How soon the client needs the service.',
  valuesMap: {
    ROUTINE: { description: 'In the normal course.' },
    URGENT: { description: 'As soon as possible.' },
  },
});

registerEnumType(ReferralBox, {
  name: 'ReferralBox',
  description: "Which of your organization's referrals to list.",
  valuesMap: {
    INBOX: { description: 'Referrals addressed to your organization.' },
    OUTBOX: { description: 'Referrals your organization sent.' },
  },
});

registerEnumType(ReferralReasonCode, {
  name: 'ReferralReasonCode',
  description:
    "Why a referral was declined, cancelled, put on hold or closed unmet. Each action accepts its own codes (the error lists them); OTHER needs a text. NOT_ELIGIBLE means the service's published criteria (age, area), nothing else.",
  valuesMap: {
    NO_CAPACITY: { description: 'The service has no room now (decline, hold, close unmet).' },
    NOT_ELIGIBLE: {
      description:
        "The client is outside the service's published criteria, such as age or area (decline, close unmet).",
    },
    SERVICE_NOT_OFFERED: { description: 'The service does not offer what is asked (decline).' },
    DUPLICATE: { description: 'Another referral already covers this need (decline, cancel).' },
    WAITLISTED: { description: 'The client is on the waitlist (hold).' },
    AWAITING_CLIENT: { description: 'Waiting for the client, for example for an appointment they chose (hold).' },
    CLIENT_UNREACHABLE: {
      description: 'The client could not be reached in the way they agreed to (hold, close unmet).',
    },
    CLIENT_DECLINED_SERVICE: { description: 'The client decided not to use the service (close unmet).' },
    CLIENT_REQUEST: { description: 'The client asked for the referral to be withdrawn (cancel).' },
    NO_LONGER_NEEDED: { description: 'The need was met otherwise or has passed (cancel, close unmet).' },
    SENT_IN_ERROR: { description: 'The referral was sent by mistake (cancel).' },
    CONSENT_WITHDRAWN: {
      description: 'Set by Harbour only: the client revoked the consent the referral was sent under.',
    },
    CONSENT_EXPIRED: { description: 'Set by Harbour only: the consent expired while the referral was still SENT.' },
    OTHER: { description: 'Another reason, explained in the text (any action that takes a reason).' },
  },
});

registerEnumType(ReferralOutcome, {
  name: 'ReferralOutcome',
  description: 'How a completed referral ended.',
  valuesMap: {
    SERVICE_PROVIDED: { description: 'The client received the service.' },
    PARTIALLY_PROVIDED: { description: 'The client received part of the service; the text may say what remains.' },
  },
});

registerEnumType(ReferralActorKind, {
  name: 'ReferralActorKind',
  description: 'Who acted on a referral, by kind.',
  valuesMap: {
    STAFF: { description: 'A staff member, named only to their own organization.' },
    API_CLIENT: { description: "One of the organization's partner systems." },
    SYSTEM: { description: 'Harbour itself.' },
  },
});
