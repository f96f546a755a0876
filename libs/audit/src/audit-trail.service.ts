import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { chainHash, GENESIS_HASH, type HashedFields } from './canonical';
import { AuditCategory, AuditOutcome, type AuditContext, type AuditEventInput, NETWORK_CHAIN } from './audit.types';

export const AUDIT_OPTIONS = Symbol('AUDIT_OPTIONS');

export interface AuditOptions {
  /** Denials without a credential recorded per source address and window; the rest are dropped. */
  anonymousDenialsPerWindow: number;
  anonymousWindowMinutes: number;
  /**
   * Benchmarks only (`npm run bench:audit` measures the cost of auditing): when false, nothing is
   * appended. Configuration never sets it; the application always audits.
   */
  enabled: boolean;
}

const DEFAULT_OPTIONS: AuditOptions = { anonymousDenialsPerWindow: 100, anonymousWindowMinutes: 15, enabled: true };

/** Collects the events of one use case; the first one recorded is its primary event. */
export class AuditRecorder {
  readonly events: AuditEventInput[] = [];

  record(event: AuditEventInput): void {
    this.events.push(event);
  }
}

type PendingEvent = Omit<HashedFields, 'seq' | 'recordedAt'>;

/**
 * The audit trail. Every use case that changes something runs in `transaction`: the change and
 * its audit events commit together or not at all, and a use case that records no event fails.
 * Events are appended to their chain (one per acting organization) as the last statements before
 * COMMIT, so a chain's head is locked only for the moment it takes to append.
 */
@Injectable()
export class AuditTrail {
  private readonly options: AuditOptions;

  constructor(
    private readonly em: EntityManager,
    @Optional() @Inject(AUDIT_OPTIONS) options?: Partial<AuditOptions>,
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /**
   * `context` may be a function, read once the work is done, for use cases that establish who acts
   * (a sign-in) or create the organization whose chain records them (the bootstrap).
   */
  async transaction<T>(context: AuditContext | (() => AuditContext), work: (em: EntityManager, audit: AuditRecorder) => Promise<T>): Promise<T> {
    return this.em.transactional(async (em) => {
      const recorder = new AuditRecorder();
      const result = await work(em, recorder);
      if (recorder.events.length === 0) throw new Error('A use case committed no audit event: record what it did.');
      await em.flush();
      await this.append(em, typeof context === 'function' ? context() : context, recorder.events);
      return result;
    });
  }

  /**
   * Reads of a client's personal data: one statement for the whole batch, committed before the
   * caller returns the data (no event, no data).
   */
  async recordReads(context: AuditContext, reads: AuditEventInput[]): Promise<void> {
    if (reads.length === 0) return;
    await this.em.transactional((em) => this.append(em, context, reads.map((read) => ({ ...read, category: AuditCategory.READ }))));
  }

  /**
   * A refused attempt, recorded after the failed work has rolled back, in a transaction of its own.
   * Callers without a credential are counted per source address: past the budget of the window
   * their denials are not recorded, so that a flood cannot grow the log without bound.
   */
  async recordDenied(context: AuditContext, event: AuditEventInput): Promise<boolean> {
    return this.em.fork().transactional(async (em) => {
      if (context.organizationId === null && !(await this.withinAnonymousBudget(em, context.sourceAddress))) return false;
      await this.append(em, context, [{ ...event, outcome: AuditOutcome.DENIED }]);
      return true;
    });
  }

  private async withinAnonymousBudget(em: EntityManager, sourceAddress: string | null): Promise<boolean> {
    const rows = await em.getConnection().execute<{ recorded: number }[]>(
      `insert into audit_anonymous_budget (source_address, window_started_at, recorded) values (?, now(), 1)
       on conflict (source_address) do update set
         recorded = case when audit_anonymous_budget.window_started_at < now() - make_interval(mins => ?) then 1 else audit_anonymous_budget.recorded + 1 end,
         window_started_at = case when audit_anonymous_budget.window_started_at < now() - make_interval(mins => ?) then now() else audit_anonymous_budget.window_started_at end
       returning recorded`,
      [sourceAddress ?? 'unknown', this.options.anonymousWindowMinutes, this.options.anonymousWindowMinutes],
      'all',
      em.getTransactionContext(),
    );
    return rows[0].recorded <= this.options.anonymousDenialsPerWindow;
  }

  /** Appends to each chain in a fixed order (no deadlocks between transactions touching several). */
  private async append(em: EntityManager, context: AuditContext, events: AuditEventInput[]): Promise<void> {
    if (!this.options.enabled) return;
    const chainId = context.organizationId ?? NETWORK_CHAIN;
    const pending: PendingEvent[] = events.map((event) => ({
      chainId,
      actorKind: context.actorKind,
      actorId: context.actorId,
      actorOrganizationId: context.organizationId,
      actorRoles: [...context.roles],
      action: event.action,
      category: event.category,
      entityType: event.entityType ?? null,
      entityId: event.entityId ?? null,
      subjectClientId: event.subjectClientId ?? null,
      purpose: event.purpose ?? null,
      outcome: event.outcome ?? AuditOutcome.SUCCESS,
      requestId: context.requestId,
      sourceAddress: context.sourceAddress,
      details: event.details ?? {},
    }));
    await this.appendToChain(em, chainId, pending);
  }

  private async appendToChain(em: EntityManager, chainId: string, events: PendingEvent[]): Promise<void> {
    const connection = em.getConnection();
    const tx: unknown = em.getTransactionContext();
    const lockHead = () =>
      connection.execute<{ seq: string; hash: string; now: Date }[]>(
        `select seq, hash, date_trunc('milliseconds', statement_timestamp()) as now from audit_chain_head where chain_id = ? for update`,
        [chainId],
        'all',
        tx,
      );
    let head = await lockHead();
    if (head.length === 0) {
      await connection.execute(`insert into audit_chain_head (chain_id, seq, hash) values (?, 0, ?) on conflict (chain_id) do nothing`, [chainId, GENESIS_HASH], 'run', tx);
      head = await lockHead();
    }
    let seq = BigInt(head[0].seq);
    let prevHash = head[0].hash;
    const recordedAt = new Date(head[0].now);
    const rows: unknown[] = [];
    const values: string[] = [];
    for (const event of events) {
      seq += 1n;
      const hashed: HashedFields = { ...event, seq: seq.toString(), recordedAt };
      const hash = chainHash(prevHash, hashed);
      values.push('(?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)');
      rows.push(
        chainId, hashed.seq, recordedAt, event.actorKind, event.actorId, event.actorOrganizationId, toPgArray(event.actorRoles), event.action,
        event.category, event.entityType, event.entityId, event.subjectClientId, event.purpose, event.outcome, event.requestId,
        event.sourceAddress, JSON.stringify(event.details), prevHash, hash,
      );
      prevHash = hash;
    }
    await connection.execute(
      `with appended as (
         insert into audit_event (chain_id, seq, recorded_at, actor_kind, actor_id, actor_organization_id, actor_roles, action, category,
           entity_type, entity_id, subject_client_id, purpose, outcome, request_id, source_address, details, prev_hash, hash)
         values ${values.join(', ')}
       )
       update audit_chain_head set seq = ?, hash = ? where chain_id = ?`,
      [...rows, seq.toString(), prevHash, chainId],
      'run',
      tx,
    );
  }
}

function toPgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

