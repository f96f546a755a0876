import { Permission, hasPermission, type Actor } from '@harbour/authz';
import { NotFoundError } from '@harbour/graphql-kit';
import { raw, type EntityName, type FilterQuery, type LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isId } from '../common/ids';
import { Client } from '../modules/clients/client.entity';
import { Consent } from '../modules/consent/consent.entity';
import { Location } from '../modules/directory/location.entity';
import { ServiceOffering } from '../modules/directory/service-offering.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { REFERRAL_VIEW, Referral } from '../modules/referrals/referral.entity';
import { ApiClient } from '../modules/staff/api-client.entity';
import { Membership } from '../modules/staff/membership.entity';
import { WebhookDelivery } from '../modules/webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../modules/webhooks/webhook-endpoint.entity';

/** What the gate lets an actor reach, by the name NOT_FOUND gives it. */
export interface AccessTargets {
  /** A client of the actor's organization. */
  Client: Client;
  /** A consent of one of the actor's organization's clients. */
  Consent: Consent;
  /** A referral the actor's organization sent or received, loaded with everything its view needs. */
  Referral: Referral;
  /** A referral the actor's organization sent. */
  SentReferral: Referral;
  /** A service of the actor's organization (to change it; the directory itself is readable by everyone). */
  Service: ServiceOffering;
  /** A location of the actor's organization. */
  Location: Location;
  /** An organization whose profile the actor may change: its own, or any with ORGANIZATION_UPDATE_ANY. */
  Organization: Organization;
  /** An API client of the actor's organization. */
  ApiClient: ApiClient;
  /** A staff member of the actor's organization, by account id. */
  StaffMember: Membership;
  /** A webhook endpoint of the actor's organization. */
  WebhookEndpoint: WebhookEndpoint;
  /** A delivery to one of the actor's organization's webhook endpoints, with its endpoint. */
  WebhookDelivery: WebhookDelivery;
}

export type AccessKind = keyof AccessTargets;

interface Target<T extends object> {
  entity: EntityName<T>;
  /** How NOT_FOUND names it. */
  name: string;
  /** The rows of `id` the actor may reach. */
  where(actor: Actor, id: string): FilterQuery<T>;
  populate?: readonly string[];
}

const own = (actor: Actor) => ({ organization: actor.organizationId });

/** Who may reach what, as data: every object an actor reaches by id passes through this table. */
const TARGETS: { readonly [K in AccessKind]: Target<AccessTargets[K]> } = {
  Client: { entity: Client, name: 'Client', where: (actor, id) => ({ id, ...own(actor) }) },
  Consent: { entity: Consent, name: 'Consent', where: (actor, id) => ({ id, ...own(actor) }) },
  Referral: {
    entity: Referral,
    name: 'Referral',
    where: (actor, id) => ({
      id,
      $or: [{ sendingOrganization: actor.organizationId }, { receivingOrganization: actor.organizationId }],
    }),
    populate: REFERRAL_VIEW,
  },
  SentReferral: {
    entity: Referral,
    name: 'Referral',
    where: (actor, id) => ({ id, sendingOrganization: actor.organizationId }),
  },
  Service: {
    entity: ServiceOffering,
    name: 'Service',
    where: (actor, id) => ({ id, ...own(actor) }),
    populate: ['organization', 'locations'],
  },
  Location: { entity: Location, name: 'Location', where: (actor, id) => ({ id, ...own(actor) }) },
  Organization: {
    entity: Organization,
    name: 'Organization',
    where: (actor, id) =>
      hasPermission(actor, Permission.ORGANIZATION_UPDATE_ANY)
        ? { id }
        : { $and: [{ id }, { id: actor.organizationId }] },
  },
  ApiClient: { entity: ApiClient, name: 'API client', where: (actor, id) => ({ id, ...own(actor) }) },
  StaffMember: {
    entity: Membership,
    name: 'Staff account',
    where: (actor, id) => ({ account: id, ...own(actor) }),
    populate: ['account'],
  },
  WebhookEndpoint: {
    entity: WebhookEndpoint,
    name: 'Webhook endpoint',
    where: (actor, id) => ({ id, ...own(actor) }),
  },
  WebhookDelivery: {
    entity: WebhookDelivery,
    name: 'Webhook delivery',
    where: (actor, id) => ({ id, endpoint: own(actor) }),
    populate: ['endpoint'],
  },
};

export interface AccessOptions {
  /** Lock the row for the rest of the transaction (a revocation serialises with sending, say). */
  lock?: LockMode;
}

/**
 * The one way to reach an object by id for an actor (after immich's `requireAccess`). It runs after
 * the permission guard (the role's permission, FORBIDDEN) and before any rule on the object's state:
 * an object of another organization is NOT_FOUND through the same code path as an id that does not
 * exist, so nothing tells them apart. Modules reach each other's objects only through here.
 */
@Injectable()
export class AccessGate {
  async require<K extends AccessKind>(
    em: EntityManager,
    actor: Actor,
    kind: K,
    id: string,
    options: AccessOptions = {},
  ): Promise<AccessTargets[K]> {
    const target = TARGETS[kind] as unknown as Target<object>;
    const found = isId(id)
      ? await em.findOne(target.entity, target.where(actor, id), {
          populate: (target.populate ?? []) as never,
          ...(options.lock ? { lockMode: options.lock } : {}),
        })
      : null;
    if (!found) throw new NotFoundError(target.name, id);
    return found as AccessTargets[K];
  }

  /**
   * `require` for the hot paths that need a few columns and no entity: the row of `id` the actor
   * reaches, as `columns` (SQL over the table aliased `alias`) select it — through the same table of
   * who reaches what, so that another organization's object is NOT_FOUND here too.
   */
  async requireRow<R extends object>(
    em: EntityManager,
    actor: Actor,
    kind: AccessKind,
    id: string,
    { alias, columns, lock }: { alias: string; columns: string } & AccessOptions,
  ): Promise<R> {
    const target = TARGETS[kind] as unknown as Target<object>;
    const query = em.createQueryBuilder(target.entity, alias).select(raw(columns)).where(target.where(actor, id));
    if (lock) query.setLockMode(lock);
    const found = isId(id) ? await query.execute<R | undefined>('get', false) : undefined;
    if (!found) throw new NotFoundError(target.name, id);
    return found;
  }

  /** Every id of `ids` reached at once (one statement), in the order given; one unreachable id is NOT_FOUND. */
  async requireAll<K extends AccessKind>(
    em: EntityManager,
    actor: Actor,
    kind: K,
    ids: readonly string[],
  ): Promise<AccessTargets[K][]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const target = TARGETS[kind] as unknown as Target<object>;
    const missing = unique.find((id) => !isId(id));
    if (missing !== undefined) throw new NotFoundError(target.name, missing);
    const rows = await em.find(
      target.entity,
      { $or: unique.map((id) => target.where(actor, id)) },
      { populate: (target.populate ?? []) as never },
    );
    const byId = new Map(rows.map((row) => [(row as { id: string }).id, row]));
    return unique.map((id) => {
      const row = byId.get(id);
      if (!row) throw new NotFoundError(target.name, id);
      return row as AccessTargets[K];
    });
  }

  /** The filter of what the actor reaches of a kind, for batch loads of objects it names. */
  visible<K extends AccessKind>(actor: Actor, kind: K, id: string): FilterQuery<AccessTargets[K]> {
    return (TARGETS[kind] as unknown as Target<AccessTargets[K]>).where(actor, id);
  }
}
