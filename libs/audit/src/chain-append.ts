import type { ClientBase } from 'pg';
import {
  type AuditEventRow,
  canonicalFieldsOfRow,
  canonicalizeFields,
  canonicalParts,
  ChainHasher,
  GENESIS_HASH,
  type HashedFields,
} from './canonical';
import { AuditOutcome, type AuditContext, type AuditEventInput, NETWORK_CHAIN } from './audit.types';

/** An event as appended: every field but the two only known under the chain head's lock. */
export type PendingEvent = Omit<HashedFields, 'seq' | 'recordedAt'>;

/** Events for one chain. */
export interface ChainEvents {
  chainId: string;
  events: PendingEvent[];
}

/** The events of one caller, ready for its chain (the acting organization's, or the network chain of callers without a credential). */
export function pendingEvents(context: AuditContext, events: AuditEventInput[]): ChainEvents {
  const chainId = context.organizationId?.toLowerCase() ?? NETWORK_CHAIN;
  return {
    chainId,
    events: events.map((event) => ({
      chainId,
      actorKind: context.actorKind,
      // PostgreSQL stores uuids lower-case: hash them as they will be read back.
      actorId: context.actorId?.toLowerCase() ?? null,
      actorOrganizationId: context.organizationId?.toLowerCase() ?? null,
      actorRoles: [...context.roles],
      action: event.action,
      category: event.category,
      entityType: event.entityType ?? null,
      entityId: event.entityId ?? null,
      subjectClientId: event.subjectClientId?.toLowerCase() ?? null,
      purpose: event.purpose ?? null,
      outcome: event.outcome ?? AuditOutcome.SUCCESS,
      requestId: context.requestId,
      sourceAddress: context.sourceAddress,
      details: event.details ?? {},
    })),
  };
}

/**
 * Appends events to a chain on a connection the caller holds (in its transaction, or alone: then
 * the statement is its own transaction). AuditTrail's one way to write; exported so that the
 * benchmark's plain handler appends exactly as the application does.
 */
export class ChainAppender {
  /** Chains whose head row exists (heads are never deleted): their appends skip creating it. */
  private readonly knownHeads = new Set<string>();
  /** Used synchronously, between two awaits: one per appender is enough. */
  private readonly hasher = new ChainHasher();

  /**
   * One statement locks the chain head, hashes and inserts the events and moves the head, so that
   * the head stays locked for that statement and the COMMIT only — no round trip to Node while it
   * is held: under load each such round trip waits for the event loop, and every other writer of
   * the chain waits with it. Node prepares each event's canonical text around the two values only
   * known under the lock (seq, recordedAt); PostgreSQL completes and hashes it and stores the
   * columns read back out of that very text. The statement is prepared once per connection (its
   * text never changes; the events travel as arrays). Node then recomputes every stored row's hash
   * with canonical.ts, as verification will: a disagreement fails the use case (before COMMIT in a
   * transaction; for reads, whose append commits by itself, the read fails and verification will
   * name the event).
   */
  async append(connection: ClientBase, { chainId, events }: ChainEvents): Promise<void> {
    const pieces = events.map(canonicalAround);
    const values = [chainId, joined(pieces, 0), joined(pieces, 1), joined(pieces, 2)];
    const append = async () =>
      (await connection.query<AppendedRow>({ name: APPEND_STATEMENT, text: APPEND_SQL, values })).rows;
    const createHead = () =>
      connection.query(
        `insert into audit_chain_head (chain_id, seq, hash) values ($1, 0, $2) on conflict (chain_id) do nothing`,
        [chainId, GENESIS_HASH],
      );
    // A chain's first event needs its head row (a concurrent creator is fine); once seen, it stays.
    if (!this.knownHeads.has(chainId)) await createHead();
    let appended = await append();
    if (appended.length === 0) {
      // Known but missing: the transaction that created it rolled back.
      await createHead();
      appended = await append();
    }
    if (appended.length !== events.length)
      throw new Error(`Audit append wrote ${appended.length} of ${events.length} events`);
    this.knownHeads.add(chainId);
    for (const row of appended) {
      const stored = canonicalizeFields(canonicalFieldsOfRow(row));
      if (this.hasher.link(row.prev_hash, stored) !== row.hash) {
        throw new Error(
          `Audit append: event ${row.seq} of chain ${chainId} would not verify (the stored row and canonical.ts disagree)`,
        );
      }
    }
  }
}

interface AppendedRow extends AuditEventRow {
  /** Already in the canonical form (ISO 8601 UTC, milliseconds). */
  recorded_at: string;
}

