import { auditContextOf, systemContext } from '@harbour/audit/audit-context';
import { type AuditRecorder, AuditTrail } from '@harbour/audit/audit-trail.service';
import { AuditCategory } from '@harbour/audit/audit.types';
import type { Actor } from '@harbour/authz/actor';
import { Role, ROLE_PERMISSIONS } from '@harbour/authz/permissions';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, StateRefusedError } from '@harbour/graphql-kit/errors/domain-error';
import { type Connection, paginate } from '@harbour/graphql-kit/pagination/connection';
import type { CursorKey } from '@harbour/graphql-kit/pagination/cursor';
import { Outbox } from '@harbour/outbox/outbox.service';
import { type FilterQuery, LockMode, type ObjectQuery, OptimisticLockError, raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock } from '../../common/clock';
import { type PrivacyWarning, privacyWarnings } from '../../common/privacy/status-information';
import { asDate, readKey } from '../../database/keyset';
import type { ContactPreference } from '../clients/client.enums';
import { findOwn } from '../clients/clients.service';
import type { ConsentRevocation } from '../consent/consent-revocation';
import { consentStatus } from '../consent/consent-rules';
import { Consent } from '../consent/consent.entity';
import { type ConsentDataCategory, ConsentStatus } from '../consent/consent.enums';
import { isId } from '../directory/directory-query';
import { ServiceStatus } from '../directory/directory.enums';
import { ServiceOffering } from '../directory/service-offering.entity';
import { Organization } from '../organizations/organization.entity';
import { ReferralOutcomeInput, ReferralReasonInput } from './dto/referral-reason.input';
import { ReferralsArgs } from './dto/referrals.args';
import { SendReferralInput } from './dto/send-referral.input';
import { ReferralModel, ReferralNotePayload, ReferralPayload } from './models/referral.model';
import { decideTransition, OPEN_STATUSES, REASON_CODES, ReasonRequirement, SIDE_PERMISSIONS, TERMINAL_STATUSES, type Transition } from './referral-lifecycle';
import { REFERRAL_VIEW, type ReferralSource, receiverShare, sideOf, toNoteModel, toReferralModel } from './referral-view';
import { Referral, ReferralNote, ReferralTransition } from './referral.entity';
import { ReferralAction, ReferralActorKind, ReferralBox, type ReferralOutcome, type ReferralPriority, ReferralReasonCode, ReferralSide, ReferralStatus } from './referral.enums';


/** A referral holds at most this many notes (the list is returned whole). */
export const MAX_NOTES_PER_REFERRAL = 200;

