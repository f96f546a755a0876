import { AuditCategory, AuditTrail, systemContext } from '@harbour/audit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { OPEN_STATUSES } from '../referrals';
import { Client } from '../clients/client.entity';
import { ErasureBasis, eraseClientData } from './client-erasure';

/** Clients looked at per sweep; the next tick takes the rest. */
export const RETENTION_BATCH = 200;

/**
 * When a client is due for erasure under the retention rule, as SQL over `client c` with two
 * parameters (now, and the cutoff: now less CLIENT_RETENTION_DAYS): not erased; no open referral; no
 * active consent; and the later of the record's last change and the moment its last referral became
 * terminal (a terminal referral never changes again, so that is its `updated_at`) is at or before
 * the cutoff. A client never referred is thus due a retention period after their record last changed.
 */
const DUE = `c.erased_at is null
  and not exists (select 1 from referral r where r.client_id = c.id and r.status in (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')}))
  and not exists (select 1 from consent k where k.client_id = c.id and k.revoked_at is null and k.expires_at > ?)
  and greatest(c.updated_at, (select max(r.updated_at) from referral r where r.client_id = c.id)) <= ?`;

/**
 * The retention schedule's work: erases the personal data of every client due (see DUE), in
 * bounded batches, one audited transaction per holding organization, recorded in its chain as
 * Harbour's (`client.retentionSweep`, then one `client.erased` per client). Safe with several
 * processes: each transaction locks its clients `for update skip locked` and checks them again under
 * the lock, so two sweeps never erase one client twice, and a client whose referral or consent is
 * being written (which locks the client too) is left for a later sweep.
 */
@Injectable()
export class ClientRetention {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The cutoff at `now`: records whose last activity is at or before it are due. */
  cutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.clients.retentionDays * 86_400_000);
  }

  /** Erases the clients due at `now` (at most RETENTION_BATCH); returns how many it erased. */
  async eraseDue(now: Date = this.clock.now()): Promise<number> {
    const due = await this.em
      .fork()
      .execute<{ id: string; organization_id: string }[]>(
        `select c.id, c.organization_id from client c where ${DUE} order by c.id limit ?`,
        [now, this.cutoff(now), RETENTION_BATCH],
      );
    const byOrganization = new Map<string, string[]>();
    for (const row of due)
      byOrganization.set(row.organization_id, [...(byOrganization.get(row.organization_id) ?? []), row.id]);
    let erased = 0;
    for (const [organizationId, ids] of byOrganization) {
      erased += await this.audit.transaction(systemContext(organizationId), async (em, audit) => {
        audit.record({
          action: 'client.retentionSweep',
          category: AuditCategory.EXECUTE,
          details: { candidates: ids.length, retentionDays: this.config.clients.retentionDays },
        });
        const locked = await em.execute<{ id: string }[]>(
          `select c.id from client c where c.id in (select value::uuid from jsonb_array_elements_text(?::jsonb)) and ${DUE} order by c.id for update of c skip locked`,
          [JSON.stringify(ids), now, this.cutoff(now)],
        );
        const clients = await em.find(Client, { id: { $in: locked.map((row) => row.id) } }, { orderBy: { id: 'asc' } });
        for (const client of clients) await eraseClientData(em, audit, client, now, ErasureBasis.RETENTION_PERIOD);
        return clients.length;
      });
    }
    return erased;
  }
}
