import { AuditCategory, AuditTrail, auditContextOf, presentFields } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { applyPresent, paginate, requireNoProblems, type Connection } from '@harbour/graphql-kit';
import { type FilterQuery, LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { privacyWarnings } from '../../common/privacy/status-information';
import { Organization } from '../organizations/organization.entity';
import { ContactPreference } from './client.enums';
import { Client } from './client.entity';
import { toClientModel } from './client.mapper';
import { ClientDataPurpose, clientReadEvents } from './client-reads';
import { birthYearProblems, contactProblems, requireNotErased } from './client-rules';
import { ClientsArgs } from './dto/clients.args';
import { UpdateClientInput } from './dto/update-client.input';
import { ClientModel, ClientPayload } from './models/client.model';
import { containsPattern } from '../../common/text';
import { afterKey, asString } from '../../common/keyset';
import { RegisterClientInput } from './dto/register-client.input';
import { AccessGate } from '../../access/access-gate';
import { Idempotency } from '../../idempotency/idempotency.service';

/**
 * An organization's own clients. Every query is scoped to the acting organization (there is no way
 * to name another one), and another organization's client is NOT_FOUND like an unknown id. Every
 * read writes its READ events, committed before the data leaves (no event, no data); every change
 * runs in an audited transaction whose event names the client as its subject.
 */
@Injectable()
export class ClientsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly idempotency: Idempotency,
    private readonly clock: Clock,
    private readonly access: AccessGate,
  ) {}

  async get(actor: Actor, id: string): Promise<ClientModel> {
    const client = await this.access.require(this.em, actor, 'Client', id);
    await this.audit.recordReads(
      auditContextOf(actor),
      clientReadEvents([client.id], ClientDataPurpose.CASE_MANAGEMENT),
    );
    return toClientModel(client);
  }

  /** Ordered by preferred name, then id. One READ event per client on the page, in one statement. */
  async list(actor: Actor, args: ClientsArgs): Promise<Connection<ClientModel>> {
    const where = ownClients(actor, args.search ?? null);
    const page = await paginate(args, 2, {
      rows: ({ limit, after }) =>
        this.em.find(
          Client,
          { $and: [where, afterKey(after, 'preferredName', asString)] },
          { orderBy: [{ preferredName: 'asc' }, { id: 'asc' }], limit },
        ),
      count: () => this.em.count(Client, where),
      keyOf: (client) => [client.preferredName, client.id],
      toNode: toClientModel,
    });
    await this.audit.recordReads(
      auditContextOf(actor),
      clientReadEvents(
        page.edges.map((edge) => edge.node.id),
        ClientDataPurpose.CASE_MANAGEMENT,
      ),
    );
    return page;
  }

  /**
   * Registers a client. With an idempotency key, a repeat with the same input answers with the
   * client registered the first time, as it is now (src/idempotency).
   */
  async register(actor: Actor, input: RegisterClientInput): Promise<ClientPayload> {
    const warnings = privacyWarnings({ 'input.needs': input.needs });
    const { idempotencyKey, ...asked } = input;
    return this.idempotency.transaction(
      actor,
      { operation: 'registerClient', key: idempotencyKey, input: asked },
      {
        perform: async (em, audit) => {
          const contact = {
            phone: input.contact?.phone ?? null,
            email: input.contact?.email ?? null,
            preference: input.contact?.preference ?? ContactPreference.ANY,
            safeToLeaveMessage: input.contact?.safeToLeaveMessage ?? false,
          };
          requireNoProblems([
            ...contactProblems(contact),
            ...birthYearProblems(input.birthYear ?? null, this.clock.now()),
          ]);
          const client = em.create(Client, {
            organization: em.getReference(Organization, actor.organizationId),
            preferredName: input.preferredName,
            legalName: input.legalName ?? null,
            birthYear: input.birthYear ?? null,
            pronouns: input.pronouns ?? null,
            languages: input.languages ?? [],
            contact,
            municipalIdNumber: input.municipalIdNumber ?? null,
            needs: input.needs ?? null,
          });
          audit.record({
            ...registration(client),
            details: { fields: presentFields(asked), warnings: warnings.map((warning) => warning.field) },
          });
          await em.flush();
          return { objectId: client.id, answer: { client: toClientModel(client), warnings } };
        },
        replay: async (em, clientId) => {
          const client = await this.access.require(em, actor, 'Client', clientId);
          return { answer: { client: toClientModel(client), warnings }, event: registration(client) };
        },
      },
    );
  }

  async update(actor: Actor, id: string, input: UpdateClientInput): Promise<ClientPayload> {
    const warnings = privacyWarnings({ 'input.needs': input.needs });
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      // Locked: an erasure running now finishes first, and this update then finds the client erased.
      const client = await this.access.require(em, actor, 'Client', id, { lock: LockMode.PESSIMISTIC_WRITE });
      requireNotErased(client, 'id');
      applyPresent(client, {
        preferredName: input.preferredName,
        legalName: input.legalName,
        birthYear: input.birthYear,
        pronouns: input.pronouns,
        languages: input.languages,
        municipalIdNumber: input.municipalIdNumber,
        needs: input.needs,
      });
      if (input.contact) {
        applyPresent(client.contact, {
          phone: input.contact.phone,
          email: input.contact.email,
          preference: input.contact.preference,
          safeToLeaveMessage: input.contact.safeToLeaveMessage,
        });
      }
      requireNoProblems([...contactProblems(client.contact), ...birthYearProblems(client.birthYear, this.clock.now())]);
      audit.record({
        action: 'client.update',
        category: AuditCategory.UPDATE,
        entityType: 'Client',
        entityId: client.id,
        subjectClientId: client.id,
        details: { fields: presentFields(input), warnings: warnings.map((warning) => warning.field) },
      });
      // Flush before mapping so that `updatedAt` is the stored one.
      await em.flush();
      return { client: toClientModel(client), warnings };
    });
  }
}

/** The audit event of a registration (and of its replays). */
function registration(client: Client) {
  return {
    action: 'client.register',
    category: AuditCategory.CREATE,
    entityType: 'Client',
    entityId: client.id,
    subjectClientId: client.id,
  };
}

/**
 * The acting organization's clients, narrowed by a search on names (contains, any case, wildcards
 * literal) or the exact municipal ID number. The organization comes from the actor, never from an
 * argument; `needs` is never searched.
 */
function ownClients(actor: Actor, search: string | null): FilterQuery<Client> {
  if (search === null) return { organization: actor.organizationId };
  const pattern = containsPattern(search);
  return {
    organization: actor.organizationId,
    $or: [{ preferredName: { $ilike: pattern } }, { legalName: { $ilike: pattern } }, { municipalIdNumber: search }],
  };
}
