import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { OutboxEventData } from './outbox-event.entity';

/** A place in the feed: the transaction id and the position of the last event handed out. */
export interface FeedPosition {
  /** PostgreSQL's 64-bit transaction id, as decimal digits. */
  readonly txId: string;
  /** The event's position (a sequence), as decimal digits. */
  readonly position: string;
}

/** One committed outbox event, as the feed hands it out. */
export interface FeedEvent {
  readonly id: string;
  readonly type: string;
  readonly organizationIds: readonly string[];
  readonly actingOrganizationId: string | null;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly data: OutboxEventData;
  readonly occurredAt: Date;
  readonly at: FeedPosition;
}

interface FeedRow {
  id: string;
  type: string;
  organization_ids: string[];
  acting_organization_id: string | null;
  aggregate_type: string;
  aggregate_id: string;
  data: OutboxEventData;
  occurred_at: Date;
  tx_id: string;
  position: string;
}

/** At most this many events per read. */
export const FEED_MAX_BATCH = 1000;

/** Which events one reader is told about. */
export interface FeedScope {
  /** Only the events this organization is told about. */
  readonly organizationId: string;
  /** Only events of these types (dotted names); all types when absent. */
  readonly types?: readonly string[];
  /**
   * The reader's own further rule, as a condition on the event row `e` with its `?` parameters
   * (which side of a referral a role may see, say). The feed knows nothing of what events mean.
   */
  readonly condition?: { readonly sql: string; readonly params: readonly unknown[] };
}

/** Only events whose transaction is older than every transaction still in progress (see OutboxFeed). */
const COMMITTED = 'e.tx_id < pg_snapshot_xmin(pg_current_snapshot())';

function scopeConditions(scope: FeedScope | undefined): { conditions: string[]; params: unknown[] } {
  if (!scope) return { conditions: [], params: [] };
  const conditions = ['?::uuid = any(e.organization_ids)'];
  const params: unknown[] = [scope.organizationId];
  if (scope.types) {
    conditions.push('e.type = any(array[?]::text[])');
    params.push(scope.types);
  }
  if (scope.condition) {
    conditions.push(`(${scope.condition.sql})`);
    params.push(...scope.condition.params);
  }
  return { conditions, params };
}

/**
 * The outbox read in commit-safe order. Transactions commit in another order than they write, so
 * a reader that walked `position` alone could hand out event 11 while event 10 is still
 * uncommitted, then never see 10. This feed hands out only events written by transactions older
 * than the oldest transaction still in progress (`pg_snapshot_xmin`): their set is final, and
 * every event that becomes visible later belongs to a newer transaction, so it sorts after
 * everything already handed out in (`tx_id`, `position`) order. The price: a long transaction
 * anywhere in the database holds the feed back until it ends.
 */
@Injectable()
export class OutboxFeed {
  /**
   * Committed events after `after` (exclusive; null = from the beginning), oldest first; with a
   * scope, only the events its reader is told about.
   */
  async read(em: EntityManager, after: FeedPosition | null, limit: number, scope?: FeedScope): Promise<FeedEvent[]> {
    const { conditions, params } = scopeConditions(scope);
    conditions.unshift(COMMITTED);
    if (after) {
      conditions.push('(e.tx_id, e.position) > (?::xid8, ?::bigint)');
      params.push(after.txId, after.position);
    }
    params.push(Math.min(Math.max(limit, 1), FEED_MAX_BATCH));
    const rows = await em.execute<FeedRow[]>(
      `select e.id, e.type, e.organization_ids, e.acting_organization_id, e.aggregate_type, e.aggregate_id,
              e.data, e.occurred_at, e.tx_id::text as tx_id, e.position::text as position
         from outbox_event e
        where ${conditions.join(' and ')}
        order by e.tx_id, e.position
        limit ?`,
      params,
    );
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      organizationIds: row.organization_ids,
      actingOrganizationId: row.acting_organization_id,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      data: row.data,
      occurredAt: new Date(row.occurred_at),
      at: { txId: row.tx_id, position: row.position },
    }));
  }

  /** How many committed events the scope's reader is told about, in all. */
  async count(em: EntityManager, scope: FeedScope): Promise<number> {
    const { conditions, params } = scopeConditions(scope);
    const [{ count }] = await em.execute<{ count: string }[]>(
      `select count(*) as count from outbox_event e where ${[COMMITTED, ...conditions].join(' and ')}`,
      params,
    );
    return Number(count);
  }
}

const CURSOR_PREFIX = 'f1:';
const DIGITS = /^\d{1,20}$/;

/** An opaque cursor for a feed position (partners must not build or read them). */
export function encodeFeedCursor(at: FeedPosition): string {
  return Buffer.from(`${CURSOR_PREFIX}${at.txId}:${at.position}`, 'utf8').toString('base64url');
}

/** The position a cursor stands for, or null when it is not a feed cursor. */
export function decodeFeedCursor(cursor: string): FeedPosition | null {
  if (cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) return null;
  const [txId, position, ...rest] = text.slice(CURSOR_PREFIX.length).split(':');
  if (rest.length > 0 || !txId || !position || !DIGITS.test(txId) || !DIGITS.test(position)) return null;
  if (BigInt(txId) > 0xffffffffffffffffn || BigInt(position) > 0x7fffffffffffffffn) return null;
  return { txId, position };
}
