import { AuditCategory, type AuditRecorder, AuditTrail, auditContextOf } from '@harbour/audit';
import { hasPermission, type Actor } from '@harbour/authz';
import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  StateRefusedError,
  paginate,
  type Connection,
} from '@harbour/graphql-kit';
import { LockMode, OptimisticLockError } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AccessGate } from '../../access/access-gate';
import { Clock } from '../../common/clock';
import { isId } from '../../common/ids';
import { type PrivacyWarning, privacyWarnings } from '../../common/privacy/status-information';
import { Idempotency } from '../../idempotency/idempotency.service';
import { requireNotErased } from '../clients';
import { Client } from '../clients/client.entity';
import { Consent } from '../consent/consent.entity';
import { ServiceOffering } from '../directory/service-offering.entity';
import { Organization } from '../organizations/organization.entity';
import { ReferralOutcomeInput, ReferralReasonInput } from './dto/referral-reason.input';
import { ReferralsArgs } from './dto/referrals.args';
import { SendReferralInput } from './dto/send-referral.input';
import { decideTransition, SIDE_PERMISSIONS } from './referral-lifecycle';
import { ReferralPageQuery, type ReferralPageFilter } from './referral-page.query';
import {
  CLIENT_COLUMNS,
  CONSENT_TERMS_COLUMNS,
  clientOf,
  consentOf,
  directoryRows,
  type ClientRow,
  type ConsentTermsRow,
} from './referral-rows';
import {
  requireConsentAllows,
  requireConsentCovers,
  requireExpectedVersion,
  requireNoReasonProblems,
  requireReferrable,
  requireSidePermission,
  sendIdentity,
} from './referral-rules';
import { EVENT_TYPES, referralEvent, ReferralSteps, sideActor, stepColumns } from './referral-steps';
import { sideOf, viewReferral, type ViewedReferral } from './referral-view';
import { Referral, ReferralTransition, sameVersion } from './referral.entity';
import { ReferralAction, ReferralBox, ReferralSide, ReferralStatus } from './referral.enums';

/** A referral after a change, with warnings for the writer about what was written. */
export interface ReferralChange {
  referral: ViewedReferral;
  warnings: PrivacyWarning[];
}

/** A lifecycle step as the caller asked for it (the arguments of `acceptReferral` … `cancelReferral`). */
export interface ReferralStep {
  id: string;
  reason?: ReferralReasonInput;
  outcome?: ReferralOutcomeInput;
  expectedVersion?: number | null;
  idempotencyKey?: string | null;
}

/** The steps a caller takes on an existing referral (sending creates one; expiry is Harbour's). */
export type CallerStepAction = Exclude<ReferralAction, ReferralAction.SEND | ReferralAction.EXPIRE>;

/** The mutation of each step, which its idempotency keys belong to. */
const STEP_OPERATIONS: Readonly<Record<CallerStepAction, string>> = {
  [ReferralAction.ACCEPT]: 'acceptReferral',
  [ReferralAction.DECLINE]: 'declineReferral',
  [ReferralAction.START]: 'startReferral',
  [ReferralAction.HOLD]: 'holdReferral',
  [ReferralAction.RESUME]: 'resumeReferral',
  [ReferralAction.COMPLETE]: 'completeReferral',
  [ReferralAction.CLOSE_UNMET]: 'closeReferralUnmet',
  [ReferralAction.CANCEL]: 'cancelReferral',
};

