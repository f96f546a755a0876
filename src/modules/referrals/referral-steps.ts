import { AuditCategory, type AuditRecorder } from '@harbour/audit';
import { ROLE_PERMISSIONS, Role, type Actor } from '@harbour/authz';
import { Outbox } from '@harbour/outbox';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Organization } from '../organizations/organization.entity';
import { ReasonRequirement, SIDE_PERMISSIONS, type Transition } from './referral-lifecycle';
import { type Referral, ReferralTransition } from './referral.entity';
import {
  ReferralAction,
  ReferralActorKind,
  type ReferralOutcome,
  type ReferralReasonCode,
  ReferralSide,
  type ReferralStatus,
} from './referral.enums';

/** Outbox event type of each action, for partners. */
export const EVENT_TYPES: Readonly<Record<ReferralAction, string>> = {
  [ReferralAction.SEND]: 'referral.sent',
  [ReferralAction.ACCEPT]: 'referral.accepted',
  [ReferralAction.DECLINE]: 'referral.declined',
  [ReferralAction.CANCEL]: 'referral.cancelled',
  [ReferralAction.START]: 'referral.started',
  [ReferralAction.HOLD]: 'referral.held',
  [ReferralAction.RESUME]: 'referral.resumed',
  [ReferralAction.COMPLETE]: 'referral.completed',
  [ReferralAction.CLOSE_UNMET]: 'referral.closed_unmet',
  [ReferralAction.EXPIRE]: 'referral.cancelled',
};

/** Who takes a step: a person or partner system of one side, or Harbour for the sending side. */
export interface StepActor {
  side: ReferralSide;
  organizationId: string;
  kind: ReferralActorKind;
  role: Role | null;
  id: string | null;
}

export interface StepDetails {
  reasonCode?: ReferralReasonCode | null;
  outcome?: ReferralOutcome | null;
  text?: string | null;
}

/**
 * One step of the lifecycle table taken on a loaded referral — by a person, a partner system or
 * Harbour itself — with everything it leaves behind in the caller's transaction: the new state, a
 * history row, an audit event and an outbox event for partners.
 */
@Injectable()
export class ReferralSteps {
  constructor(private readonly outbox: Outbox) {}

  apply(
    em: EntityManager,
    audit: AuditRecorder,
    referral: Referral,
    transition: Transition,
    by: StepActor,
    details: StepDetails,
    at: Date,
  ): void {
    const from = referral.status;
    referral.status = transition.to;
    referral.updatedAt = at;
    if (transition.requires === ReasonRequirement.OUTCOME) referral.outcome = details.outcome ?? null;
    em.create(ReferralTransition, {
      referral,
      action: transition.action,
      fromStatus: from,
      toStatus: transition.to,
      ...stepColumns(em, by),
      reasonCode: details.reasonCode ?? null,
      outcome: details.outcome ?? null,
      text: details.text ?? null,
      at,
    });
    audit.record({
      ...referralEvent(`referral.${transition.action.toLowerCase()}`, AuditCategory.UPDATE, referral),
      details: {
        from,
        to: transition.to,
        side: by.side,
        ...(details.reasonCode ? { reason: details.reasonCode } : {}),
        ...(details.outcome ? { outcome: details.outcome } : {}),
      },
    });
    // The optimistic lock adds one to `version` when this change is flushed.
    this.announce(em, EVENT_TYPES[transition.action], referral, {
      actingOrganizationId: by.kind === ReferralActorKind.SYSTEM ? null : by.organizationId,
      previousStatus: from,
      version: referral.version + 1,
    });
  }

  /**
   * The outbox event of a change to a referral, for both parties: a step (above), or a change that
   * is not one (the sending, the receipt, a note) — for those the status stays and `previousStatus`
   * repeats it.
   */
  announce(em: EntityManager, type: string, referral: Referral, change: ReferralChangeFacts): void {
    this.outbox.add(em, {
      type,
      organizationIds: partiesOf(referral),
      aggregateType: 'Referral',
      aggregateId: referral.id,
      actingOrganizationId: change.actingOrganizationId,
      data: {
        referralId: referral.id,
        status: referral.status,
        previousStatus: change.previousStatus,
        version: change.version,
        serviceId: referral.service.id,
        sendingOrganizationId: referral.sendingOrganization.id,
        receivingOrganizationId: referral.receivingOrganization.id,
        actingOrganizationId: change.actingOrganizationId,
        ...(change.noteId ? { noteId: change.noteId } : {}),
      },
    });
  }
}

/** What an event says beyond the referral's own ids and current status. */
export interface ReferralChangeFacts {
  /** The organization whose person or partner system made the change; null for Harbour's own steps. */
  actingOrganizationId: string | null;
  /** The status before the change (the current one when the change is not a step). */
  previousStatus: ReferralStatus | null;
  /** The referral's version once the change is committed. */
  version: number;
  noteId?: string;
}

/** The actor of a step by a person or partner system of one side, with the role a person acts in on that side. */
export function sideActor(actor: Actor, side: ReferralSide.SENDER | ReferralSide.RECEIVER): StepActor {
  const permission = SIDE_PERMISSIONS[side].act;
  return {
    side,
    organizationId: actor.organizationId,
    kind: actor.kind === 'STAFF' ? ReferralActorKind.STAFF : ReferralActorKind.API_CLIENT,
    role:
      actor.kind === 'STAFF' ? (actor.roles.find((role) => ROLE_PERMISSIONS[role].includes(permission)) ?? null) : null,
    id: actor.id,
  };
}

/** Harbour acting on the sending side's behalf (the consent is the sender's). */
export function harbourFor(referral: Referral): StepActor {
  return {
    side: ReferralSide.SYSTEM,
    organizationId: referral.sendingOrganization.id,
    kind: ReferralActorKind.SYSTEM,
    role: null,
    id: null,
  };
}

export function stepColumns(em: EntityManager, by: StepActor) {
  return {
    side: by.side,
    organization: em.getReference(Organization, by.organizationId),
    actorKind: by.kind,
    actorRole: by.role,
    actorId: by.id,
  };
}

export function referralEvent(action: string, category: AuditCategory, referral: Referral) {
  return { action, category, entityType: 'Referral', entityId: referral.id, subjectClientId: referral.client.id };
}

export function partiesOf(referral: Referral): string[] {
  return [referral.sendingOrganization.id, referral.receivingOrganization.id];
}
