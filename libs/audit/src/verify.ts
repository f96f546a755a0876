import type { AuditLogReader, RawRow, Rows } from './audit-log-reader';
import { canonicalizeSerialized, canonicalJson, ChainHasher, GENESIS_HASH, type SerializedFields } from './canonical';

/**
 * Verification of the audit chains: every event is read again, in order, in keyset batches, and
 * its hash recomputed from its contents (canonical.ts). Memory stays constant: at most two batches
 * are held at once, the one being checked and the next one, which PostgreSQL prepares meanwhile;
 * a batch waits as one line of text per row and is decoded row by row as it is checked.
 *
 * What breaks a chain, and where it is reported (`firstInvalidSeq`):
 *   - an edited event: its recomputed hash differs from its stored one → that event;
 *   - a removed event: a gap in `seq` → the missing seq;
 *   - an inserted or moved event: an event whose `prevHash` is not the previous event's hash, or
 *     whose `seq` no longer matches what it was hashed with → the first such event;
 *   - a chain head (audit_chain_head) that disagrees with the events: ahead of the last event
 *     (events removed from the end), behind it (events added outside Harbour, or the head moved
 *     back), or with another hash → the first seq where they disagree;
 *   - with a signed checkpoint: an event at the checkpoint's seq with another hash, or a chain
 *     that now ends before it (the end was cut off, head and all) → see checkpoint.ts.
 * A chain that is broken is not read further: nothing after the break can be trusted.
 */

export interface ChainVerification {
  chainId: string;
  valid: boolean;
  /** Events found intact, from the first one up to the head, or up to the first invalid one. */
  eventsChecked: number;
  /** Where the chain first breaks; null when it is valid. */
  firstInvalidSeq: number | null;
  /** Why it breaks, for a person; null when it is valid. */
  reason: string | null;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** A position a signed checkpoint vouches for: the event at `seq` must still be there, with `hash`. */
export interface ChainAnchor extends ChainHead {
  /** Named in reasons: "the checkpoint of …". */
  createdAt: string;
}

/** An event as stored, `actorRoles` and `details` as canonical JSON: what its hash is recomputed from. */
export interface StoredEvent extends SerializedFields {
  prevHash: string;
  hash: string;
}

/**
 * 2,000 rows of ~0.6 kB: a batch is garbage before the collector would have to keep it (larger
 * batches cost more CPU, measured), and 500 statements per million events cost next to nothing.
 */
export const DEFAULT_BATCH_SIZE = 2_000;

// recordedAt with microseconds: the log stores milliseconds (see AuditTrail), so anything finer is an edit.
const EVENT_COLUMNS = `seq, to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor_kind, actor_id,
  actor_organization_id, array_to_json(actor_roles), action, category, entity_type, entity_id, subject_client_id, purpose, outcome,
  request_id, source_address, details, prev_hash, hash`;
const NO_UPPER_BOUND = '9223372036854775807';
const LOWEST_SEQ = '-9223372036854775808';

/**
 * PostgreSQL's JSON text of roles and details, as canonical JSON. The same few shapes repeat from
 * event to event, so results are remembered — up to a bound, to keep memory constant.
 */
export class CanonicalJsonCache {
  private readonly known = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  of(json: string): string {
    let canonical = this.known.get(json);
    if (canonical === undefined) {
      canonical = canonicalJson(JSON.parse(json));
      if (this.known.size >= this.capacity) this.known.clear();
      this.known.set(json, canonical);
    }
    return canonical;
  }
}

/** A raw row (EVENT_COLUMNS) as the fields its hash was computed from. */
export function parseEventRow(
  chainId: string,
  row: RawRow,
  json: CanonicalJsonCache = new CanonicalJsonCache(),
): StoredEvent {
  const recordedAt = row[1] ?? '';
  return {
    chainId,
    seq: row[0] ?? '',
    // Whole milliseconds are written as the canonical form writes them; finer times stay as they are and fail the hash.
    recordedAt: recordedAt.length === 27 && recordedAt.endsWith('000Z') ? `${recordedAt.slice(0, 23)}Z` : recordedAt,
    actorKind: row[2] ?? '',
    actorId: row[3],
    actorOrganizationId: row[4],
    actorRoles: json.of(row[5] ?? '[]'),
    action: row[6] ?? '',
    category: row[7] ?? '',
    entityType: row[8],
    entityId: row[9],
    subjectClientId: row[10],
    purpose: row[11],
    outcome: row[12] ?? '',
    requestId: row[13],
    sourceAddress: row[14],
    details: json.of(row[15] ?? 'null'),
    prevHash: row[16] ?? '',
    hash: row[17] ?? '',
  };
}

/**
 * Checks one chain's events as they come, in seq order, then its head. Pure: the database part is
 * `verifyChain` below.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private lastHash = GENESIS_HASH;
  private checked = 0;
  private failure: { seq: number; reason: string } | null = null;
  private readonly hasher = new ChainHasher();

  constructor(
    readonly chainId: string,
    private readonly anchor: ChainAnchor | null = null,
  ) {
    if (anchor && anchor.seq === 0 && anchor.hash !== GENESIS_HASH)
      this.fail(0, `the checkpoint of ${anchor.createdAt} names a start of the chain that is not the genesis hash`);
  }

  get intact(): boolean {
    return this.failure === null;
  }

  /** Last seq found intact (0 before the first event). */
  get lastSeq(): number {
    return this.expectedSeq - 1;
  }

