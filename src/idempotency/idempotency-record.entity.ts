import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * One idempotency key a caller has used (docs/architecture.md, Retries and idempotency): who
 * (the staff account or API client, and the organization it acted for), for which mutation, the
 * SHA-256 of the key and of the input's canonical form, and the id of the object the first answer
 * was about. Never the input or the answer themselves: a replay reads the object again. Written in
 * the transaction of the work it stands for; forgotten after FORGET_KEYS_AFTER_HOURS.
 */
@Entity({ tableName: 'idempotency_record' })
@Unique({
  name: 'idempotency_record_key_unique',
  properties: ['actorKind', 'actorId', 'organizationId', 'operation', 'keyHash'],
})
@Index({ properties: ['createdAt'] })
export class IdempotencyRecord {
  [OptionalProps]?: 'objectId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: ['STAFF', 'API_CLIENT'] })
  actorKind: 'STAFF' | 'API_CLIENT';

  /** Staff account or API client. */
  @Property({ type: 'uuid' })
  actorId: string;

  /** The organization the actor acted for: a person's key in one organization is unrelated to theirs in another. */
  @Property({ type: 'uuid' })
  organizationId: string;

  /** The mutation, as named in the schema (`acceptReferral`). */
  @Property({ type: 'text' })
  operation: string;

  /** SHA-256 (hex) of the caller's key. */
  @Property({ type: 'text' })
  keyHash: string;

  /** SHA-256 (hex) of the canonical form of the input the key was first used with. */
  @Property({ type: 'text' })
  fingerprint: string;

  /** The object the first answer was about; set by the transaction that claimed the key, so never null once committed. */
  @Property({ type: 'uuid', nullable: true })
  objectId: string | null = null;

  /** By the Clock, so that the purge can be tested. */
  @Property({ type: 'timestamptz' })
  createdAt: Date;
}
