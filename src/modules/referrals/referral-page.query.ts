import type { CursorKey } from '@harbour/graphql-kit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  CLIENT_COLUMNS,
  CONSENT_COLUMNS,
  clientOf,
  consentOf,
  dateOf,
  directoryRows,
  type ClientRow,
  type ConsentRow,
} from './referral-rows';
import type { ReferralSource } from './referral-view';
import { ReferralSide, type ReferralOutcome, type ReferralPriority, type ReferralStatus } from './referral.enums';
import { asDate, readKey } from '../../common/keyset';

/** Which referrals a page lists: one side's box of one organization, filtered (ReferralsArgs). */
export interface ReferralPageFilter {
  /** RECEIVER lists the inbox, SENDER the outbox. */
  side: ReferralSide.SENDER | ReferralSide.RECEIVER;
  organizationId: string;
  status?: readonly ReferralStatus[] | null;
  priority?: ReferralPriority | null;
  serviceId?: string | null;
  /** Inclusive. */
  updatedSince?: Date | null;
}

/** The inbox and outbox pages, in SQL: the hot read path, kept apart from the use cases. */
@Injectable()
export class ReferralPageQuery {
  constructor(private readonly em: EntityManager) {}

  /**
   * A page of referrals, newest sent first (then by id), after the cursor `after`, read as rows
   * without hydrating entities: through MikroORM's entities a page of 20 with its services and
   * organizations cost several milliseconds of CPU; as rows, well under one. One statement reads the
   * referrals with their client and consent; the services they name (with their locations) and the
   * organizations (both parties' and the services') take one statement each, side by side.
   */
  async page(filter: ReferralPageFilter, after: CursorKey | undefined, limit: number): Promise<ReferralSource[]> {
    const where = conditions(filter);
    if (after) {
      const { sort, id } = readKey(after, asDate);
      where.sql.push('(r.sent_at, r.id) < (?, ?)');
      where.params.push(sort, id);
    }
    const rows = await this.em.execute<PageRow[]>(
      `select r.id, r.status, r.version, r.priority, r.outcome, r.reason, r.based_on_id, r.service_id, r.sending_organization_id, r.receiving_organization_id,
          to_json(r.sent_at) as sent_at, to_json(r.received_at) as received_at, to_json(r.updated_at) as updated_at,
          ${CLIENT_COLUMNS}, ${CONSENT_COLUMNS}
        from referral r join client c on c.id = r.client_id join consent k on k.id = r.consent_id
        where ${where.sql.join(' and ')}
        order by r.sent_at desc, r.id desc limit ?`,
      [...where.params, limit],
    );
    if (rows.length === 0) return [];
    const { services, organizations } = await directoryRows(
      this.em,
      [...new Set(rows.map((row) => row.service_id))],
      [...new Set(rows.flatMap((row) => [row.sending_organization_id, row.receiving_organization_id]))],
    );
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      version: row.version,
      priority: row.priority,
      outcome: row.outcome,
      reason: row.reason,
      sentAt: new Date(row.sent_at),
      receivedAt: dateOf(row.received_at),
      updatedAt: new Date(row.updated_at),
      basedOn: row.based_on_id === null ? null : { id: row.based_on_id },
      client: clientOf(row),
      consent: consentOf(row),
      service: services.get(row.service_id)!,
      sendingOrganization: organizations.get(row.sending_organization_id)!,
      receivingOrganization: organizations.get(row.receiving_organization_id)!,
    }));
  }

  /** How many referrals the filter lists, whatever the page. */
  async count(filter: ReferralPageFilter): Promise<number> {
    const where = conditions(filter);
    const [row] = await this.em.execute<{ n: string }[]>(
      `select count(*) as n from referral r where ${where.sql.join(' and ')}`,
      where.params,
    );
    return Number(row.n);
  }
}

/** A row of a page (see ReferralPageQuery.page): timestamps as ISO strings (to_json), arrays parsed. */
interface PageRow extends ClientRow, ConsentRow {
  id: string;
  status: ReferralStatus;
  version: number;
  priority: ReferralPriority;
  outcome: ReferralOutcome | null;
  reason: string | null;
  based_on_id: string | null;
  service_id: string;
  sending_organization_id: string;
  receiving_organization_id: string;
  sent_at: string;
  received_at: string | null;
  updated_at: string;
}

/** The filter as SQL conditions on `referral r`, with their parameters (`?`, in order). */
function conditions(filter: ReferralPageFilter): { sql: string[]; params: unknown[] } {
  const sql = [
    filter.side === ReferralSide.RECEIVER ? 'r.receiving_organization_id = ?' : 'r.sending_organization_id = ?',
  ];
  const params: unknown[] = [filter.organizationId];
  if (filter.status?.length) {
    sql.push(`r.status in (${filter.status.map(() => '?').join(', ')})`);
    params.push(...filter.status);
  }
  if (filter.priority) {
    sql.push('r.priority = ?');
    params.push(filter.priority);
  }
  if (filter.serviceId) {
    sql.push('r.service_id = ?');
    params.push(filter.serviceId);
  }
  if (filter.updatedSince) {
    sql.push('r.updated_at >= ?');
    params.push(filter.updatedSince);
  }
  return { sql, params };
}