/** Outbox event type of each action, for partners. */
const EVENT_TYPES: Readonly<Record<ReferralAction, string>> = {
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
interface StepActor {
  side: ReferralSide;
  organizationId: string;
  kind: ReferralActorKind;
  role: Role | null;
  id: string | null;
}

interface StepDetails {
  reasonCode?: ReferralReasonCode | null;
  outcome?: ReferralOutcome | null;
  text?: string | null;
}

/**
 * Referrals between organizations: sending under a consent, the lifecycle table, notes, and the
 * consent-scoped view. Every change is an audited transaction that also writes its outbox event;
 * `version` makes the loser of two concurrent transitions fail with CONFLICT.
 */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /**
   * One referral of either side. The receiving side's first read of a SENT referral stamps
   * `receivedAt`, in an audited transaction (listing the inbox does not).
   */
  async get(actor: Actor, id: string): Promise<ReferralModel> {
    const referral = requireParty(id, await findParty(this.em, actor, id));
    const side = sideOf(actor, referral);
    requireSidePermission(actor, side, 'read');
    const model = toReferralModel(actor, referral, this.clock.now());
    if (side === ReferralSide.RECEIVER && referral.status === ReferralStatus.SENT && referral.receivedAt === null) model.receivedAt = await this.stampReceived(actor, referral);
    return model;
  }

  /** The acting organization's inbox or outbox, newest sent first (then by id). */
  async list(actor: Actor, args: ReferralsArgs): Promise<Connection<ReferralModel>> {
    const side = args.box === ReferralBox.INBOX ? ReferralSide.RECEIVER : ReferralSide.SENDER;
    requireSidePermission(actor, side, 'read');
    const where: ObjectQuery<Referral> = {
      ...(side === ReferralSide.RECEIVER ? { receivingOrganization: actor.organizationId } : { sendingOrganization: actor.organizationId }),
      ...(args.status?.length ? { status: { $in: args.status } } : {}),
      ...(args.priority ? { priority: args.priority } : {}),
      ...(args.serviceId ? { service: args.serviceId } : {}),
      ...(args.updatedSince ? { updatedAt: { $gte: args.updatedSince } } : {}),
    };
    const now = this.clock.now();
    return paginate(args, 2, {
      rows: ({ limit, after }) => this.page(after ? { $and: [where, sentBefore(after)] } : where, limit),
      count: () => this.em.count(Referral, where),
      keyOf: (referral) => [referral.sentAt.toISOString(), referral.id],
      toNode: (referral) => toReferralModel(actor, referral, now),
    });
  }

  /**
   * A page of referrals, newest sent first, read without hydrating entities: through MikroORM, the
   * page's referrals, clients and consents (and its services and organizations, joined once per
   * row) cost ≈9 ms of CPU per page of 20; as rows, ≈1 ms. One statement reads them with their
   * client and consent; the few services (with organization and locations) and organizations they
   * name load as entities, in two more.
   */
  private async page(where: ObjectQuery<Referral>, limit: number): Promise<ReferralSource[]> {
    const em = this.em.getContext(false);
    const rows = await em
      .createQueryBuilder(Referral, 'r')
      .select(
        raw(`r.id, r.status, r.priority, r.outcome, r.reason, r.based_on_id, r.service_id, r.sending_organization_id, r.receiving_organization_id,
          to_json(r.sent_at) as sent_at, to_json(r.received_at) as received_at, to_json(r.updated_at) as updated_at,
          c.id as client_id, c.preferred_name, c.languages, c.needs, c.legal_name, c.birth_year, c.pronouns, c.municipal_id_number,
          c.contact_phone, c.contact_email, c.contact_preference, c.contact_safe_to_leave_message,
          to_json(k.revoked_at) as consent_revoked_at, to_json(k.expires_at) as consent_expires_at, k.data_categories as consent_data_categories`),
      )
      .join('r.client', 'c')
      .join('r.consent', 'k')
      .where(where)
      .orderBy([{ sentAt: 'desc' }, { id: 'desc' }])
      .limit(limit)
      .execute<PageRow[]>('all', false);
    if (rows.length === 0) return [];
    const [services, organizations] = await Promise.all([
      em.find(ServiceOffering, { id: { $in: [...new Set(rows.map((row) => row.service_id))] } }, { populate: ['organization', 'locations'] }),
      em.find(Organization, { id: { $in: [...new Set(rows.flatMap((row) => [row.sending_organization_id, row.receiving_organization_id]))] } }),
    ]);
    const service = new Map(services.map((s) => [s.id, s]));
    const organization = new Map(organizations.map((o) => [o.id, o]));
    const date = (value: string | null) => (value === null ? null : new Date(value));
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      priority: row.priority,
      outcome: row.outcome,
      reason: row.reason,
      sentAt: new Date(row.sent_at),
      receivedAt: date(row.received_at),
      updatedAt: new Date(row.updated_at),
      basedOn: row.based_on_id === null ? null : { id: row.based_on_id },
      client: {
        id: row.client_id,
        preferredName: row.preferred_name,
        languages: row.languages,
        needs: row.needs,
        legalName: row.legal_name,
        birthYear: row.birth_year,
        pronouns: row.pronouns,
        municipalIdNumber: row.municipal_id_number,
        contact: { phone: row.contact_phone, email: row.contact_email, preference: row.contact_preference, safeToLeaveMessage: row.contact_safe_to_leave_message },
      },
      consent: { revokedAt: date(row.consent_revoked_at), expiresAt: new Date(row.consent_expires_at), dataCategories: row.consent_data_categories },
      service: service.get(row.service_id)!,
      sendingOrganization: organization.get(row.sending_organization_id)!,
      receivingOrganization: organization.get(row.receiving_organization_id)!,
    }));
  }

  /** The view of a loaded referral the viewer is a party to, or null when its role may not read that side. */
  viewOf(actor: Actor, referral: Referral | null): ReferralModel | null {
    if (!referral || !actor.permissions.has(SIDE_PERMISSIONS[sideOf(actor, referral)].read)) return null;
    return toReferralModel(actor, referral, this.clock.now());
  }

  /**
   * Sends a referral. With an idempotency key, a repeat with the same input returns the referral
   * sent the first time (recorded as a replay), and one with other input is a CONFLICT; two
   * concurrent first sends with one key meet at the unique index, and the loser replays.
   */
  async send(actor: Actor, input: SendReferralInput): Promise<ReferralPayload> {
    const warnings = privacyWarnings({ 'input.reason': input.reason });
    try {
      return await this.sendOnce(actor, input, warnings);
    } catch (error) {
      if (input.idempotencyKey && error instanceof UniqueConstraintViolationException && error.message.includes('referral_idempotency_key_unique')) {
        return this.sendOnce(actor, input, warnings);
      }
      throw error;
    }
  }

  private sendOnce(actor: Actor, input: SendReferralInput, warnings: PrivacyWarning[]): Promise<ReferralPayload> {
    const fingerprint = input.idempotencyKey ? fingerprintOf(input) : null;
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      if (input.idempotencyKey) {
        const earlier = await em.findOne(Referral, { sendingOrganization: actor.organizationId, idempotencyKey: input.idempotencyKey }, { populate: REFERRAL_VIEW });
        if (earlier) {
          if (earlier.idempotencyFingerprint !== fingerprint) {
            throw new ConflictError('This idempotency key was already used to send a different referral: use a new key for a new referral.');
          }
          audit.record({ ...referralEvent('referral.send', AuditCategory.CREATE, earlier), details: { replayed: true } });
          return { referral: toReferralModel(actor, earlier, this.clock.now()), warnings };
        }
      }
      const now = this.clock.now();
      const client = await findOwn(em, actor, input.clientId);
      if (!client) throw new NotFoundError('Client', input.clientId);
      const service = await em.findOne(ServiceOffering, { id: input.serviceId }, { populate: ['organization', 'locations'] });
      if (!service) throw new NotFoundError('Service', input.serviceId);
      requireReferrable(actor, service);
      const consent = await em.findOne(Consent, { id: input.consentId, organization: actor.organizationId }, { lockMode: LockMode.PESSIMISTIC_READ });
      if (!consent) throw new NotFoundError('Consent', input.consentId);
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
        details: { serviceId: service.id, receivingOrganizationId: service.organization.id, priority: referral.priority, warnings: warnings.map((w) => w.field) },
      });
      this.outbox.add(em, { type: EVENT_TYPES[ReferralAction.SEND], organizationIds: [actor.organizationId, service.organization.id], aggregateType: 'Referral', aggregateId: referral.id });
      await em.flush();
      await em.populate(referral, REFERRAL_VIEW);
      return { referral: toReferralModel(actor, referral, now), warnings };
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
  ): Promise<ReferralPayload> {
    requireNoReasonProblems(action, given.reason);
    const text = given.reason?.text?.trim() || given.outcome?.text?.trim() || null;
    const warnings = privacyWarnings({ [given.reason ? 'reason.text' : 'outcome.text']: text });
    try {
      return await this.audit.transaction(auditContextOf(actor), async (em, audit) => {
        // One order of checks: visibility (NOT_FOUND), the role's permission on this side (FORBIDDEN),
        // then the state (BAD_USER_INPUT): a caller who may not work this side never learns the state.
        const referral = requireParty(id, await findParty(em, actor, id));
        const side = sideOf(actor, referral);
        requireSidePermission(actor, side, 'act');
        const decision = decideTransition(referral.status, action, side);
        if (!decision.allowed) throw new StateRefusedError(decision.message, [{ field: 'id', message: `referral is ${referral.status}` }]);
        const now = this.clock.now();
        requireConsentAllows(action, referral, now);
        this.applyStep(em, audit, referral, decision.transition, sideActor(actor, side), { reasonCode: given.reason?.code, outcome: given.outcome?.code, text }, now);
        await em.flush();
        return { referral: toReferralModel(actor, referral, now), warnings };
      });
    } catch (error) {
      if (error instanceof OptimisticLockError) {
        throw new ConflictError('The referral changed while this request was being handled (another change won): read it again before retrying.');
      }
      throw error;
    }
  }

  async addNote(actor: Actor, referralId: string, body: string): Promise<ReferralNotePayload> {
    const warnings = privacyWarnings({ 'input.body': body });
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const referral = requireParty(referralId, await findParty(em, actor, referralId));
      const side = sideOf(actor, referral);
      requireSidePermission(actor, side, 'act');
      if (TERMINAL_STATUSES.has(referral.status)) {
        throw new StateRefusedError(`The referral is ${referral.status}, a terminal state: it takes no more notes.`, [{ field: 'referralId', message: `referral is ${referral.status}` }]);
      }
      if ((await em.count(ReferralNote, { referral })) >= MAX_NOTES_PER_REFERRAL) {
        throw new BadUserInputError(`A referral holds at most ${MAX_NOTES_PER_REFERRAL} notes.`, [{ field: 'referralId', message: 'too many notes' }]);
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
      audit.record({ ...referralEvent('referral.note.add', AuditCategory.CREATE, referral), details: { side, noteId: note.id, warnings: warnings.map((w) => w.field) } });
      this.outbox.add(em, { type: 'referral.note_added', organizationIds: partiesOf(referral), aggregateType: 'Referral', aggregateId: referral.id });
      await em.flush();
      const share = receiverShare(referral.status, referral.consent, now);
      return { note: toNoteModel(actor, { side, share }, note), warnings };
    });
  }

  /**
   * The revocation step: every open referral under the revoked consent is cancelled by Harbour
   * (`CONSENT_WITHDRAWN`) in the revocation's transaction. Every organization that received a
   * referral under it, open or closed, is told (`consent.revoked`). The open rows are locked, so a
   * transition racing the revocation loses with CONFLICT.
   */
  async cancelUnderRevokedConsent(revocation: ConsentRevocation): Promise<void> {
    const { em, audit, consent, revokedAt } = revocation;
    const open = await em.find(Referral, { consent, status: { $in: OPEN_STATUSES } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: [{ sentAt: 'asc' }, { id: 'asc' }] });
    for (const referral of open) {
      const decision = decideTransition(referral.status, ReferralAction.CANCEL, ReferralSide.SYSTEM);
      if (!decision.allowed) throw new Error(`Lifecycle table refuses Harbour's cancellation of a ${referral.status} referral`);
      this.applyStep(em, audit, referral, decision.transition, harbourFor(referral), { reasonCode: ReferralReasonCode.CONSENT_WITHDRAWN }, revokedAt);
    }
    for (const referral of await em.find(Referral, { consent }, { fields: ['receivingOrganization'] })) revocation.notify(referral.receivingOrganization.id);
  }

  /**
   * The expiry sweep: cancels (`CONSENT_EXPIRED`) the referrals still SENT whose consent has
   * expired, one audited transaction per sending organization, recorded in its chain as Harbour's.
   * Reads never show data under an expired consent, whether or not the sweep has run.
   */
  async expireSent(now: Date = this.clock.now()): Promise<number> {
    const due = await this.em.fork().find(
      Referral,
      { status: ReferralStatus.SENT, consent: { revokedAt: null, expiresAt: { $lte: now } } },
      { fields: ['id', 'sendingOrganization'], orderBy: [{ sentAt: 'asc' }, { id: 'asc' }], limit: 1000 },
    );
    const byOrganization = new Map<string, string[]>();
    for (const referral of due) byOrganization.set(referral.sendingOrganization.id, [...(byOrganization.get(referral.sendingOrganization.id) ?? []), referral.id]);
    let expired = 0;
    for (const [organizationId, ids] of byOrganization) {
      expired += await this.audit.transaction(systemContext(organizationId), async (em, audit) => {
        audit.record({ action: 'referral.expirySweep', category: AuditCategory.EXECUTE, details: { candidates: ids.length } });
        const locked = await em.find(Referral, { id: { $in: ids }, status: ReferralStatus.SENT }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        await em.populate(locked, ['consent']);
        const stillDue = locked.filter((referral) => consentStatus(referral.consent, now) === ConsentStatus.EXPIRED);
        for (const referral of stillDue) {
          const decision = decideTransition(referral.status, ReferralAction.EXPIRE, ReferralSide.SYSTEM);
          if (!decision.allowed) throw new Error(`Lifecycle table refuses Harbour's expiry of a ${referral.status} referral`);
          this.applyStep(em, audit, referral, decision.transition, harbourFor(referral), { reasonCode: ReferralReasonCode.CONSENT_EXPIRED }, now);
        }
        await em.flush();
        return stillDue.length;
      });
    }
    return expired;
  }

  /** One step of the table on a loaded referral: its new state, history row, audit event and outbox event. */
  private applyStep(em: EntityManager, audit: AuditRecorder, referral: Referral, transition: Transition, by: StepActor, details: StepDetails, at: Date): void {
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
      details: { from, to: transition.to, side: by.side, ...(details.reasonCode ? { reason: details.reasonCode } : {}), ...(details.outcome ? { outcome: details.outcome } : {}) },
    });
    this.outbox.add(em, { type: EVENT_TYPES[transition.action], organizationIds: partiesOf(referral), aggregateType: 'Referral', aggregateId: referral.id });
  }

  /** Stamps the first opening; the loaded entity stays untouched (a later flush of this request must not write it). */
  private async stampReceived(actor: Actor, referral: Referral): Promise<Date> {
    const now = this.clock.now();
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const stamped = await em.nativeUpdate(Referral, { id: referral.id, receivedAt: null }, { receivedAt: now, updatedAt: now });
      audit.record({ ...referralEvent('referral.receive', AuditCategory.UPDATE, referral), details: { stamped: stamped > 0 } });
      if (stamped === 0) return (await em.findOneOrFail(Referral, referral.id, { fields: ['receivedAt'], disableIdentityMap: true })).receivedAt ?? now;
      this.outbox.add(em, { type: 'referral.received', organizationIds: partiesOf(referral), aggregateType: 'Referral', aggregateId: referral.id });
      return now;
    });
  }

  /** An earlier referral the caller's organization sent for the same client. */
  private async requireBasis(em: EntityManager, actor: Actor, id: string, clientId: string): Promise<Referral> {
    const basis = isId(id) ? await em.findOne(Referral, { id, sendingOrganization: actor.organizationId }) : null;
    if (!basis) throw new NotFoundError('Referral', id);
    if (basis.client.id !== clientId) {
      throw new BadUserInputError('A referral can only be based on an earlier referral of the same client.', [{ field: 'input.basedOnId', message: 'is a referral of another client' }]);
    }
    return basis;
  }
}

