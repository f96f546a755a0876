import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OutboxEvent, type OutboxEventData } from './outbox-event.entity';

export interface OutboxEventInput {
  /** Dotted name: `consent.revoked`, `referral.sent`… */
  type: string;
  /** Who is told; duplicates are dropped. */
  organizationIds: readonly string[];
  aggregateType: string;
  aggregateId: string;
  /** The organization whose action caused the change; null when Harbour itself acted. */
  actingOrganizationId: string | null;
  /** The body partners receive: ids, statuses and counters — never client data, never free text. */
  data: OutboxEventData;
}

/**
 * The one way to announce a change to partners: `add` with the use case's own entity manager, inside
 * its transaction, so that the event commits with the change or not at all. Delivery reads the
 * table later; nothing here talks to the network.
 */
@Injectable()
export class Outbox {
  add(em: EntityManager, event: OutboxEventInput): OutboxEvent {
    if (!em.isInTransaction())
      throw new Error('Outbox events are written inside the transaction of the change they announce.');
    return em.create(OutboxEvent, {
      id: randomUUID(),
      type: event.type,
      organizationIds: [...new Set(event.organizationIds)],
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      actingOrganizationId: event.actingOrganizationId,
      data: event.data,
    });
  }
}