  /** Checks the next event; false once the chain is broken (read no further). */
  push(event: StoredEvent): boolean {
    if (this.failure) return false;
    const seq = Number(event.seq);
    if (seq > this.expectedSeq)
      return this.fail(this.expectedSeq, `event ${this.expectedSeq} is missing (the next event is ${event.seq})`);
    if (seq !== this.expectedSeq)
      return this.fail(seq, `event ${event.seq} is not a position in the chain (they start at 1)`);
    if (event.prevHash !== this.lastHash) {
      return this.fail(
        seq,
        `event ${seq} does not link to the event before it (its prevHash is not that event's hash): an event was inserted, removed or moved`,
      );
    }
    if (this.hasher.link(this.lastHash, canonicalizeSerialized(event)) !== event.hash) {
      return this.fail(seq, `event ${seq} was changed: its contents no longer match its hash`);
    }
    if (this.anchor && seq === this.anchor.seq && event.hash !== this.anchor.hash) {
      return this.fail(
        seq,
        `event ${seq} differs from the checkpoint of ${this.anchor.createdAt}: the chain was rewritten at or before it`,
      );
    }
    this.lastHash = event.hash;
    this.expectedSeq += 1;
    this.checked += 1;
    return true;
  }

  /**
   * The verdict, once every event up to the head has been pushed. `head` is the chain's head row
   * (null when there is none); `beyondHead` the first event found after the head, if any.
   */
  finish(head: ChainHead | null, beyondHead: number | null = null): ChainVerification {
    if (!this.failure) this.checkTail(head, beyondHead);
    return {
      chainId: this.chainId,
      valid: this.failure === null,
      eventsChecked: this.checked,
      firstInvalidSeq: this.failure?.seq ?? null,
      reason: this.failure?.reason ?? null,
    };
  }

  private checkTail(head: ChainHead | null, beyondHead: number | null): void {
    const last = this.lastSeq;
    if (head === null) {
      if (last > 0) this.fail(1, `the chain has ${last} events but no head`);
    } else if (head.seq > last) {
      this.fail(
        last + 1,
        `the chain head is at event ${head.seq} but the chain ends at event ${last}: events at its end were removed`,
      );
    } else if (head.seq < last) {
      this.fail(
        head.seq + 1,
        `event ${head.seq + 1} lies beyond the chain head (${head.seq}): it was added outside Harbour, or the head was moved back`,
      );
    } else if (head.hash !== this.lastHash) {
      this.fail(head.seq, `the chain head's hash differs from the hash of event ${head.seq}`);
    } else if (beyondHead !== null) {
      this.fail(
        beyondHead,
        `event ${beyondHead} lies beyond the chain head (${head.seq}): it was added outside Harbour, or the head was moved back`,
      );
    }
    if (!this.failure && this.anchor && this.anchor.seq > last) {
      this.fail(
        last + 1,
        `the checkpoint of ${this.anchor.createdAt} vouches for events up to ${this.anchor.seq}, but the chain ends at event ${last}: events at its end were removed`,
      );
    }
  }

