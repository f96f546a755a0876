import {
  ChainHasher,
  GENESIS_HASH,
  canonicalJson,
  canonicalParts,
  canonicalize,
  canonicalizeSerialized,
  chainHash,
  hashLink,
  type HashedFields,
} from '@harbour/audit';
import { createHash } from 'node:crypto';

/**
 * The reference definition of the canonical form (version 1): JSON.stringify of the event, object
 * keys sorted with Array.prototype.sort at every level. The implementation must write exactly these
 * bytes, for every event, forever: hashes already stored depend on them.
 */
function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortDeep((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function reference(event: HashedFields): string {
  return JSON.stringify(
    sortDeep({
      v: 1,
      chainId: event.chainId,
      seq: event.seq,
      recordedAt: event.recordedAt.toISOString(),
      actorKind: event.actorKind,
      actorId: event.actorId,
      actorOrganizationId: event.actorOrganizationId,
      actorRoles: [...event.actorRoles],
      action: event.action,
      category: event.category,
      entityType: event.entityType,
      entityId: event.entityId,
      subjectClientId: event.subjectClientId,
      purpose: event.purpose,
      outcome: event.outcome,
      requestId: event.requestId,
      sourceAddress: event.sourceAddress,
      details: event.details ?? {},
    }),
  );
}

const GOLDEN_EVENT: HashedFields = {
  chainId: '2f1c3a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  seq: '7',
  recordedAt: new Date('2026-11-26T12:00:00.123Z'),
  actorKind: 'STAFF',
  actorId: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
  actorOrganizationId: '2f1c3a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  actorRoles: ['ORG_ADMIN', 'AUDITOR'],
  action: 'location.update',
  category: 'UPDATE',
  entityType: 'Location',
  entityId: 'loc-1',
  subjectClientId: null,
  purpose: null,
  outcome: 'SUCCESS',
  requestId: 'req-1',
  sourceAddress: '127.0.0.1',
  details: { fields: ['name', 'city'], count: 2, note: 'Café "quoted"\n' },
};

/** Strings that exercise escaping: quotes, backslashes, control characters, non-ASCII, astral and lone surrogates. */
const AWKWARD = [
  '',
  'plain',
  'with "quotes"',
  'back\\slash',
  'tab\tnew\nline\r',
  '\u0000\u0001\u001f\u007f',
  'é à ü 中文',
  '😀 emoji',
  '\ud800 lone',
  '\u2028\u2029',
  '</script>',
];

function randomEvent(i: number): HashedFields {
  const pick = <T>(values: readonly T[], k: number): T => values[(i * 7 + k * 13) % values.length];
  const maybe = (k: number) => ((i + k) % 3 === 0 ? null : pick(AWKWARD, k));
  return {
    chainId: pick(['network', '2f1c3a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b'], 1),
    seq: String(i + 1),
    recordedAt: new Date(Date.UTC(2026, 0, 1) + i * 123_457),
    actorKind: pick(['STAFF', 'API_CLIENT', 'ANONYMOUS', 'SYSTEM'], 2),
    actorId: maybe(3),
    actorOrganizationId: maybe(4),
    actorRoles: AWKWARD.slice(0, i % 4),
    action: pick(AWKWARD, 5),
    category: pick(['CREATE', 'READ', 'UPDATE'], 6),
    entityType: maybe(7),
    entityId: maybe(8),
    subjectClientId: maybe(9),
    purpose: maybe(10),
    outcome: pick(['SUCCESS', 'DENIED', 'ERROR'], 11),
    requestId: maybe(12),
    sourceAddress: maybe(13),
    details: {
      [pick(AWKWARD, 14)]: pick(AWKWARD, 15),
      zeta: [1, -2.5, 1e21, 0.1, true, false, null, { b: 1, a: [{ d: 1, c: 2 }] }],
      Alpha: { é: 1, e: 2, E: 3, '😀': 4, '\uffff': 5 },
      gone: undefined,
      count: i,
    },
  };
}

describe('canonical serialisation of audit events (version 1)', () => {
  it('writes the pinned bytes and hash of a known event', () => {
    expect(canonicalize(GOLDEN_EVENT)).toBe(
      '{"action":"location.update","actorId":"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d","actorKind":"STAFF","actorOrganizationId":"2f1c3a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b","actorRoles":["ORG_ADMIN","AUDITOR"],"category":"UPDATE","chainId":"2f1c3a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b","details":{"count":2,"fields":["name","city"],"note":"Café \\"quoted\\"\\n"},"entityId":"loc-1","entityType":"Location","outcome":"SUCCESS","purpose":null,"recordedAt":"2026-11-26T12:00:00.123Z","requestId":"req-1","seq":"7","sourceAddress":"127.0.0.1","subjectClientId":null,"v":1}',
    );
    // Computed independently (Python's hashlib over the bytes above).
    expect(chainHash(GENESIS_HASH, GOLDEN_EVENT)).toBe(
      'f1a332d433340ba4e60d138367109b674c9d5748d894f9dadb798eb3004c33e8',
    );
  });

  it('equals the reference definition for events full of awkward values', () => {
    for (let i = 0; i < 500; i++) {
      const event = randomEvent(i);
      expect(canonicalize(event)).toBe(reference(event));
    }
  });

  it("cuts the text around recordedAt and seq, which the append fills in under the chain head's lock", () => {
    for (let i = 0; i < 500; i++) {
      const event = randomEvent(i);
      const [beforeRecordedAt, beforeSeq, afterSeq] = canonicalParts(event);
      const [recordedAt, seq] = [JSON.stringify(event.recordedAt.toISOString()), JSON.stringify(event.seq)];
      expect(`${beforeRecordedAt}${recordedAt}${beforeSeq}${seq}${afterSeq}`).toBe(reference(event));
      expect(beforeRecordedAt.endsWith('"recordedAt":')).toBe(true);
      expect(beforeSeq.endsWith('"seq":')).toBe(true);
    }
  });

  it('follows the reference for values a typed caller should not pass: missing members, dates in details, non-object details', () => {
    const loose = {
      ...GOLDEN_EVENT,
      purpose: undefined,
      details: { at: new Date(0), list: [undefined, () => 1] },
    } as unknown as HashedFields;
    expect(canonicalize(loose)).toBe(reference(loose));
    const scalar = { ...GOLDEN_EVENT, details: 'text' } as HashedFields;
    expect(canonicalize(scalar)).toBe(reference(scalar));
    const none = { ...GOLDEN_EVENT, details: null } as HashedFields;
    expect(canonicalize(none)).toBe(reference(none));
  });

  it('writes the same bytes from serialised roles and details (the verification path)', () => {
    for (let i = 0; i < 500; i++) {
      const event = randomEvent(i);
      const serialized = {
        ...event,
        recordedAt: event.recordedAt.toISOString(),
        actorRoles: canonicalJson(event.actorRoles),
        details: canonicalJson(event.details),
      };
      expect(canonicalizeSerialized(serialized)).toBe(reference(event));
    }
  });

  it('sorts keys at every depth and leaves array order alone', () => {
    expect(canonicalJson({ b: [3, 1, { z: 1, y: 2 }], a: null })).toBe('{"a":null,"b":[3,1,{"y":2,"z":1}]}');
  });
});

describe('chain hash', () => {
  it('is SHA-256 over the previous hash as bytes, then the canonical text as UTF-8', () => {
    const prev = 'ab'.repeat(32);
    const canonical = canonicalize(GOLDEN_EVENT);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from(prev, 'hex'), Buffer.from(canonical, 'utf8')]))
      .digest('hex');
    expect(chainHash(prev, GOLDEN_EVENT)).toBe(expected);
    expect(hashLink(prev, canonical)).toBe(expected);
  });

  it('ChainHasher gives the same hashes, including for odd previous hashes and texts larger than its buffer', () => {
    const hasher = new ChainHasher();
    const texts = [canonicalize(GOLDEN_EVENT), 'é'.repeat(30_000), 'x'.repeat(70_000), ''];
    const prevs = [GENESIS_HASH, 'f'.repeat(64), 'z'.repeat(64), `${'0'.repeat(63)}g`, 'abc', ''];
    for (const text of texts) for (const prev of prevs) expect(hasher.link(prev, text)).toBe(hashLink(prev, text));
  });
});
