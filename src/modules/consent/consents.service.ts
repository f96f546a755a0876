import { AuditCategory, type AuditRecorder, AuditTrail, auditContextOf } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import {
  BadUserInputError,
  NotFoundError,
  StateRefusedError,
  connectionOf,
  pageRequestOf,
  requireNoProblems,
  type Connection,
  type CursorKey,
} from '@harbour/graphql-kit';
import { Outbox } from '@harbour/outbox';
import { type FilterQuery, LockMode, type ObjectQuery, raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { type PrivacyWarning, privacyWarnings } from '../../common/privacy/status-information';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ClientDataPurpose, requireNotErased } from '../clients';
import { Organization } from '../organizations/organization.entity';
import { ConsentRevocationSteps } from './consent-revocation';
import { consentStatusFilter, consentTermsProblems, revocationProblems } from './consent-rules';
import { Consent } from './consent.entity';
import { ConsentRevocationReason, ConsentStatus } from './consent.enums';
import { organizationIdsOf, toConsentModel } from './consent.mapper';
import { ClientConsentsArgs } from './dto/client-consents.args';
import { ConsentRevocationInput } from './dto/consent-revocation.input';
import { RevokeConsentArgs } from './dto/revoke-consent.args';
import { RecordConsentInput } from './dto/record-consent.input';
import { ConsentModel, ConsentPayload, RevokeConsentPayload } from './models/consent.model';
import { asDate, readKey } from '../../common/keyset';
import { AccessGate } from '../../access/access-gate';
import { Idempotency } from '../../idempotency/idempotency.service';

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
    private readonly idempotency: Idempotency,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly revocationSteps: ConsentRevocationSteps,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessGate,
  ) {}

  /** A read of client data: its READ event is committed before the consent is returned. */
  async get(actor: Actor, id: string): Promise<ConsentModel> {
    const consent = await this.access.require(this.em, actor, 'Consent', id);
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
   * One page of each client's consents (`Client.consents`), newest first (by `givenAt`, then id):
   * each client's first `first + 1` rows under (givenAt desc, id desc) after the cursor, ranked per
   * client in one statement, and the organizations they name in one more. Part of reading the
   * client, whose READ event the parent operation has already committed. `count` gives a client's
   * total, for `totalCount` (ClientConsentLoaders batches it).
   */
  async pagesOfClients(
    actor: Actor,
    args: ClientConsentsArgs,
    clientIds: readonly string[],
    count: (clientId: string) => Promise<number>,
  ): Promise<Map<string, Connection<ConsentModel>>> {
    const request = pageRequestOf(args, 2);
    const now = this.clock.now();
    const own = this.ownConsentsOf(actor, clientIds, args.status ?? null, now);
    const em = this.requestEm();
    const ranked = em
      .createQueryBuilder(Consent, 'c')
      .select(['c.id', raw('row_number() over (partition by c.client_id order by c.given_at desc, c.id desc) as rank')])
      .where(request.after ? { $and: [own, beforeKey(request.after)] } : own);
    const firstOfEach = em
      .getKnex()
      .select('ranked.id')
      .from(ranked.getKnexQuery().as('ranked'))
      .where('ranked.rank', '<=', request.limit);
    // The subquery as a value of `$in`: MikroORM inlines a knex query builder.
    const rows = await em.find(
      Consent,
      { id: { $in: firstOfEach as unknown as string[] } },
      { orderBy: [{ givenAt: 'desc' }, { id: 'desc' }] },
    );
    const models = await this.toModels(em, rows, now);
    const byClient = new Map<string, { consent: Consent; model: ConsentModel }[]>(clientIds.map((id) => [id, []]));
    rows.forEach((consent, i) => byClient.get(consent.client.id)?.push({ consent, model: models[i] }));
    return new Map(
      [...byClient].map(([clientId, page]) => [
        clientId,
        connectionOf(args, request, page, {
          keyOf: ({ consent }) => [consent.givenAt.toISOString(), consent.id],
          toNode: ({ model }) => model,
          count: () => count(clientId),
        }),
      ]),
    );
  }

  /** How many of the acting organization's consents each client has, in this status now (any when null), in one statement. */
  async countsOfClients(
    actor: Actor,
    clientIds: readonly string[],
    status: ConsentStatus | null,
  ): Promise<Map<string, number>> {
    const rows = await this.requestEm()
      .createQueryBuilder(Consent, 'c')
      .select(['c.client', raw('count(*) as n')])
      .where(this.ownConsentsOf(actor, clientIds, status, this.clock.now()))
      .groupBy('c.client')
      .execute<{ client_id: string; n: string }[]>('all', false);
    return new Map(rows.map((row) => [row.client_id, Number(row.n)]));
  }

  /**
   * The request's entity manager, for query builders: they run on the driver of the manager they
   * are built from, and the injected one may be another application's when a process runs several
   * (the e2e tests do).
   */
  private requestEm(): EntityManager {
    return this.em.getContext(false);
  }

  /** The acting organization's consents of these clients, in this status now (any when null). */
  private ownConsentsOf(
    actor: Actor,
    clientIds: readonly string[],
    status: ConsentStatus | null,
    now: Date,
  ): ObjectQuery<Consent> {
    const own: ObjectQuery<Consent> = { client: { $in: [...clientIds] }, organization: actor.organizationId };
    return status ? { $and: [own, consentStatusFilter(status, now)] } : own;
  }

  /**
   * Records a consent (or a refusal). With an idempotency key, a repeat with the same input answers
   * with the consent recorded the first time, as it is now — REVOKED if it was revoked since.
   */
  async record(actor: Actor, input: RecordConsentInput): Promise<ConsentPayload> {
    const { idempotencyKey, ...asked } = input;
    const request = {
      operation: 'recordConsent',
      key: idempotencyKey,
      input: {
        ...asked,
        clientId: asked.clientId.toLowerCase(),
        recipientOrganizationIds: asked.recipientOrganizationIds.map((id) => id.toLowerCase()),
      },
    };
    return this.idempotency.transaction(actor, request, {
      perform: async (em, audit) => {
        const consent = await this.recordNow(em, audit, actor, input);
        const [model] = await this.toModels(em, [consent]);
        return { objectId: consent.id, answer: { consent: model, warnings: [] } };
      },
      replay: async (em, consentId) => {
        const consent = await this.access.require(em, actor, 'Consent', consentId);
        const [model] = await this.toModels(em, [consent]);
        return {
          answer: { consent: model, warnings: [] },
          event: consentEvent('consent.record', AuditCategory.CREATE, consent),
        };
      },
    });
  }

  private async recordNow(
    em: EntityManager,
    audit: AuditRecorder,
    actor: Actor,
    input: RecordConsentInput,
  ): Promise<Consent> {
    const now = this.clock.now();
    const givenAt = input.givenAt ?? now;
    const dataCategories = input.dataCategories ?? [];
    requireNoProblems(
      consentTermsProblems(
        { givenAt, expiresAt: input.expiresAt, recipientCount: input.recipientOrganizationIds.length, dataCategories },
        now,
        this.config.consent.maxDays,
      ),
    );
    if (input.recipientOrganizationIds.includes(actor.organizationId)) {
      throw new BadUserInputError(
        'A consent names other organizations: sharing within your own organization needs none.',
        [{ field: 'input.recipientOrganizationIds', message: 'must not include your own organization' }],
      );
    }
    // Shared lock: an erasure of the client waits for this consent (and then sees it active), or ran first (and this sees it).
    const client = await this.access.require(em, actor, 'Client', input.clientId, { lock: LockMode.PESSIMISTIC_READ });
    requireNotErased(client, 'input.clientId');
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
      ...consentEvent('consent.record', AuditCategory.CREATE, consent),
      details: {
        purpose: consent.purpose,
        dataCategories: consent.dataCategories,
        recipientOrganizationIds: consent.recipientOrganizationIds,
        refusal: consent.recipientOrganizationIds.length === 0,
      },
    });
    await em.flush();
    return consent;
  }

  /**
   * Revokes a consent, prospectively: from the next request on nothing is shared under it. One
   * transaction marks it revoked, records `consent.revoke`, runs the revocation steps (the
   * referrals module cancels open referrals there) and writes the `consent.revoked` outbox event
   * for the holder and every organization a step asked to tell. The row lock serialises concurrent
   * revocations (the second one finds it REVOKED) and referrals sent under the consent. With an
   * idempotency key, a repeat answers with the consent as it is now instead of finding it REVOKED.
   */
  async revoke(actor: Actor, args: RevokeConsentArgs): Promise<RevokeConsentPayload> {
    const { id, reason, idempotencyKey } = args;
    requireNoProblems(revocationProblems(reason));
    const warnings = privacyWarnings({ 'reason.note': reason.note });
    const request = { operation: 'revokeConsent', key: idempotencyKey, input: { id: id.toLowerCase(), reason } };
    return this.idempotency.transaction(actor, request, {
      perform: async (em, audit) => {
        const consent = await this.revokeNow(em, audit, actor, id, reason, warnings);
        const [model] = await this.toModels(em, [consent]);
        return { objectId: consent.id, answer: { consent: model, warnings } };
      },
      replay: async (em, consentId) => {
        const consent = await this.access.require(em, actor, 'Consent', consentId);
        const [model] = await this.toModels(em, [consent]);
        return {
          answer: { consent: model, warnings },
          event: consentEvent('consent.revoke', AuditCategory.EXECUTE, consent),
        };
      },
    });
  }

  /**
   * Revokes every consent of one of the actor's organization's clients that is active now, in the
   * caller's transaction, through the same path as `revokeConsent` (CLIENT_WITHDREW): its event, its
   * revocation steps and its `consent.revoked` outbox event. An erasure at the client's request ends
   * what they agreed to. Returns how many it revoked.
   */
  async revokeActiveOf(em: EntityManager, audit: AuditRecorder, actor: Actor, clientId: string): Promise<number> {
    const active = await em.find(
      Consent,
      this.ownConsentsOf(actor, [clientId], ConsentStatus.ACTIVE, this.clock.now()),
      { fields: ['id'], orderBy: [{ givenAt: 'asc' }, { id: 'asc' }] },
    );
    for (const { id } of active)
      await this.revokeNow(em, audit, actor, id, { code: ConsentRevocationReason.CLIENT_WITHDREW }, []);
    return active.length;
  }

  private async revokeNow(
    em: EntityManager,
    audit: AuditRecorder,
    actor: Actor,
    id: string,
    reason: ConsentRevocationInput,
    warnings: PrivacyWarning[],
  ): Promise<Consent> {
    const consent = await this.access.require(em, actor, 'Consent', id, { lock: LockMode.PESSIMISTIC_WRITE });
    await em.populate(consent, ['client']);
    requireNotErased(consent.client, 'id');
    if (consent.revokedAt !== null) {
      throw new StateRefusedError(
        `This consent is already ${ConsentStatus.REVOKED} (since ${consent.revokedAt.toISOString()}): a revocation is final.`,
        [{ field: 'id', message: `consent is ${ConsentStatus.REVOKED}` }],
      );
    }
    const revokedAt = this.clock.now();
    consent.revokedAt = revokedAt;
    consent.revokedBy = actor.id;
    consent.revocationReason = reason.code;
    consent.revocationNote = reason.note?.trim() || null;
    audit.record({
      ...consentEvent('consent.revoke', AuditCategory.EXECUTE, consent),
      details: { reason: reason.code, warnings: warnings.map((warning) => warning.field) },
    });
    const notify = new Set<string>([consent.organization.id]);
    await this.revocationSteps.runAll({
      em,
      audit,
      actor,
      consent,
      revokedAt,
      notify: (organizationId) => notify.add(organizationId),
    });
    this.outbox.add(em, {
      type: 'consent.revoked',
      organizationIds: [...notify],
      aggregateType: 'Consent',
      aggregateId: consent.id,
      actingOrganizationId: actor.organizationId,
      // Not the other recipients: a receiver must not learn where else the client was referred.
      data: { consentId: consent.id, actingOrganizationId: actor.organizationId },
    });
    await em.flush();
    return consent;
  }

  /** Maps consents with every organization they name loaded in one query. */
  private async toModels(
    em: EntityManager,
    consents: readonly Consent[],
    now: Date = this.clock.now(),
  ): Promise<ConsentModel[]> {
    if (consents.length === 0) return [];
    const organizations = new Map(
      (await em.find(Organization, { id: { $in: organizationIdsOf(consents) } })).map((o) => [o.id, o]),
    );
    return consents.map((consent) => toConsentModel(consent, organizations, now));
  }
}

/** The audit event of a change to a consent (and of its replays): ids only. */
function consentEvent(action: string, category: AuditCategory, consent: Consent) {
  return { action, category, entityType: 'Consent', entityId: consent.id, subjectClientId: consent.client.id };
}

/** Recipients must exist and be active: an inactive organization is answered like an unknown one. */
async function requireActiveOrganizations(em: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set(
    (await em.find(Organization, { id: { $in: [...ids] }, active: true }, { fields: ['id'] })).map((o) => o.id),
  );
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new NotFoundError('Organization', missing);
}

/** Rows strictly after the cursor under (givenAt desc, id desc). */
function beforeKey(after: CursorKey): FilterQuery<Consent> {
  const { sort, id } = readKey(after, asDate);
  return { $or: [{ givenAt: { $lt: sort } }, { givenAt: sort, id: { $lt: id } }] };
}
