import {
  CanonicalJsonCache,
  ChainVerifier,
  GENESIS_HASH,
  canonicalJson,
  chainHash,
  parseCopyTextRow,
  parseEventRow,
  type ChainAnchor,
  type HashedFields,
  type RawRow,
  type StoredEvent,
} from '@harbour/audit';

const CHAIN = '2f1c3a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

function event(seq: number): HashedFields {
  return {
    chainId: CHAIN,
    seq: String(seq),
    recordedAt: new Date(Date.UTC(2026, 10, 26, 12) + seq * 1001),
    actorKind: 'STAFF',
    actorId: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
    actorOrganizationId: CHAIN,
    actorRoles: ['ORG_ADMIN'],
    action: seq % 2 === 0 ? 'location.create' : 'service.update',
    category: 'UPDATE',
    entityType: 'Location',
    entityId: `entity-${seq}`,
    subjectClientId: null,
    purpose: null,
    outcome: 'SUCCESS',
    requestId: `request-${seq}`,
    sourceAddress: '127.0.0.1',
    details: { fields: ['name'], n: seq },
  };
}

function stored(fields: HashedFields, prevHash: string, hash = chainHash(prevHash, fields)): StoredEvent {
  return {
    ...fields,
    recordedAt: fields.recordedAt.toISOString(),
    actorRoles: canonicalJson(fields.actorRoles),
    details: canonicalJson(fields.details),
    prevHash,
    hash,
  };
}

/** A valid chain of `n` events, as appended by AuditTrail. */
function chain(n: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = stored(event(seq), prev);
    events.push(e);
    prev = e.hash;
  }
  return events;
}

const headOf = (events: StoredEvent[]) => ({
  seq: events.length,
  hash: events[events.length - 1]?.hash ?? GENESIS_HASH,
});

function verify(
  events: StoredEvent[],
  head: { seq: number; hash: string } | null = headOf(events),
  options: { anchor?: ChainAnchor; beyondHead?: number } = {},
) {
  const verifier = new ChainVerifier(CHAIN, options.anchor ?? null);
  for (const e of events) if (!verifier.push(e)) break;
  return verifier.finish(head, options.beyondHead ?? null);
}

