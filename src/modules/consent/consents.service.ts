import { auditContextOf } from '@harbour/audit/audit-context';
import { AuditTrail } from '@harbour/audit/audit-trail.service';
import { AuditCategory } from '@harbour/audit/audit.types';
import type { Actor } from '@harbour/authz/actor';
import { requireOwnedBy } from '@harbour/authz/object-access';
import { BadUserInputError, NotFoundError } from '@harbour/graphql-kit/errors/domain-error';
import { type Connection, paginate } from '@harbour/graphql-kit/pagination/connection';
import type { CursorKey } from '@harbour/graphql-kit/pagination/cursor';
import { Outbox } from '@harbour/outbox/outbox.service';
import { type FilterQuery, LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { privacyWarnings } from '../../common/privacy/status-information';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { asDate, readKey } from '../../database/keyset';
import { ClientDataPurpose } from '../clients/client-reads';
import { findOwn } from '../clients/clients.service';
import { isId } from '../directory/directory-query';
import { requireNoProblems } from '../directory/directory-rules';
import { Organization } from '../organizations/organization.entity';
import { ConsentRevocationSteps } from './consent-revocation';
import { consentStatusFilter, consentTermsProblems, revocationProblems } from './consent-rules';
import { Consent } from './consent.entity';
import { ConsentStatus } from './consent.enums';
import { organizationIdsOf, toConsentModel } from './consent.mapper';
import { ClientConsentsArgs } from './dto/client-consents.args';
import { ConsentRevocationInput } from './dto/consent-revocation.input';
import { RecordConsentInput } from './dto/record-consent.input';
import { ConsentModel, RevokeConsentPayload } from './models/consent.model';

/**
 * Consents of an organization's own clients. Recording and revoking are audited transactions;
 * a revocation also writes its `consent.revoked` outbox event and runs the registered revocation
 * steps (cancelling referrals) in the same transaction. Status is computed against the Clock on
 * every read.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly revocationSteps: ConsentRevocationSteps,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A read of client data: its READ event is committed before the consent is returned. */
  async get(actor: Actor, id: string): Promise<ConsentModel> {
    const consent = requireOwnedBy(actor, 'Consent', id, await findOwnConsent(this.em, actor, id));
    await this.audit.recordReads(auditContextOf(actor), [
      {
        action: 'consent.read',
        category: AuditCategory.READ,
        entityType: 'Consent',
        entityId: consent.id,
        subjectClientId: consent.client.id,
        purpose: ClientDataPurpose.CASE_MANAGEMENT,
      },
    ]);
    const [model] = await this.toModels(this.em, [consent]);
    return model;
  }

  /**
   * `Client.consents`, newest first (by `givenAt`, then id). Part of reading the client, whose READ
   * event the parent operation has already committed.
   */
  listOfClient(actor: Actor, clientId: string, args: ClientConsentsArgs): Promise<Connection<ConsentModel>> {
    const now = this.clock.now();
    const own: FilterQuery<Consent> = { client: clientId, organization: actor.organizationId };
    const where: FilterQuery<Consent> = args.status ? { $and: [own, consentStatusFilter(args.status, now)] } : own;
    return paginate(args, 2, {
      rows: async ({ limit, after }) => {
        const rows = await this.em.find(Consent, after ? { $and: [where, beforeKey(after)] } : where, { orderBy: [{ givenAt: 'desc' }, { id: 'desc' }], limit });
        const models = await this.toModels(this.em, rows, now);
        return rows.map((consent, i) => ({ consent, model: models[i] }));
      },
      count: () => this.em.count(Consent, where),
      keyOf: ({ consent }) => [consent.givenAt.toISOString(), consent.id],
      toNode: ({ model }) => model,
    });
  }

  async record(actor: Actor, input: RecordConsentInput): Promise<ConsentModel> {
    const now = this.clock.now();
    const givenAt = input.givenAt ?? now;
    const dataCategories = input.dataCategories ?? [];
    requireNoProblems(
      consentTermsProblems({ givenAt, expiresAt: input.expiresAt, recipientCount: input.recipientOrganizationIds.length, dataCategories }, now, this.config.consent.maxDays),
    );
    if (input.recipientOrganizationIds.includes(actor.organizationId)) {
      throw new BadUserInputError('A consent names other organizations: sharing within your own organization needs none.', [
        { field: 'input.recipientOrganizationIds', message: 'must not include your own organization' },
      ]);
    }
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const client = requireOwnedBy(actor, 'Client', input.clientId, await findOwn(em, actor, input.clientId));
      await requireActiveOrganizations(em, input.recipientOrganizationIds);
      const consent = em.create(Consent, {
        client,
        organization: em.getReference(Organization, actor.organizationId),
        recipientOrganizationIds: [...input.recipientOrganizationIds],
        purpose: input.purpose,
        dataCategories: [...dataCategories],
        method: input.method,
        language: input.language,
        noticeVersion: input.noticeVersion,
        recordedBy: actor.id,
        givenAt,
        expiresAt: input.expiresAt,
      });
      audit.record({
        action: 'consent.record',
        category: AuditCategory.CREATE,
        entityType: 'Consent',
        entityId: consent.id,
        subjectClientId: client.id,
        details: {
          purpose: consent.purpose,
          dataCategories: consent.dataCategories,
          recipientOrganizationIds: consent.recipientOrganizationIds,
          refusal: consent.recipientOrganizationIds.length === 0,
        },
      });
      await em.flush();
      const [model] = await this.toModels(em, [consent], now);
      return model;
    });
  }

  /**
   * Revokes a consent, prospectively: from the next request on nothing is shared under it. One
   * transaction marks it revoked, records `consent.revoke`, runs the revocation steps (the
   * referrals module cancels open referrals there) and writes the `consent.revoked` outbox event
   * for the holder and every organization a step asked to tell. The row lock serialises concurrent
   * revocations (the second one finds it REVOKED) and referrals sent under the consent.
   */
  async revoke(actor: Actor, id: string, reason: ConsentRevocationInput): Promise<RevokeConsentPayload> {
    requireNoProblems(revocationProblems(reason));
    const warnings = privacyWarnings({ 'reason.note': reason.note });
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const consent = requireOwnedBy(actor, 'Consent', id, await findOwnConsent(em, actor, id, LockMode.PESSIMISTIC_WRITE));
      if (consent.revokedAt !== null) {
        throw new BadUserInputError(`This consent is already ${ConsentStatus.REVOKED} (since ${consent.revokedAt.toISOString()}): a revocation is final.`, [
          { field: 'id', message: `consent is ${ConsentStatus.REVOKED}` },
        ]);
      }
      const revokedAt = this.clock.now();
      consent.revokedAt = revokedAt;
      consent.revokedBy = actor.id;
      consent.revocationReason = reason.code;
      consent.revocationNote = reason.note?.trim() || null;
      audit.record({
        action: 'consent.revoke',
        category: AuditCategory.EXECUTE,
        entityType: 'Consent',
        entityId: consent.id,
        subjectClientId: consent.client.id,
        details: { reason: reason.code, warnings: warnings.map((warning) => warning.field) },
      });
      const notify = new Set<string>([consent.organization.id]);
      await this.revocationSteps.runAll({ em, audit, actor, consent, revokedAt, notify: (organizationId) => notify.add(organizationId) });
      this.outbox.add(em, { type: 'consent.revoked', organizationIds: [...notify], aggregateType: 'Consent', aggregateId: consent.id });
      await em.flush();
      const [model] = await this.toModels(em, [consent], revokedAt);
      return { consent: model, warnings };
    });
  }

  /** Maps consents with every organization they name loaded in one query. */
  private async toModels(em: EntityManager, consents: readonly Consent[], now: Date = this.clock.now()): Promise<ConsentModel[]> {
    if (consents.length === 0) return [];
    const organizations = new Map((await em.find(Organization, { id: { $in: organizationIdsOf(consents) } })).map((o) => [o.id, o]));
    return consents.map((consent) => toConsentModel(consent, organizations, now));
  }
}

/** The acting organization's consent with this id, or null: another organization's is never loaded. */
async function findOwnConsent(em: EntityManager, actor: Actor, id: string, lockMode?: LockMode): Promise<Consent | null> {
  return isId(id) ? em.findOne(Consent, { id, organization: actor.organizationId }, lockMode ? { lockMode } : {}) : null;
}

/** Recipients must exist and be active: an inactive organization is answered like an unknown one. */
async function requireActiveOrganizations(em: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await em.find(Organization, { id: { $in: [...ids] }, active: true }, { fields: ['id'] })).map((o) => o.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new NotFoundError('Organization', missing);
}

/** Rows strictly after the cursor under (givenAt desc, id desc). */
function beforeKey(after: CursorKey): FilterQuery<Consent> {
  const { sort, id } = readKey(after, asDate);
  return { $or: [{ givenAt: { $lt: sort } }, { givenAt: sort, id: { $lt: id } }] };
}
