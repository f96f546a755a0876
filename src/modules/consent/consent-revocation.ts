import type { AuditRecorder } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Consent } from './consent.entity';

/** What a revocation step gets: the revocation's own transaction, audit recorder and outbox recipients. */
export interface ConsentRevocation {
  readonly em: EntityManager;
  readonly audit: AuditRecorder;
  readonly actor: Actor;
  /** Already marked revoked (not yet flushed). */
  readonly consent: Consent;
  readonly revokedAt: Date;
  /** Adds an organization to tell through the `consent.revoked` outbox event (e.g. a cancelled referral's receiver). */
  notify(organizationId: string): void;
}

/**
 * Work that must happen in the same transaction as a revocation: the referrals module registers the
 * step that cancels every open referral under the consent (`CONSENT_WITHDRAWN`). A step that throws
 * rolls the whole revocation back — the consent stays active, no event, no outbox row.
 */
export interface ConsentRevocationStep {
  readonly name: string;
  run(revocation: ConsentRevocation): Promise<void>;
}

/** The steps every revocation runs, in registration order. Modules register theirs at start-up. */
@Injectable()
export class ConsentRevocationSteps {
  private readonly steps: ConsentRevocationStep[] = [];

  /** Returns a function that removes the step again. */
  register(step: ConsentRevocationStep): () => void {
    this.steps.push(step);
    return () => {
      const index = this.steps.indexOf(step);
      if (index >= 0) this.steps.splice(index, 1);
    };
  }

  async runAll(revocation: ConsentRevocation): Promise<void> {
    for (const step of [...this.steps]) await step.run(revocation);
  }
}