/** A referral the actor's organization sent or received, with everything its view needs; null otherwise. */
async function findParty(em: EntityManager, actor: Actor, id: string): Promise<Referral | null> {
  if (!isId(id)) return null;
  return em.findOne(Referral, { id, $or: [{ sendingOrganization: actor.organizationId }, { receivingOrganization: actor.organizationId }] }, { populate: REFERRAL_VIEW });
}

function requireParty(id: string, referral: Referral | null): Referral {
  if (!referral) throw new NotFoundError('Referral', id);
  return referral;
}

/** The caller's organization is a party, but the caller's role may not work this side (a shelter's INTAKE and its outbox). */
function requireSidePermission(actor: Actor, side: ReferralSide.SENDER | ReferralSide.RECEIVER, need: 'read' | 'act'): void {
  if (!actor.permissions.has(SIDE_PERMISSIONS[side][need])) {
    const box = side === ReferralSide.SENDER ? 'sent (outbox)' : 'received (inbox)';
    throw new ForbiddenError(`Your role may not ${need === 'read' ? 'read' : 'work'} the referrals your organization ${box}.`);
  }
}

function requireReferrable(actor: Actor, service: ServiceOffering): void {
  if (service.organization.id === actor.organizationId) {
    throw new BadUserInputError("This is your own organization's service: referrals go to other organizations.", [{ field: 'input.serviceId', message: 'is your own service' }]);
  }
  if (service.status !== ServiceStatus.ACTIVE || !service.acceptsReferrals || !service.organization.active) {
    const why = service.status !== ServiceStatus.ACTIVE ? `is ${service.status}` : 'does not accept referrals';
    throw new BadUserInputError(`The service ${why}: choose an ACTIVE service that accepts referrals.`, [{ field: 'input.serviceId', message: why }]);
  }
}

