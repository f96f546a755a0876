import { AuditCategory, AuditTrail, systemContext } from '@harbour/audit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DeliveryOutcome } from '@harbour/webhooks';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { WebhookNetwork } from './webhook-network';
import {
  type AttemptVerdict,
  FAILING_LIMIT_MS,
  failingTooLong,
  judgeAttempt,
  liveSealedSecrets,
} from './webhook-rules';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookDisabledReason } from './webhook.enums';

/** Deliveries claimed per statement. */
const CLAIM_BATCH = 20;
/** A claim's lease: well beyond the sender's 15 seconds, so that no other worker takes a delivery in flight. */
const LEASE_MS = 60_000;
/** How often old deliveries are purged, when the worker runs. */
const PURGE_INTERVAL_MS = 3600_000;
/** Deliveries deleted per purge statement. */
const PURGE_BATCH = 5000;

/** A claimed delivery as the statement returns it (timestamps in PostgreSQL's text form). */
interface ClaimedRow {
  id: string;
  endpoint_id: string;
  organization_id: string;
  event_id: string;
  body: string;
  attempts: number;
  /** The lease, exactly as stored: the record statement matches it to know the delivery is still ours. */
  locked_until: string;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
}

function dateOf(value: string | Date | null): Date | null {
  return value === null ? null : new Date(value);
}

/** Thrown inside a disabling transaction when someone else already disabled the endpoint, or it recovered: nothing to record. */
class NothingToDisable extends Error {}