/**
 * The use cases of referrals: read one, list a box, send, take a step of the lifecycle (notes are
 * ReferralNotesService's). Every change is an audited transaction that also writes its outbox
 * event, and takes an idempotency key (src/idempotency); `version` makes the loser of two
 * concurrent transitions fail with CONFLICT. The rules live in referral-rules.ts, the page query in
 * referral-page.query.ts, Harbour's own steps in referral-system-steps.ts.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly idempotency: Idempotency,
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
    const filter: ReferralPageFilter = {
      side,
      organizationId: actor.organizationId,
      status: args.status,
      priority: args.priority,
      serviceId: args.serviceId,
      updatedSince: args.updatedSince,
    };
    const now = this.clock.now();
    return paginate(args, 2, {
      rows: ({ limit, after }) => this.pages.page(filter, after, limit),
      count: () => this.pages.count(filter),
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
   * Sends a referral. With an idempotency key, a repeat with the same input answers with the
   * referral sent the first time, as it is now (recorded as a replay), and one with other input is
   * a CONFLICT (src/idempotency).
   */
  async send(actor: Actor, input: SendReferralInput): Promise<ReferralChange> {
    const warnings = privacyWarnings({ 'input.reason': input.reason });
    const request = { operation: 'sendReferral', key: input.idempotencyKey, input: sendIdentity(input) };
    return this.idempotency.transaction(actor, request, {
      perform: async (em, audit) => {
        const referral = await this.sendNow(em, audit, actor, input, warnings);
        return { objectId: referral.model.id, answer: { referral, warnings } };
      },
      replay: async (em, referralId) => {
        const referral = await this.access.require(em, actor, 'Referral', referralId);
        return {
          answer: { referral: viewReferral(actor, referral, this.clock.now()), warnings },
          event: referralEvent('referral.send', AuditCategory.CREATE, referral),
        };
      },
    });
  }

  /**
   * The sending itself. What it checks and shows is read as rows (AccessGate.requireRow, the
   * directory's row readers), not as entities: through MikroORM's entity loads these reads were most
   * of sendReferral's CPU. The referral and its first step are still written through the unit of
   * work, with the outbox event, in the caller's transaction.
   */
  private async sendNow(
    em: EntityManager,
    audit: AuditRecorder,
    actor: Actor,
    input: SendReferralInput,
    warnings: PrivacyWarning[],
  ): Promise<ViewedReferral> {
    const now = this.clock.now();
    // Shared lock: an erasure of the client waits for this referral (which then holds it back), or ran first (and this sees it).
    const clientRow = await this.access.requireRow<ClientRow>(em, actor, 'Client', input.clientId, {
      alias: 'c',
      columns: CLIENT_COLUMNS,
      lock: LockMode.PESSIMISTIC_READ,
    });
    const client = clientOf(clientRow);
    requireNotErased(client, 'input.clientId');
    if (!isId(input.serviceId)) throw new NotFoundError('Service', input.serviceId);
    const { services, organizations } = await directoryRows(em, [input.serviceId], [actor.organizationId]);
    const service = services.get(input.serviceId.toLowerCase());
    if (!service) throw new NotFoundError('Service', input.serviceId);
    requireReferrable(actor, service);
    const consentRow = await this.access.requireRow<ConsentTermsRow>(em, actor, 'Consent', input.consentId, {
      alias: 'k',
      columns: CONSENT_TERMS_COLUMNS,
      lock: LockMode.PESSIMISTIC_READ,
    });
    const consent = consentOf(consentRow);
    requireConsentCovers(
      { ...consent, clientId: consentRow.consent_client_id, recipientOrganizationIds: consentRow.consent_recipients },
      client.id,
      service.organization,
      now,
    );
    const basedOn = input.basedOnId ? await this.requireBasis(em, actor, input.basedOnId, client.id) : null;
    const referral = em.create(Referral, {
      client: em.getReference(Client, client.id),
      sendingOrganization: em.getReference(Organization, actor.organizationId),
      receivingOrganization: em.getReference(Organization, service.organization.id),
      service: em.getReference(ServiceOffering, service.id),
      consent: em.getReference(Consent, input.consentId),
      basedOn,
      priority: input.priority,
      reason: input.reason,
      sentBy: actor.id,
      sentAt: now,
      updatedAt: now,
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
    return viewReferral(
      actor,
      {
        id: referral.id,
        status: referral.status,
        version: referral.version,
        priority: referral.priority,
        outcome: referral.outcome,
        reason: referral.reason,
        sentAt: referral.sentAt,
        receivedAt: referral.receivedAt,
        updatedAt: referral.updatedAt,
        basedOn,
        client,
        consent,
        service,
        sendingOrganization: organizations.get(actor.organizationId)!,
        receivingOrganization: service.organization,
      },
      now,
    );
  }

  /**
   * Moves a referral along the lifecycle table on behalf of the caller's side. A stale
   * `expectedVersion` is CONFLICT, before the state is looked at; illegal moves are BAD_USER_INPUT
   * naming the current state; losing a race to another change is CONFLICT. With an idempotency key,
   * a repeat of a step already taken answers with the referral as it is now instead of failing.
   */
  async transition(actor: Actor, action: CallerStepAction, step: ReferralStep): Promise<ReferralChange> {
    const { reason, outcome } = step;
    requireNoReasonProblems(action, reason);
    const text = reason?.text?.trim() || outcome?.text?.trim() || null;
    const warnings = privacyWarnings({ [reason ? 'reason.text' : 'outcome.text']: text });
    const request = {
      operation: STEP_OPERATIONS[action],
      key: step.idempotencyKey,
      input: { id: step.id.toLowerCase(), reason, outcome },
    };
    try {
      return await this.idempotency.transaction(actor, request, {
        perform: async (em, audit) => {
          // One order of checks: visibility (NOT_FOUND), the role's permission on this side (FORBIDDEN),
          // the version the caller read (CONFLICT), then the state (BAD_USER_INPUT): a caller who may
          // not work this side never learns the state.
          const referral = await this.access.require(em, actor, 'Referral', step.id);
          const side = sideOf(actor, referral);
          requireSidePermission(actor, side, 'act');
          requireExpectedVersion(referral, step.expectedVersion);
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
            { reasonCode: reason?.code, outcome: outcome?.code, text },
            now,
          );
          await em.flush();
          return { objectId: referral.id, answer: { referral: viewReferral(actor, referral, now), warnings } };
        },
        replay: async (em, referralId) => {
          const referral = await this.access.require(em, actor, 'Referral', referralId);
          requireSidePermission(actor, sideOf(actor, referral), 'act');
          return {
            answer: { referral: viewReferral(actor, referral, this.clock.now()), warnings },
            event: referralEvent(`referral.${action.toLowerCase()}`, AuditCategory.UPDATE, referral),
          };
        },
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

  private async stampReceived(actor: Actor, referral: Referral): Promise<Date> {
    const now = this.clock.now();
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const stamped = await em.nativeUpdate(
        Referral,
        { id: referral.id, receivedAt: null },
        { receivedAt: now, updatedAt: now, ...sameVersion() },
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
