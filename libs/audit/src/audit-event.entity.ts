import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { AuditActorKind, AuditCategory, AuditOutcome } from './audit.types';

/**
 * One audit event. Append-only: the runtime role may only INSERT and SELECT, and triggers refuse
 * UPDATE, DELETE and TRUNCATE for everyone (see the migration). `hash` chains each event to the
 * previous one of its chain: SHA-256(prevHash ‖ canonical serialisation), see canonical.ts.
 */
@Entity({ tableName: 'audit_event' })
@Index({ properties: ['chainId', 'recordedAt'] })
@Index({ properties: ['subjectClientId'] })
export class AuditEvent {
  /** The acting organization's id, or `network` for anonymous callers. */
  @PrimaryKey({ type: 'text' })
  chainId: string;

  /** Gap-free position within the chain, from 1. */
  @PrimaryKey({ type: 'bigint' })
  seq: string;

  /** Database time (UTC), to the millisecond. */
  @Property({ type: 'timestamptz' })
  recordedAt: Date;

  @Enum({ items: () => AuditActorKind, nativeEnumName: 'audit_actor_kind' })
  actorKind: AuditActorKind;

  @Property({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Property({ type: 'uuid', nullable: true })
  actorOrganizationId: string | null;

  @Property({ type: 'text[]' })
  actorRoles: string[];

  @Property({ type: 'text' })
  action: string;

  @Enum({ items: () => AuditCategory, nativeEnumName: 'audit_category' })
  category: AuditCategory;

  @Property({ type: 'text', nullable: true })
  entityType: string | null;

  @Property({ type: 'text', nullable: true })
  entityId: string | null;

  @Property({ type: 'uuid', nullable: true })
  subjectClientId: string | null;

  @Property({ type: 'text', nullable: true })
  purpose: string | null;

  @Enum({ items: () => AuditOutcome, nativeEnumName: 'audit_outcome' })
  outcome: AuditOutcome;

  @Property({ type: 'text', nullable: true })
  requestId: string | null;

  @Property({ type: 'text', nullable: true })
  sourceAddress: string | null;

  @Property({ type: 'jsonb' })
  details: Record<string, unknown>;

  @Property({ type: 'text' })
  prevHash: string;

  @Property({ type: 'text' })
  hash: string;
}

/** The head of each chain: where the next event goes. A cache of the chain's last row, locked to append. */
@Entity({ tableName: 'audit_chain_head' })
export class AuditChainHead {
  @PrimaryKey({ type: 'text' })
  chainId: string;

  @Property({ type: 'bigint' })
  seq: string;

  @Property({ type: 'text' })
  hash: string;
}

/** Denials without a credential, counted per source address, so that floods cannot grow the log without bound. */
@Entity({ tableName: 'audit_anonymous_budget' })
export class AuditAnonymousBudget {
  @PrimaryKey({ type: 'text' })
  sourceAddress: string;

  @Property({ type: 'timestamptz' })
  windowStartedAt: Date;

  @Property({ type: 'integer' })
  recorded: number;
}