const APPEND_STATEMENT = 'harbour_audit_append_v3';
/**
 * $1 chain id; $2, $3, $4 each event's canonical text before recordedAt, between recordedAt and
 * seq, and after seq, the events' pieces joined by SEPARATOR. The event is that text completed,
 * hashed after the previous event's hash, and its columns are read out of it by one
 * `jsonb_to_record` per event. (Reading them with `->>` from a lateral `select canonical::jsonb`
 * let the planner inline the cast into every `->>`: the text was parsed fifteen times per event,
 * 0.19 ms of PostgreSQL's CPU each, 4 ms per inbox page.)
 */
const APPEND_SQL = `with recursive
  head as (select seq, hash from audit_chain_head where chain_id = $1 for update),
  clock as (
    select at, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as iso
    from (select date_trunc('milliseconds', statement_timestamp()) as at) now
  ),
  pending as (
    select * from unnest(string_to_array($2, chr(1)), string_to_array($3, chr(1)), string_to_array($4, chr(1)))
      with ordinality as p (before_time, before_seq, after_seq, n)
  ),
  chained (n, seq, prev_hash, hash, canonical) as (
    select 0::bigint, head.seq, null::text, head.hash, null::text from head
    union all
    select p.n, c.seq + 1, c.hash, encode(sha256(decode(c.hash, 'hex') || convert_to(t.canonical, 'UTF8')), 'hex'), t.canonical
    from chained c
      join pending p on p.n = c.n + 1
      cross join clock
      cross join lateral (select p.before_time || clock.iso || p.before_seq || (c.seq + 1)::text || p.after_seq as canonical) t
  ),
  appended as (
    insert into audit_event (chain_id, seq, recorded_at, actor_kind, actor_id, actor_organization_id, actor_roles, action, category,
      entity_type, entity_id, subject_client_id, purpose, outcome, request_id, source_address, details, prev_hash, hash)
    select $1, c.seq, clock.at, e."actorKind", e."actorId", e."actorOrganizationId", e."actorRoles", e.action, e.category,
      e."entityType", e."entityId", e."subjectClientId", e.purpose, e.outcome, e."requestId", e."sourceAddress", e.details,
      c.prev_hash, c.hash
    from chained c cross join clock
      cross join lateral jsonb_to_record(c.canonical::jsonb) as e ("actorKind" audit_actor_kind, "actorId" uuid,
        "actorOrganizationId" uuid, "actorRoles" text[], action text, category audit_category, "entityType" text, "entityId" text,
        "subjectClientId" uuid, purpose text, outcome audit_outcome, "requestId" text, "sourceAddress" text, details jsonb)
    where c.n > 0
    returning chain_id, seq, to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at, actor_kind, actor_id,
      actor_organization_id, actor_roles, action, category, entity_type, entity_id, subject_client_id, purpose, outcome, request_id,
      source_address, details, prev_hash, hash
  ),
  moved as (
    update audit_chain_head set seq = last.seq, hash = last.hash
    from (select seq, hash from chained order by n desc limit 1) last
    where audit_chain_head.chain_id = $1
  )
select chain_id, seq::text as seq, recorded_at, actor_kind::text, actor_id::text, actor_organization_id::text, actor_roles, action,
  category::text, entity_type, entity_id, subject_client_id::text, purpose, outcome::text, request_id, source_address, details, prev_hash, hash
from appended order by appended.seq`;

/**
 * What separates the events' pieces in the statement's parameters: U+0001, a control character,
 * which canonical JSON always writes escaped. One text per piece instead of a text[] spares `pg`
 * writing every element as an array literal (escaping each quote of the JSON): 60–85 µs of Node's
 * CPU per inbox page, measured apart.
 */
const SEPARATOR = '\u0001';

function joined(pieces: readonly (readonly [string, string, string])[], which: 0 | 1 | 2): string {
  let text = '';
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i][which];
    if (piece.includes(SEPARATOR)) throw new Error('Audit append: a canonical text holds an unescaped U+0001');
    text += i === 0 ? piece : `${SEPARATOR}${piece}`;
  }
  return text;
}

/**
 * The statement's three pieces of an event: its canonical text around recordedAt and seq, with the
 * quotes around them, which PostgreSQL's ISO time and decimal seq never need escaped.
 */
function canonicalAround(event: PendingEvent): [string, string, string] {
  const [beforeRecordedAt, beforeSeq, afterSeq] = canonicalParts(event);
  return [`${beforeRecordedAt}"`, `"${beforeSeq}"`, `"${afterSeq}`];
}