function requireConsentCovers(consent: Consent, clientId: string, recipient: Organization, now: Date): void {
  const problem = (message: string) => new BadUserInputError(message, [{ field: 'input.consentId', message }]);
  if (consent.client.id !== clientId) throw problem("the consent is another client's");
  const status = consentStatus(consent, now);
  if (status !== ConsentStatus.ACTIVE) throw problem(`the consent is ${status}: record a new consent with the client first`);
  if (consent.recipientOrganizationIds.length === 0) throw problem('the client refused consent: no referral can be sent under a refusal');
  if (!consent.recipientOrganizationIds.includes(recipient.id)) throw problem(`the consent does not name ${recipient.name}: record a consent that names it first`);
}

/**
 * A referral is taken on only under an active consent: one whose consent expired while it was SENT
 * is Harbour's to cancel (CONSENT_EXPIRED), whether or not the sweep has run yet.
 */
function requireConsentAllows(action: ReferralAction, referral: Referral, now: Date): void {
  if (action !== ReferralAction.ACCEPT) return;
  const status = consentStatus(referral.consent, now);
  if (status !== ConsentStatus.ACTIVE) {
    throw new StateRefusedError(`The client's consent is ${status}: the referral can no longer be accepted, and Harbour cancels it.`, [{ field: 'id', message: `consent is ${status}` }]);
  }
}

