import { EntityManager, type Knex } from '@mikro-orm/postgresql';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { AuditCategory, AuditOutcome, type AuditContext, type AuditEventInput } from './audit.types';
import { ChainAppender, type PendingEvent, pendingEvents } from './chain-append';
import { GroupCommit } from './group-commit';
import { transactionFailure } from './transaction-failure';

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

/** The most READ events one group-committed append writes (a single caller with more is written alone). */
export const MAX_READS_PER_APPEND = 1_000;

const DEFAULT_OPTIONS: AuditOptions = { anonymousDenialsPerWindow: 100, anonymousWindowMinutes: 15, enabled: true };

/** Collects the events of one use case; the first one recorded is its primary event. */
export class AuditRecorder {
  readonly events: AuditEventInput[] = [];

  record(event: AuditEventInput): void {
    this.events.push(event);
  }
}

/**
 * The audit trail. Every use case that changes something runs in `transaction`: the change and
 * its audit events commit together or not at all, and a use case that records no event fails.
 * Events are appended to their chain (one per acting organization) by the last statement before
 * COMMIT, which is also the one that locks the chain's head: the head stays locked only for that
 * statement and the COMMIT.
 */
@Injectable()
export class AuditTrail {
  private readonly options: AuditOptions;
  private readonly chains = new ChainAppender();
  /** READ events waiting for their chain's next append. */
  private readonly reads = new GroupCommit<PendingEvent>(
    (chainId, events) => this.appendReads(chainId, events),
    MAX_READS_PER_APPEND,
  );

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
  async transaction<T>(
    context: AuditContext | (() => AuditContext),
    work: (em: EntityManager, audit: AuditRecorder) => Promise<T>,
  ): Promise<T> {
    return this.transactional(this.em, async (em) => {
      const recorder = new AuditRecorder();
      const result = await work(em, recorder);
      if (recorder.events.length === 0) throw new Error('A use case committed no audit event: record what it did.');
      await em.flush();
      await this.append(em, typeof context === 'function' ? context() : context, recorder.events);
      return result;
    });
  }

  /** `em.transactional`, failing with the reason the transaction ended when BEGIN itself failed (transactionFailure). */
  private async transactional<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
    let transaction: Knex.Transaction | undefined;
    try {
      return await em.transactional((inner) => {
        transaction = inner.getTransactionContext<Knex.Transaction>();
        return work(inner);
      });
    } catch (error) {
      throw await transactionFailure(error, transaction);
    }
  }

  /**
   * Reads of a client's personal data, committed before the caller returns the data (no event, no
   * data). Concurrent reads of one chain are group-committed: one statement for all of them
   * (GroupCommit), and each caller returns once the statement holding its events committed.
   */
  async recordReads(context: AuditContext, reads: AuditEventInput[]): Promise<void> {
    if (reads.length === 0) return;
    if (!this.options.enabled) return;
    const { chainId, events } = pendingEvents(
      context,
      reads.map((read) => ({ ...read, category: AuditCategory.READ })),
    );
    await this.reads.append(chainId, events);
  }

  /**
   * One group of reads: one statement run on its own, so it is its own transaction, committed when
   * it returns — no BEGIN and COMMIT round trips, and the chain head is never held while Node is
   * busy with other requests (a read changes nothing else that would need a transaction).
   */
  private async appendReads(chainId: string, events: PendingEvent[]): Promise<void> {
    const knex = this.em.getConnection().getKnex().client as {
      acquireConnection(): Promise<ClientBase>;
      releaseConnection(connection: ClientBase): Promise<unknown>;
    };
    const connection = await knex.acquireConnection();
    try {
      await this.chains.append(connection, { chainId, events });
    } finally {
      await knex.releaseConnection(connection);
    }
  }

  /**
   * A refused attempt, recorded after the failed work has rolled back, in a transaction of its own.
   * Callers without a credential are counted per source address: past the budget of the window
   * their denials are not recorded, so that a flood cannot grow the log without bound.
   */
  async recordDenied(context: AuditContext, event: AuditEventInput): Promise<boolean> {
    return this.transactional(this.em.fork(), async (em) => {
      if (context.organizationId === null && !(await this.withinAnonymousBudget(em, context.sourceAddress)))
        return false;
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

  /** Appends the events to the acting organization's chain (or the network chain for anonymous callers), in the transaction of `em`. */
  private async append(em: EntityManager, context: AuditContext, events: AuditEventInput[]): Promise<void> {
    if (!this.options.enabled) return;
    await this.chains.append(await transactionConnection(em), pendingEvents(context, events));
  }
}

/** The pg connection of the transaction: MikroORM 6 runs on knex, whose transaction client hands out its one connection. */
async function transactionConnection(em: EntityManager): Promise<ClientBase> {
  const transaction = em.getTransactionContext<{ client?: { acquireConnection?: () => Promise<ClientBase> } }>();
  const acquire = transaction?.client?.acquireConnection;
  if (!acquire) throw new Error('Audit events are appended inside a database transaction');
  return acquire.call(transaction.client);
}
