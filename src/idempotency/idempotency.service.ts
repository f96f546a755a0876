import { type AuditEventInput, type AuditRecorder, AuditTrail, auditContextOf } from '@harbour/audit';
import type { Actor } from '@harbour/authz';
import { ConflictError } from '@harbour/graphql-kit';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { inputFingerprint, sha256 } from './fingerprint';
import { IdempotencyRecord } from './idempotency-record.entity';

/** A key is answered again for at least this long after its first use (the promise to callers)… */
export const KEYS_KEPT_HOURS = 24;
/** …and forgotten once older than this: the purge deletes it, and the key may then be used again. */
export const FORGET_KEYS_AFTER_HOURS = 48;

/** What a caller asked for, and the key it sent with it. */
export interface IdempotentRequest {
  /** The mutation, as named in the schema (`acceptReferral`). */
  readonly operation: string;
  /** The caller's key; none (null or omitted) makes the request an ordinary one. */
  readonly key: string | null | undefined;
  /**
   * What the key stands for: the mutation's arguments but the key itself (and `expectedVersion`, a
   * guard on the first attempt rather than part of what is asked), ids in lower case.
   */
  readonly input: unknown;
}

/** The use case: its work, and how to answer again without doing it. */
export interface IdempotentWork<T> {
  /** Does the work in the transaction; names the object its answer is about. */
  perform(em: EntityManager, audit: AuditRecorder): Promise<{ objectId: string; answer: T }>;
  /**
   * The first answer again, as the object is now: reads the object in the transaction (through the
   * access gate) and names the audit event of the work, which is recorded with `replayed: true`.
   */
  replay(em: EntityManager, objectId: string): Promise<{ answer: T; event: AuditEventInput }>;
}

/**
 * Safe retries for the mutations a partner retries after a timeout. A use case runs through
 * `transaction` instead of AuditTrail.transaction; with a key, the transaction first claims
 * (actor, organization, operation, key) in `idempotency_record`:
 * - the claim is new: the work is done, and the record names its object — both commit together,
 *   or neither does (a refused or failed request leaves its key unused);
 * - the key was used with the same input: nothing is done again; the object is read and answered
 *   as it is now, and the replay is audited;
 * - the key was used with other input: CONFLICT.
 * The claim is an INSERT … ON CONFLICT DO NOTHING on the unique index, the first statement of the
 * transaction: a concurrent request with the same key waits there until the first one commits
 * (then replays) or rolls back (then does the work itself), so exactly one does the work.
 */
@Injectable()
export class Idempotency {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async transaction<T>(actor: Actor, request: IdempotentRequest, work: IdempotentWork<T>): Promise<T> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const key = request.key;
      if (!key) return (await work.perform(em, audit)).answer;
      const record = {
        actorKind: actor.kind,
        actorId: actor.id,
        organizationId: actor.organizationId,
        operation: request.operation,
        keyHash: sha256(key),
      };
      const fingerprint = inputFingerprint(request.input);
      // Twice at most: an earlier record can only vanish between the two statements if the purge took it.
      for (let attempt = 0; attempt < 2; attempt++) {
        const claimed = await this.claim(em, record, fingerprint);
        if (claimed) {
          const { objectId, answer } = await work.perform(em, audit);
          await em.nativeUpdate(IdempotencyRecord, { id: claimed }, { objectId });
          return answer;
        }
        const earlier = await em.findOne(IdempotencyRecord, record);
        if (!earlier) continue;
        if (earlier.fingerprint !== fingerprint) {
          throw new ConflictError(
            `This idempotency key was already used for ${request.operation} with different input: use a new key for a new request.`,
          );
        }
        if (earlier.objectId === null) throw new Error('A committed idempotency record names no object');
        const { answer, event } = await work.replay(em, earlier.objectId);
        audit.record({ ...event, details: { ...event.details, replayed: true } });
        return answer;
      }
      throw new Error('An idempotency key could be neither claimed nor found');
    });
  }

  /** Deletes the records older than FORGET_KEYS_AFTER_HOURS at `now`; returns how many. */
  async purge(now: Date = this.clock.now()): Promise<number> {
    const before = new Date(now.getTime() - FORGET_KEYS_AFTER_HOURS * 3_600_000);
    return this.em.fork().nativeDelete(IdempotencyRecord, { createdAt: { $lt: before } });
  }

  /** Inserts the record unless its key is taken; returns its id when this transaction holds the key now. */
  private async claim(
    em: EntityManager,
    record: Pick<IdempotencyRecord, 'actorKind' | 'actorId' | 'organizationId' | 'operation' | 'keyHash'>,
    fingerprint: string,
  ): Promise<string | null> {
    const id = randomUUID();
    const result = await em
      .createQueryBuilder(IdempotencyRecord)
      .insert({ id, ...record, fingerprint, createdAt: this.clock.now() })
      .onConflict(['actorKind', 'actorId', 'organizationId', 'operation', 'keyHash'])
      .ignore()
      .execute<{ affectedRows: number }>('run');
    return result.affectedRows === 1 ? id : null;
  }
}