function requireNoReasonProblems(action: ReferralAction, reason: ReferralReasonInput | undefined): void {
  if (!reason) return;
  const allowed = REASON_CODES[action] ?? [];
  if (!allowed.includes(reason.code)) {
    throw new BadUserInputError(`${reason.code} is not a reason for this action: use one of ${allowed.join(', ')}.`, [{ field: 'reason.code', message: `must be one of ${allowed.join(', ')}` }]);
  }
  if (reason.code === ReferralReasonCode.OTHER && !reason.text?.trim()) {
    throw new BadUserInputError('A text is required with reason OTHER.', [{ field: 'reason.text', message: 'is required with OTHER' }]);
  }
}

/** The actor of a step by a person or partner system of one side, with the role a person acts in on that side. */
function sideActor(actor: Actor, side: ReferralSide.SENDER | ReferralSide.RECEIVER): StepActor {
  const permission = SIDE_PERMISSIONS[side].act;
  return {
    side,
    organizationId: actor.organizationId,
    kind: actor.kind === 'STAFF' ? ReferralActorKind.STAFF : ReferralActorKind.API_CLIENT,
    role: actor.kind === 'STAFF' ? (actor.roles.find((role) => ROLE_PERMISSIONS[role].includes(permission)) ?? null) : null,
    id: actor.id,
  };
}