describe(ChainVerifier.name, () => {
  it('accepts an intact chain and counts its events', () => {
    expect(verify(chain(5))).toEqual({
      chainId: CHAIN,
      valid: true,
      eventsChecked: 5,
      firstInvalidSeq: null,
      reason: null,
    });
  });

  it('accepts a chain without events (a head at its start, or no head at all)', () => {
    expect(verify([], { seq: 0, hash: GENESIS_HASH })).toMatchObject({ valid: true, eventsChecked: 0 });
    expect(verify([], null)).toMatchObject({ valid: true, eventsChecked: 0 });
  });

  it('finds an edited event: its contents no longer match its hash', () => {
    const events = chain(5);
    events[2] = { ...events[2], action: 'location.delete' };
    expect(verify(events)).toMatchObject({
      valid: false,
      eventsChecked: 2,
      firstInvalidSeq: 3,
      reason: expect.stringContaining('was changed'),
    });
  });

  it('finds an edit in details, however deep', () => {
    const events = chain(5);
    events[3] = { ...events[3], details: canonicalJson({ fields: ['name'], n: 999 }) };
    expect(verify(events)).toMatchObject({ valid: false, firstInvalidSeq: 4 });
  });

  it('finds an edited hash', () => {
    const events = chain(5);
    events[2] = { ...events[2], hash: 'f'.repeat(64) };
    expect(verify(events)).toMatchObject({ valid: false, firstInvalidSeq: 3 });
  });

  it('finds a removed event: the gap is the first invalid seq', () => {
    const events = chain(5);
    events.splice(2, 1);
    expect(verify(events, headOf(chain(5)))).toMatchObject({
      valid: false,
      eventsChecked: 2,
      firstInvalidSeq: 3,
      reason: expect.stringContaining('event 3 is missing'),
    });
  });

  it('finds the removal of the first event', () => {
    expect(verify(chain(3).slice(1), headOf(chain(3)))).toMatchObject({
      valid: false,
      eventsChecked: 0,
      firstInvalidSeq: 1,
    });
  });

  it('finds an inserted event, even one hashed correctly, at the first original event after it', () => {
    const events = chain(5);
    const forged = stored({ ...event(3), action: 'staff.login', entityId: 'forged' }, events[1].hash);
    // The forger renumbers the events after it; their hashes were made with their old positions.
    const shifted = events.slice(2).map((e) => ({ ...e, seq: String(Number(e.seq) + 1) }));
    const tampered = [...events.slice(0, 2), forged, ...shifted];
    expect(verify(tampered, { seq: 6, hash: shifted[shifted.length - 1].hash })).toMatchObject({
      valid: false,
      eventsChecked: 3,
      firstInvalidSeq: 4,
    });
  });

  it('finds an inserted event whose hash does not fit, at the event itself', () => {
    const events = chain(5);
    const forged = { ...stored({ ...event(3), action: 'staff.login' }, events[1].hash), hash: 'a'.repeat(64) };
    const shifted = events.slice(2).map((e) => ({ ...e, seq: String(Number(e.seq) + 1) }));
    expect(verify([...events.slice(0, 2), forged, ...shifted])).toMatchObject({ valid: false, firstInvalidSeq: 3 });
  });

  it('finds a reordering: two events swapped, positions kept', () => {
    const events = chain(5);
    const swapped = [events[0], { ...events[2], seq: '2' }, { ...events[1], seq: '3' }, events[3], events[4]];
    expect(verify(swapped)).toMatchObject({ valid: false, eventsChecked: 1, firstInvalidSeq: 2 });
  });

  it("finds a prevHash that is not the previous event's hash", () => {
    const events = chain(5);
    events[2] = { ...events[2], prevHash: events[0].hash };
    expect(verify(events)).toMatchObject({
      valid: false,
      firstInvalidSeq: 3,
      reason: expect.stringContaining('does not link'),
    });
  });

  it('finds an event at seq 0 or below', () => {
    const zero = stored({ ...event(0) }, GENESIS_HASH);
    expect(verify([zero, ...chain(2)])).toMatchObject({ valid: false, firstInvalidSeq: 0 });
  });

  describe('chain head', () => {
    it('ahead of the last event: events at the end were removed', () => {
      const events = chain(5);
      expect(verify(events.slice(0, 3), headOf(events))).toMatchObject({
        valid: false,
        eventsChecked: 3,
        firstInvalidSeq: 4,
        reason: expect.stringContaining('removed'),
      });
    });

    it('behind the last event, or an event found beyond it', () => {
      const events = chain(5);
      expect(verify(events, { seq: 3, hash: events[2].hash })).toMatchObject({
        valid: false,
        firstInvalidSeq: 4,
        reason: expect.stringContaining('beyond the chain head'),
      });
      expect(verify(events, headOf(events), { beyondHead: 6 })).toMatchObject({ valid: false, firstInvalidSeq: 6 });
    });

    it('with another hash than the last event', () => {
      expect(verify(chain(5), { seq: 5, hash: 'e'.repeat(64) })).toMatchObject({
        valid: false,
        firstInvalidSeq: 5,
        reason: expect.stringContaining("head's hash"),
      });
    });

    it('missing while the chain has events', () => {
      expect(verify(chain(2), null)).toMatchObject({
        valid: false,
        firstInvalidSeq: 1,
        reason: expect.stringContaining('no head'),
      });
    });
  });

  describe('checkpoint anchor', () => {
    const createdAt = '2026-11-26T12:00:00.000Z';

    it('accepts a chain that still holds the anchored event, and has grown since', () => {
      const events = chain(5);
      expect(verify(events, headOf(events), { anchor: { seq: 3, hash: events[2].hash, createdAt } })).toMatchObject({
        valid: true,
        eventsChecked: 5,
      });
    });

    it('finds a cut end that leaves a valid, shorter chain', () => {
      const events = chain(5);
      const cut = events.slice(0, 3);
      expect(verify(cut)).toMatchObject({ valid: true });
      expect(verify(cut, headOf(cut), { anchor: { seq: 5, hash: events[4].hash, createdAt } })).toMatchObject({
        valid: false,
        eventsChecked: 3,
        firstInvalidSeq: 4,
        reason: expect.stringContaining(`checkpoint of ${createdAt}`),
      });
    });

    it('finds a chain rewritten up to its end (every hash recomputed)', () => {
      const events = chain(5);
      const rewritten: StoredEvent[] = [];
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 5; seq++) {
        const e = stored({ ...event(seq), action: seq === 2 ? 'rewritten' : event(seq).action }, prev);
        rewritten.push(e);
        prev = e.hash;
      }
      expect(verify(rewritten)).toMatchObject({ valid: true });
      expect(
        verify(rewritten, headOf(rewritten), { anchor: { seq: 4, hash: events[3].hash, createdAt } }),
      ).toMatchObject({ valid: false, firstInvalidSeq: 4 });
    });
  });
});