/**
 * Delivers what is due, in every server process (WEBHOOK_WORKER_INTERVAL_MS; 0 turns it off, the
 * default under HARBOUR_ENV=test, where tests call `deliverDue`), and at once when woken — after the
 * fan-out commits new deliveries in this process, or a person asks to send again.
 *
 * No transaction stays open across the network: a short statement claims due deliveries of enabled
 * endpoints with FOR UPDATE SKIP LOCKED and gives them a lease (`locked_until`), so that two
 * workers never take the same one; the attempt is made with no database work pending; a second
 * statement records it (attempt row, delivery, endpoint) only if the lease is still ours. Disabling
 * an endpoint (410 Gone; five days without success) is Harbour's own audited change in the
 * organization's chain. Deliveries of a disabled endpoint stay PENDING and go out once it is
 * enabled again, unless the retention purge removes them first. Rule times come from the Clock.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly intervalMs: number;
  private readonly retentionMs: number;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  private purging: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly network: WebhookNetwork,
    private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectPinoLogger(WebhookDeliveryWorker.name) private readonly logger: PinoLogger,
  ) {
    this.intervalMs = config.webhooks.workerIntervalMs;
    this.retentionMs = config.webhooks.deliveryRetentionDays * 86_400_000;
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs === 0) return;
    this.timers = [
      setInterval(() => this.wake(), this.intervalMs),
      setInterval(() => {
        this.purging ??= this.purgeExpired()
          .then(() => undefined)
          .catch((error: unknown) => this.logger.error({ err: error }, 'webhook delivery purge failed; it runs again'))
          .finally(() => (this.purging = undefined));
      }, PURGE_INTERVAL_MS),
    ];
    for (const timer of this.timers) timer.unref();
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([this.running, this.purging]);
  }

  /**
   * Runs `deliverDue` soon, in this process, when the worker is on: at once when idle, or once more
   * after the current run. Never waits, never throws.
   */
  wake(): void {
    if (this.intervalMs === 0 || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverDue()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, 'webhook delivery run failed; it runs again'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Claims and attempts every delivery due now, batch after batch; the number of attempts made. */
  async deliverDue(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return attempted;
      attempted += (await Promise.all(claimed.map((row) => this.attempt(row)))).filter(Boolean).length;
    }
  }

  /** Deletes the deliveries (and their attempts) created before the retention period; how many. */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.retentionMs);
    let purged = 0;
    for (;;) {
      const rows = await this.em
        .getConnection()
        .execute<{ id: string }[]>(
          'delete from webhook_delivery where id in (select id from webhook_delivery where created_at < ? limit ?) returning id',
          [cutoff, PURGE_BATCH],
        );
      purged += rows.length;
      if (rows.length < PURGE_BATCH) return purged;
    }
  }

  /** One short statement: the due deliveries of enabled endpoints, leased to this worker. */
  private claim(): Promise<ClaimedRow[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + LEASE_MS);
    return this.em.getConnection().execute<ClaimedRow[]>(
      `update webhook_delivery d set locked_until = ?
         from webhook_endpoint e
        where e.id = d.endpoint_id
          and d.id in (
            select due.id from webhook_delivery due join webhook_endpoint de on de.id = due.endpoint_id
             where due.status = 'PENDING' and due.next_attempt_at <= ?
               and (due.locked_until is null or due.locked_until < ?) and de.enabled
             order by due.next_attempt_at, due.id
             limit ?
             for update of due skip locked)
        returning d.id, d.endpoint_id, e.organization_id, d.event_id, d.body, d.attempts, d.locked_until, e.url,
                  e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at`,
      [lease, now, now, CLAIM_BATCH],
    );
  }

  /** One attempt of a claimed delivery, recorded; false when it could not be made (a secret that does not open). */
  private async attempt(row: ClaimedRow): Promise<boolean> {
    const now = this.clock.now();
    let secrets: string[];
    try {
      secrets = this.secrets.open(
        row.endpoint_id,
        liveSealedSecrets(
          {
            secretSealed: row.secret_sealed,
            previousSecretSealed: row.previous_secret_sealed,
            previousSecretExpiresAt: dateOf(row.previous_secret_expires_at),
          },
          now,
        ),
      );
    } catch (error) {
      // Left leased: it is tried again once the lease ends, e.g. after WEBHOOK_SECRET_KEY is put right.
      this.logger.error(
        { err: error, deliveryId: row.id, endpointId: row.endpoint_id },
        'a webhook secret does not open with WEBHOOK_SECRET_KEY; the delivery waits',
      );
      return false;
    }
    // The webhook-timestamp is the wall clock's: receivers hold it against theirs.
    const outcome = await this.network.send({
      url: row.url,
      secrets,
      id: row.event_id,
      timestamp: new Date(),
      body: row.body,
    });
    const verdict = judgeAttempt(outcome, row.attempts + 1, now);
    const failingSince = await this.record(row, outcome, verdict, now);
    if (failingSince === undefined) return true;
    if (verdict.gone) await this.disable(row, WebhookDisabledReason.GONE, now);
    else if (!verdict.succeeded && failingTooLong(failingSince, now))
      await this.disable(row, WebhookDisabledReason.FAILING, now);
    return true;
  }

  /**
   * The attempt, the delivery's new state and the endpoint's health, in one statement, if the lease
   * is still ours; the endpoint's `failingSince` afterwards (undefined when the lease was lost).
   */
  private async record(
    row: ClaimedRow,
    outcome: DeliveryOutcome,
    verdict: AttemptVerdict,
    at: Date,
  ): Promise<Date | null | undefined> {
    const [endpoint] = await this.em.getConnection().execute<{ failing_since: string | null }[]>(
      `with delivery as (
         update webhook_delivery
            set status = ?, attempts = attempts + 1, next_attempt_at = ?, last_attempt_at = ?, locked_until = null
          where id = ? and locked_until = ?::timestamptz
          returning id, endpoint_id
       ), attempt as (
         insert into webhook_delivery_attempt (id, delivery_id, at, http_status, duration_ms, error_class)
         select gen_random_uuid(), delivery.id, ?, ?, ?, ?::webhook_attempt_error from delivery
       )
       update webhook_endpoint e
          set last_success_at = case when ? then ?::timestamptz else e.last_success_at end,
              failing_since = case when ? then null else coalesce(e.failing_since, ?::timestamptz) end
         from delivery
        where e.id = delivery.endpoint_id
        returning e.failing_since`,
      [
        verdict.status,
        verdict.nextAttemptAt,
        at,
        row.id,
        row.locked_until,
        at,
        outcome.status ?? null,
        outcome.durationMs,
        verdict.errorClass,
        verdict.succeeded,
        at,
        verdict.succeeded,
        at,
      ],
    );
    if (!endpoint) {
      this.logger.warn({ deliveryId: row.id }, 'a webhook delivery lease ended before its attempt was recorded');
      return undefined;
    }
    return dateOf(endpoint.failing_since);
  }

  /** Harbour disables the endpoint, audited in its organization's chain; nothing when it is already off or recovered. */
  private async disable(row: ClaimedRow, reason: WebhookDisabledReason, now: Date): Promise<void> {
    try {
      await this.audit.transaction(systemContext(row.organization_id), async (em, audit) => {
        // Checked again under the row's lock: a success in between clears failingSince.
        const stillFailing = reason === WebhookDisabledReason.FAILING ? 'and failing_since <= ?' : '';
        const disabled = await em.execute<{ id: string }[]>(
          `update webhook_endpoint set enabled = false, disabled_reason = ?, disabled_at = ?, updated_at = ?
            where id = ? and enabled ${stillFailing}
            returning id`,
          [reason, now, now, row.endpoint_id, ...(stillFailing ? [new Date(now.getTime() - FAILING_LIMIT_MS)] : [])],
        );
        if (disabled.length === 0) throw new NothingToDisable();
        audit.record({
          action: 'webhookEndpoint.disable',
          category: AuditCategory.UPDATE,
          entityType: 'WebhookEndpoint',
          entityId: row.endpoint_id,
          details: { reason },
        });
      });
      this.logger.warn({ endpointId: row.endpoint_id, reason }, 'webhook endpoint disabled');
    } catch (error) {
      if (!(error instanceof NothingToDisable)) throw error;
    }
  }
}