/** Harbour acting on the sending side's behalf (the consent is the sender's). */
function harbourFor(referral: Referral): StepActor {
  return { side: ReferralSide.SYSTEM, organizationId: referral.sendingOrganization.id, kind: ReferralActorKind.SYSTEM, role: null, id: null };
}

function stepColumns(em: EntityManager, by: StepActor) {
  return { side: by.side, organization: em.getReference(Organization, by.organizationId), actorKind: by.kind, actorRole: by.role, actorId: by.id };
}

function referralEvent(action: string, category: AuditCategory, referral: Referral) {
  return { action, category, entityType: 'Referral', entityId: referral.id, subjectClientId: referral.client.id };
}

function partiesOf(referral: Referral): string[] {
  return [referral.sendingOrganization.id, referral.receivingOrganization.id];
}

/** The input that an idempotency key stands for: a repeat must match it exactly. */
function fingerprintOf(input: SendReferralInput): string {
  const fields = [input.clientId, input.serviceId, input.consentId, input.basedOnId ?? null].map((id) => id?.toLowerCase() ?? null);
  return createHash('sha256')
    .update(JSON.stringify([...fields, input.priority, input.reason]))
    .digest('hex');
}

/** A row of a page (see ReferralsService.page): timestamps as ISO strings (to_json), arrays parsed. */
interface PageRow {
  id: string;
  status: ReferralStatus;
  priority: ReferralPriority;
  outcome: ReferralOutcome | null;
  reason: string;
  based_on_id: string | null;
  service_id: string;
  sending_organization_id: string;
  receiving_organization_id: string;
  sent_at: string;
  received_at: string | null;
  updated_at: string;
  client_id: string;
  preferred_name: string;
  languages: string[];
  needs: string | null;
  legal_name: string | null;
  birth_year: number | null;
  pronouns: string | null;
  municipal_id_number: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  contact_preference: ContactPreference;
  contact_safe_to_leave_message: boolean;
  consent_revoked_at: string | null;
  consent_expires_at: string;
  consent_data_categories: ConsentDataCategory[];
}

/** Rows strictly after the cursor under (sentAt desc, id desc). */
function sentBefore(after: CursorKey): FilterQuery<Referral> {
  const { sort, id } = readKey(after, asDate);
  return { $or: [{ sentAt: { $lt: sort } }, { sentAt: sort, id: { $lt: id } }] };
}