describe(parseEventRow.name, () => {
  /** A row as PostgreSQL sends it for verify.ts's SELECT: text, jsonb with its spaces, microseconds. */
  function raw(e: StoredEvent, overrides: Partial<Record<number, string | null>> = {}): RawRow {
    const row: RawRow = [
      e.seq,
      `${e.recordedAt.slice(0, 23)}000Z`,
      e.actorKind,
      e.actorId,
      e.actorOrganizationId,
      JSON.stringify(JSON.parse(e.actorRoles)).replace(/,/g, ', '),
      e.action,
      e.category,
      e.entityType,
      e.entityId,
      e.subjectClientId,
      e.purpose,
      e.outcome,
      e.requestId,
      e.sourceAddress,
      '{"n": 1, "fields": ["name"]}',
      e.prevHash,
      e.hash,
    ];
    for (const [i, value] of Object.entries(overrides)) row[Number(i)] = value ?? null;
    return row;
  }

  it('reads a row back into the fields its hash covers', () => {
    const [first] = chain(1);
    expect(parseEventRow(CHAIN, raw(first))).toEqual(first);
  });

  it('keeps a time finer than milliseconds as it is, so that the hash fails', () => {
    const [first] = chain(1);
    const parsed = parseEventRow(CHAIN, raw(first, { 1: `${first.recordedAt.slice(0, 23)}001Z` }));
    expect(parsed.recordedAt).not.toBe(first.recordedAt);
    const verifier = new ChainVerifier(CHAIN);
    expect(verifier.push(parsed)).toBe(false);
  });

  it('remembers a bounded number of JSON shapes', () => {
    const cache = new CanonicalJsonCache(2);
    expect(cache.of('{"b": 1, "a": [2, {"d": 3, "c": 4}]}')).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    for (let i = 0; i < 10; i++) expect(cache.of(`{"i": ${i}}`)).toBe(`{"i":${i}}`);
    expect((cache as unknown as { known: Map<string, string> }).known.size).toBeLessThanOrEqual(2);
  });
});

describe(parseCopyTextRow.name, () => {
  it('splits on tabs and reads \\N as null', () => {
    expect(parseCopyTextRow('1\tplain\t\\N\t')).toEqual(['1', 'plain', null, '']);
  });

  it('undoes the escapes COPY writes, and only those', () => {
    // As PostgreSQL writes `a<TAB>b`, `line<LF>two<CR>`, `back\slash`, the two characters `\N`, and {"k": "q\"x"}.
    const line = ['a\\tb', 'line\\ntwo\\r', 'back\\\\slash', '\\\\N', '{"k": "q\\\\"x"}', '\\b\\f\\v'].join('\t');
    expect(parseCopyTextRow(line)).toEqual(['a\tb', 'line\ntwo\r', 'back\\slash', '\\N', '{"k": "q\\"x"}', '\b\f\v']);
  });
});