  private fail(seq: number, reason: string): false {
    this.failure = { seq, reason };
    return false;
  }
}

export interface VerifyOptions {
  batchSize?: number;
  /** From a signed checkpoint: an event the chain must still hold. */
  anchor?: ChainAnchor | null;
}

async function readHead(reader: AuditLogReader, chainId: string): Promise<ChainHead | null> {
  const rows = await reader.rows('select seq, hash from audit_chain_head where chain_id = ?', [chainId]);
  if (rows.length === 0) return null;
  const [seq, hash] = rows.at(0);
  return { seq: Number(seq), hash: hash ?? '' };
}

/**
 * Verifies one chain up to its head as read when verification starts; events appended meanwhile
 * are left for the next run. Works in READ COMMITTED: an append writes its events and moves the
 * head in one transaction, so every event up to a head that has been read is there to be read.
 */
export async function verifyChain(
  reader: AuditLogReader,
  chainId: string,
  options: VerifyOptions = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const verifier = new ChainVerifier(chainId, options.anchor ?? null);
  const json = new CanonicalJsonCache();
  const head = await readHead(reader, chainId);
  const upTo = head ? String(head.seq) : NO_UPPER_BOUND;
  const batch = (after: string) =>
    reader.rows(
      `select ${EVENT_COLUMNS} from audit_event where chain_id = ? and seq > ? and seq <= ? order by seq limit ?`,
      [chainId, after, upTo, batchSize],
    );

  // From the lowest bigint: an event slipped in at seq 0 or below is found too.
  let next: Promise<Rows> | null = batch(LOWEST_SEQ);
  while (next) {
    const rows: Rows = await next;
    // Ask for the next batch before checking this one: PostgreSQL reads while we hash.
    next = rows.length === batchSize ? batch(rows.at(rows.length - 1)[0] ?? LOWEST_SEQ) : null;
    let intact = true;
    try {
      for (let i = 0; i < rows.length && intact; i++) intact = verifier.push(parseEventRow(chainId, rows.at(i), json));
    } catch (error) {
      // Never leave a query behind on the connection.
      await next?.catch(() => undefined);
      throw error;
    }
    if (!intact) {
      await next;
      break;
    }
  }

  let beyondHead: number | null = null;
  if (verifier.intact && head && verifier.lastSeq === head.seq) {
    const after = await reader.rows('select seq from audit_event where chain_id = ? and seq > ? order by seq limit 1', [
      chainId,
      upTo,
    ]);
    if (after.length > 0) {
      const seq = Number(after.at(0)[0]);
      // Appended since we started? Then the head has moved past it by now.
      const now = await readHead(reader, chainId);
      if (!now || now.seq < seq) beyondHead = seq;
    }
  }
  return verifier.finish(head, beyondHead);
}

/** Every chain: those with a head and those with events (a chain whose head was removed included). */
export async function listChains(reader: AuditLogReader): Promise<string[]> {
  // A loose index scan over the primary key: one probe per chain, however many events it holds.
  const rows = await reader.rows(
    `with recursive chains(chain_id) as (
       (select chain_id from audit_event order by chain_id limit 1)
       union all
       select (select e.chain_id from audit_event e where e.chain_id > chains.chain_id order by e.chain_id limit 1)
       from chains where chains.chain_id is not null
     )
     select chain_id from chains where chain_id is not null
     union
     select chain_id from audit_chain_head
     order by 1`,
    [],
  );
  return Array.from({ length: rows.length }, (_, i) => rows.at(i)[0] ?? '');
}

/** Verifies the given chains (every chain by default) one after the other, yielding each result as it is known. */
export async function* verifyChains(
  reader: AuditLogReader,
  chainIds: readonly string[] | null = null,
  options: Omit<VerifyOptions, 'anchor'> & { anchors?: ReadonlyMap<string, ChainAnchor> } = {},
): AsyncGenerator<ChainVerification> {
  for (const chainId of chainIds ?? (await listChains(reader))) {
    yield await verifyChain(reader, chainId, {
      batchSize: options.batchSize,
      anchor: options.anchors?.get(chainId) ?? null,
    });
  }
}
