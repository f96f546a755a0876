import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Actor } from '@harbour/authz';
import { BadUserInputError, type Connection } from '@harbour/graphql-kit';
import { decodeFeedCursor, encodeFeedCursor, OutboxFeed, type OutboxEventData } from '@harbour/outbox';
import type { ReferralStatus } from '../referrals';
import type { WebhookEventType } from '../webhooks';
import type { ReferralChangesArgs } from './dto/referral-changes.args';
import type { ReferralChangeModel } from './models/referral-change.model';
import { partnerEventScope } from './partner-event-scope';

function idOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** An outbox event as partners are shown it (feed or live): the webhook body's `data`, typed. */
export function toReferralChangeModel(event: {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: Date | string;
  readonly data: OutboxEventData;
}): ReferralChangeModel {
  const data = event.data;
  return {
    id: event.id,
    type: event.type as WebhookEventType,
    occurredAt: new Date(event.occurredAt),
    referralId: idOr(data.referralId),
    status: idOr(data.status) as ReferralStatus | null,
    previousStatus: idOr(data.previousStatus) as ReferralStatus | null,
    version: typeof data.version === 'number' ? data.version : null,
    serviceId: idOr(data.serviceId),
    sendingOrganizationId: idOr(data.sendingOrganizationId),
    receivingOrganizationId: idOr(data.receivingOrganizationId),
    actingOrganizationId: idOr(data.actingOrganizationId),
    noteId: idOr(data.noteId),
    consentId: idOr(data.consentId),
  };
}

/**
 * The change feed: the outbox in commit-safe order (OutboxFeed), as much of it as the caller's
 * organization and role are told about. A page ends where the committed events end, so a reader
 * that follows `endCursor` sees every change once, however transactions committed.
 */
@Injectable()
export class ReferralChangesService {
  constructor(
    private readonly em: EntityManager,
    private readonly feed: OutboxFeed,
  ) {}

  async list(actor: Actor, args: ReferralChangesArgs): Promise<Connection<ReferralChangeModel>> {
    const after = args.after === undefined || args.after === null ? null : decodeFeedCursor(args.after);
    if (args.after && !after)
      throw new BadUserInputError('The cursor is not valid for this list.', [
        { field: 'after', message: 'not a cursor of referralChanges' },
      ]);
    const scope = partnerEventScope(actor, args.types);
    const events = await this.feed.read(this.em, after, args.first + 1, scope);
    const edges = events
      .slice(0, args.first)
      .map((event) => ({ cursor: encodeFeedCursor(event.at), node: toReferralChangeModel(event) }));
    let counted: Promise<number> | undefined;
    return {
      edges,
      totalCount: () => (counted ??= this.feed.count(this.em, scope)),
      pageInfo: {
        hasNextPage: events.length > args.first,
        hasPreviousPage: after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}
