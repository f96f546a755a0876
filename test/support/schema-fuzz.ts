/**
 * Schema-driven fuzzing: for one root field of a GraphQL schema, a fast-check arbitrary of an
 * operation that passes every argument as a variable (`$a0`, `$a1`…, declared with the argument's
 * own type and default) and selects a small valid selection of the result, with variables
 * generated from their GraphQL types: mostly values that reach deep into the service code (real
 * ids of the test world, real cursors, well-formed dates and enum values), mixed with hostile ones
 * (NUL and other controls, lone surrogates, bidi overrides, zero-width-only text, 100 kB text,
 * SQL-ish text, out-of-range dates and integers, non-UUID ids, forged cursors, huge lists,
 * unknown input fields, values of the wrong type). Pure: no I/O, nothing of the app but the
 * cursor encoding.
 *
 * Strings carry the run's marker (often, not always) so that a test can look for it where no
 * input may ever end up (the log, the audit trail, the outbox).
 */
import { encodeCursor, type CursorKey } from '@harbour/graphql-kit';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import {
  astFromValue,
  getNamedType,
  getNullableType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  print,
} from 'graphql';

/** What the generator knows of the test world. */
export interface FuzzWorld {
  /** A marker unique to the run, put into generated text: `FzMk` and a random suffix. */
  readonly marker: string;
  /** Real ids for an ID argument or input field, by schema coordinate (`Mutation.acceptReferral.id`, `SendReferralInput.clientId`); empty for any id of the world. */
  idsFor(coordinate: string): readonly string[];
  /** Every id of the world. */
  readonly allIds: readonly string[];
  /** Real cursors, taken from pages of the world's lists. */
  readonly cursors: readonly string[];
  /** Real cursors of the list an `after` argument pages (by coordinate, `Query.clients.after`); empty when unknown. */
  cursorsFor?(coordinate: string): readonly string[];
  /**
   * Replaces what is generated for a coordinate (an argument `Mutation.login.input` or an input
   * field `LoginInput.password`): given the generated arbitrary, the one to use.
   */
  readonly overrides?: Readonly<Record<string, (generated: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>>>;
}

export type RootKind = 'query' | 'mutation';

/** One generated call: the document, its variables, and how to show them in a report. */
export interface FuzzCall {
  readonly operation: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/** A marker for one run: `FzMk` and 8 random lowercase letters and digits. */
export function newMarker(random: () => number = Math.random): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `FzMk${Array.from({ length: 8 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Reports

/** A value for a report: long strings, long lists and deep nesting shortened; controls visible. */
export function abbreviate(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return value.length > 80
      ? `${value.slice(0, 48)}…(${value.length} chars, ends ${JSON.stringify(value.slice(-8))})`
      : value;
  if (Array.isArray(value)) {
    if (depth > 6) return `[…${value.length} items, nested deeper]`;
    const shown = value.slice(0, 4).map((item) => abbreviate(item, depth + 1));
    return value.length > 4 ? [...shown, `…(${value.length} items)`] : shown;
  }
  if (value instanceof DeepJson) return value.shown;
  if (value !== null && typeof value === 'object') {
    if (depth > 6) return '{…nested deeper}';
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v, depth + 1)]));
  }
  return value;
}

/** Strings of a value that decode as cursors (`v…:` behind base64url), decoded. */
function decodedCursors(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.length <= 20_000 && /^[A-Za-z0-9_-]{4,}={0,2}$/.test(value)) {
    const text = Buffer.from(value, 'base64url').toString('utf8');
    if (/^v\d+:/.test(text)) out.push(`${value.slice(0, 24)}… = ${JSON.stringify(abbreviate(text))}`);
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 10)) decodedCursors(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) decodedCursors(item, out);
  }
  return out;
}

/** A call as one readable paragraph (JSON escapes make NUL, surrogates and bidi controls visible; cursors are decoded). */
export function describeCall(call: FuzzCall): string {
  const cursors = decodedCursors(call.variables);
  return [
    call.operation,
    `  query: ${call.query.length > 600 ? `${call.query.slice(0, 300)}…(${call.query.length} chars)` : call.query}`,
    `  variables: ${JSON.stringify(abbreviate(call.variables))}`,
    ...cursors.map((cursor) => `  cursor: ${cursor}`),
  ].join('\n');
}

/** Gives a generated call a short printed form, so that fast-check's counterexamples stay readable. */
function reportable<T extends FuzzCall>(call: T): T {
  return Object.assign(call, { [fc.toStringMethod]: () => describeCall(call) });
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** Text that has broken parsers, databases and loggers before; `m` is the marker. */
export function hostileStrings(m: string): string[] {
  return [
    '\u0000',
    `${m}\u0000`,
    `a\u0000b${m}`,
    `${m}\u0001\u0002\u0007\u0008\u000b\u000c\u001b\u001f\u007f`,
    `\u0085\u009f${m}`,
    '\ud800',
    `${m}\ud800`,
    `\udc00${m}`,
    `${m}\udfff\ud83d`,
    `\u202e${m}`,
    '\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d',
    '\u200b\u200b',
    '\u200b\u200c\u200d\u2060\ufeff',
    '\ufeff',
    '   ',
    '\t\n\r',
    '',
    `'; drop table x; --${m}`,
    `' or '1'='1`,
    `${m}%_\\`,
    '%',
    '_',
    '\\',
    `"${m}"`,
    `\${${m}}`,
    `{{${m}}}`,
    '{"$gt":""}',
    '<script>alert(1)</script>',
    `👩‍👩‍👧‍👦${m}🏳️‍🌈`,
    `e\u0301\u0301\u0301\u0301\u0301${m}`,
    'null',
    'undefined',
    'NaN',
    '-1',
    `${m}\r\nX-Injected: 1`,
    '../../../../etc/passwd',
    `İıſK${m}`,
  ];
}

/** Text close to what fields expect (emails, languages, URLs, times, phone numbers), with and without the marker. */
function plausibleStrings(m: string): string[] {
  const lower = m.toLowerCase();
  return [
    `fz.${lower}@example.test`,
    `FZ.${m}@EXAMPLE.TEST`,
    'not-an-email',
    `${lower}@`,
    'en',
    'fr-CA',
    'zh-Hant',
    'x-klingon',
    'EN',
    'en_US',
    `https://example.test/${lower}`,
    'http://[::1]:80/',
    'javascript:alert(1)',
    'ftp://example.test/',
    '09:00',
    '17:30',
    '00:00',
    '24:00',
    '23:59:60',
    '9:00',
    '+1 555 0100',
    `+1 555 0100 ${m}`,
    'A1B 2C3',
    'Service',
    'Client',
    'service.update',
    'network',
    `${m} a caseworker's note`,
  ];
}

const LENGTHS = [1, 12, 199, 200, 201, 254, 255, 256, 257, 512, 513, 4000, 4001, 10_000];
const HUGE = 100_000;

export interface TextOptions {
  /** 100 kB strings allowed (never inside long lists: the request body has a limit). */
  readonly big: boolean;
  /**
   * Mostly values that pass validation (so that the call reaches the service code and the
   * database), with a few hostile ones; otherwise hostile values are as common as ordinary ones.
   */
  readonly calm?: boolean;
}

/**
 * Text shaped like what a field of this name holds (a URL, an email, a language tag, a time of
 * day…), valid and borderline, so that calls get past validation; undefined when the name says
 * nothing. Long values that still match their pattern test what lies behind the validation.
 */
export function fieldShapedText(name: string, marker: string): fc.Arbitrary<string> | undefined {
  const m = marker;
  const lower = marker.toLowerCase();
  const n = name.toLowerCase();
  if (/url|website/.test(n)) {
    return fc.constantFrom(
      `https://example.test/${lower}`,
      `http://example.test/a?b=${lower}#c`,
      `https://${lower}.example.test/`,
      `https://example.test/${lower}/${'a'.repeat(1960)}`,
      'https://xn--bcher-kva.example/',
    );
  }
  if (n.includes('email'))
    return fc.constantFrom(
      `fz.${lower}@example.test`,
      `${lower}+tag@example.test`,
      `FZ.${m}@EXAMPLE.TEST`,
      `${'a'.repeat(64)}.${lower}@example.test`,
      ` fz.${lower}@example.test `,
    );
  if (/^languages?$/.test(n))
    return fc.constantFrom(
      'en',
      'fr-CA',
      'zh-Hant',
      'FR',
      'es-419',
      `en-${'abcdefgh-'.repeat(2000)}x1`,
      'en-US-x-twain',
    );
  if (n.includes('phone'))
    return fc.constantFrom('+1 555 0100', '(555) 010-0100 ext 12', `+${'1'.repeat(31)}`, '555-0100 x123456');
  if (n === 'opensat' || n === 'closesat') return fc.constantFrom('09:00', '17:30', '00:00', '23:59', '12:00');
  if (n === 'idempotencykey')
    return fc.constantFrom(`fz:${lower}`, `k-${lower}-1`, 'a'.repeat(200), `${lower}.${lower}_${lower}`);
  if (n === 'token') return fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
  if (n === 'noticeversion') return fc.constantFrom(`v1-${lower}`, 'v2', `${m}${'x'.repeat(38)}`);
  if (n === 'municipalidnumber') return fc.constantFrom(`M-${m}`, `${m} 0001`, `A${'-'.repeat(49)}`);
  if (n === 'postalcode') return fc.constantFrom('A1B 2C3', `${m}`, '12345-6789');
  if (n.includes('password'))
    return fc.constantFrom(`fuzz passphrase ${m} harbour`, `${m}${'p'.repeat(244)}`, `correct horse ${m} staple`);
  if (n === 'action') return fc.constantFrom('service.update', 'staff.login', 'client.read', `graphql.${m}`, m);
  if (n === 'entitytype') return fc.constantFrom('Service', 'Client', 'StaffAccount', m);
  if (n === 'search' || n === 'text')
    return fc.constantFrom(m, `%${m}`, '_', 'Client', 'Zoë', 'a', `${m}${'x'.repeat(188)}`);
  return undefined;
}

/** Any text, the marker in most of it; shaped for the field `name` where its name says how. */
export function textArbitrary(marker: string, options: TextOptions, name = ''): fc.Arbitrary<string> {
  const marked = fc
    .tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }))
    .map(([a, b]) => `${a}${marker}${b}`);
  const unicode = fc
    .tuple(fc.string({ unit: 'binary', maxLength: 16 }), fc.boolean())
    .map(([s, withMarker]) => (withMarker ? `${marker}${s}` : s));
  const graphemes = fc.string({ unit: 'grapheme', maxLength: 16 }).map((s) => `${s}${marker}`);
  const lengths = fc
    .tuple(fc.constantFrom(...LENGTHS.filter((n) => options.big || n <= 512)), fc.constantFrom('x', 'é', '𝔁'))
    .map(([n, c]) => {
      const text = marker + c.repeat(n);
      return [...text].slice(0, n).join('');
    });
  const calm = options.calm === true;
  const shaped = fieldShapedText(name, marker);
  if (calm) {
    // Text the field takes: its shape when its name tells it, otherwise short text with the marker.
    if (shaped) return shaped;
    const short = fc
      .tuple(fc.constantFrom(...LENGTHS.filter((n) => n <= 200)), fc.constantFrom('x', 'é', '𝔁'))
      .map(([n, c]) => [...`${marker}${c.repeat(n)}`].slice(0, Math.max(n, marker.length)).join(''));
    return fc.oneof(
      { arbitrary: marked, weight: 70 },
      { arbitrary: graphemes, weight: 10 },
      { arbitrary: short, weight: 10 },
      { arbitrary: fc.constantFrom(`Zoë ${marker}`, `${marker} 👩‍👩‍👧`, `\u200fשלום ${marker}`), weight: 10 },
    );
  }
  const arbitraries: fc.WeightedArbitrary<string>[] = [
    { arbitrary: marked, weight: 30 },
    { arbitrary: fc.constantFrom(...plausibleStrings(marker)), weight: 15 },
    { arbitrary: fc.constantFrom(...hostileStrings(marker)), weight: 30 },
    { arbitrary: unicode, weight: 6 },
    { arbitrary: graphemes, weight: 5 },
    { arbitrary: lengths, weight: 8 },
  ];
  if (shaped) arbitraries.push({ arbitrary: shaped, weight: 20 });
  if (options.big) {
    arbitraries.push({
      arbitrary: fc.constantFrom(
        `${marker}${'A'.repeat(HUGE - marker.length)}`,
        `\u202e${'\u200b'.repeat(HUGE / 2)}${marker}`,
        `${marker}${'\u0000'.repeat(HUGE)}`,
      ),
      weight: 2,
    });
  }
  return fc.oneof(...arbitraries);
}

/** Values of another JSON type than the one expected (coercion must refuse them cleanly). */
function wrongTypeArbitrary(marker: string): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>({}, [], true, 1.5, -1, '1', [marker], { $gt: '' }, { [marker]: 1 }, 1e308, [[]]);
}

export function intArbitrary(name = '', calm = false): fc.Arbitrary<unknown> {
  // A page size: mostly one the API takes, so that the call reaches the list's query.
  if (name === 'first')
    return fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 100 }), weight: calm ? 95 : 60 },
      { arbitrary: intArbitrary(), weight: calm ? 5 : 40 },
    );
  if (calm) {
    if (/age$/i.test(name)) return fc.integer({ min: 0, max: 130 });
    if (/year$/i.test(name)) return fc.integer({ min: 1900, max: new Date().getUTCFullYear() });
    return fc.constantFrom(0, 1, 20, 100);
  }
  return fc.oneof(
    {
      arbitrary: fc.constantFrom(
        0,
        -1,
        1,
        2 ** 31 - 1,
        -(2 ** 31),
        100,
        101,
        20,
        1899,
        1900,
        2026,
        2027,
        130,
        131,
        4000,
        4001,
        50,
        51,
      ),
      weight: 70,
    },
    { arbitrary: fc.integer(), weight: 20 },
    { arbitrary: fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e21, 1.5, -0.5), weight: 10 },
  );
}

export function floatArbitrary(name = '', calm = false): fc.Arbitrary<unknown> {
  if (calm) {
    if (name === 'latitude') return fc.double({ min: -90, max: 90, noNaN: true });
    if (name === 'longitude') return fc.double({ min: -180, max: 180, noNaN: true });
    return fc.constantFrom(0.5, 1, 5, 43.65, 100);
  }
  return fc.oneof(
    {
      arbitrary: fc.constantFrom(
        0,
        -0,
        1e308,
        -1e308,
        1e-308,
        5e-324,
        90,
        -90,
        180,
        -180,
        90.0000001,
        -90.0000001,
        180.0000001,
        -180.0000001,
        43.65,
        -79.38,
        1e6,
        20_037.5,
      ),
      weight: 70,
    },
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 30 },
  );
}

const DAY = 86_400_000;

export function dateTimeArbitrary(marker: string, calm = false, now = Date.now()): fc.Arbitrary<unknown> {
  const valid = fc
    .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString());
  const nearNow = fc
    .constantFrom(
      -3651 * DAY,
      -366 * DAY,
      -31 * DAY,
      -DAY,
      -60_000,
      0,
      60_000,
      DAY,
      29 * DAY,
      31 * DAY,
      365 * DAY,
      366 * DAY,
      3651 * DAY,
    )
    .map((offset) => new Date(now + offset).toISOString());
  const extreme = fc.constantFrom<unknown>(
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '1899-12-31T23:59:59.999Z',
    '1900-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999-14:00',
    '10000-01-01T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2016-12-31T23:59:60Z',
    '2026-01-01',
    '2026-01-01T00:00:00',
    '2026-01-01T00:00:00+14:00',
    '1970-01-01T00:00:00Z',
  );
  const garbage = fc.constantFrom<unknown>(
    '',
    'now',
    'yesterday',
    '1',
    '2026',
    'Tuesday',
    `${marker}`,
    `2026-01-01T00:00:00Z${marker}`,
    '2026-01-01T00:00:00Z\u0000',
    0,
    -1,
    8.64e15,
    8.64e15 + 1,
    -8.64e15,
    1e20,
    true,
  );
  return fc.oneof(
    { arbitrary: valid, weight: 30 },
    { arbitrary: nearNow, weight: calm ? 60 : 30 },
    { arbitrary: extreme, weight: calm ? 3 : 25 },
    { arbitrary: garbage, weight: calm ? 0 : 15 },
  );
}

/** An ID: mostly a real one for this coordinate, then any real one, random UUIDs, almost-UUIDs and hostile text. */
export function idArbitrary(world: FuzzWorld, coordinate: string, options: TextOptions): fc.Arbitrary<unknown> {
  const own = world.idsFor(coordinate);
  const pool = own.length > 0 ? own : world.allIds;
  const arbitraries: fc.WeightedArbitrary<unknown>[] = [];
  if (options.calm && pool.length > 0) {
    return fc.oneof(
      { arbitrary: fc.constantFrom(...pool), weight: 85 },
      { arbitrary: fc.constantFrom(...world.allIds), weight: 5 },
      { arbitrary: fc.uuid(), weight: 10 },
    );
  }
  if (pool.length > 0) arbitraries.push({ arbitrary: fc.constantFrom(...pool), weight: 55 });
  if (world.allIds.length > 0) {
    arbitraries.push({ arbitrary: fc.constantFrom(...world.allIds), weight: 10 });
    arbitraries.push({
      arbitrary: fc
        .constantFrom(...pool)
        .chain((id) =>
          fc.constantFrom(
            id.toUpperCase(),
            `{${id}}`,
            id.replace(/-/g, ''),
            ` ${id}`,
            `${id}\u0000`,
            `${id}\u200b`,
            id.slice(0, -1),
          ),
        ),
      weight: 7,
    });
  }
  arbitraries.push({ arbitrary: fc.oneof(fc.uuid(), fc.constantFrom(NIL_UUID, MAX_UUID)), weight: 10 });
  arbitraries.push({
    arbitrary: fc.constantFrom(
      'network',
      '1',
      '0',
      '-1',
      '',
      '00000000000000000000000000000000',
      "' or 1=1 --",
      `${world.marker}`,
      `pseud_${world.marker}`,
      'g0000000-0000-0000-0000-000000000000',
    ),
    weight: 10,
  });
  arbitraries.push({ arbitrary: textArbitrary(world.marker, options), weight: 8 });
  return fc.oneof(...arbitraries);
}

type KeyElement = string | number | boolean | null;

/** Values a cursor's sort key should never hold, for each kind of value it does hold. */
function forgedKeyElements(world: FuzzWorld): Record<'date' | 'id' | 'seq' | 'text' | 'any', KeyElement[]> {
  const m = world.marker;
  const dates = [
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    '1899-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    '2026-02-30T00:00:00Z',
    '2026-01-01',
    'not a date',
    '1',
  ];
  const ids = ['network', 'not-a-uuid', NIL_UUID, NIL_UUID.toUpperCase(), MAX_UUID, `${NIL_UUID}\u0000`];
  const seqs = [
    '0',
    '-1',
    '01',
    '1e3',
    ' 1',
    '1\u0000',
    '١',
    '9223372036854775807',
    '9223372036854775808',
    '9999999999999999999',
    '99999999999999999999999',
    '18446744073709551616',
  ];
  const texts = [
    `\u0000${m}`,
    `${m}\ud800`,
    `\udc00${m}`,
    `\u202e${m}`,
    '\u200b\u200b',
    '',
    m,
    `${m}%_\\`,
    `'; drop table x; --${m}`,
    `${m}${'x'.repeat(400)}`,
  ];
  const any: KeyElement[] = [0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, true, false, null];
  return { date: dates, id: ids, seq: seqs, text: texts, any };
}

/** What kind of value a real cursor holds at one position. */
function kindOfKeyElement(value: KeyElement): 'date' | 'id' | 'seq' | 'text' | 'any' {
  if (typeof value !== 'string') return 'any';
  if (/^\d{4}-\d\d-\d\dT/.test(value)) return 'date';
  if (value === 'network' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return 'id';
  if (/^\d+$/.test(value)) return 'seq';
  return 'text';
}

/** The key of a real cursor, or undefined. */
function decodeKey(cursor: string): KeyElement[] | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('v1:')) return undefined;
  try {
    const key: unknown = JSON.parse(text.slice(3));
    return Array.isArray(key) ? (key as KeyElement[]) : undefined;
  } catch {
    return undefined;
  }
}

/** `after`: real cursors, real cursors with one value of their key forged, keys of other shapes, and garbage. */
export function cursorArbitrary(world: FuzzWorld, coordinate = ''): fc.Arbitrary<unknown> {
  const own = world.cursorsFor?.(coordinate) ?? [];
  const cursors = own.length > 0 ? own : world.cursors;
  const forged = forgedKeyElements(world);
  const element = fc.constantFrom<KeyElement>(
    ...forged.date,
    ...forged.id,
    ...forged.seq,
    ...forged.text,
    ...forged.any,
    ...world.allIds.slice(0, 5),
    new Date().toISOString(),
    'Client',
    '1',
  );
  const keys: fc.Arbitrary<CursorKey> = fc.oneof(
    { arbitrary: fc.tuple(element, element), weight: 4 },
    { arbitrary: fc.tuple(element, element, element), weight: 4 },
    { arbitrary: fc.array(element, { maxLength: 6 }), weight: 2 },
  );
  // A real key with one value replaced by one of its kind that the list never makes: the likeliest way past the cursor's checks.
  const realKeys = cursors.map(decodeKey).filter((key): key is KeyElement[] => key !== undefined && key.length > 0);
  const mutated = fc
    .tuple(
      fc.constantFrom(...(realKeys.length > 0 ? realKeys : [[new Date().toISOString(), NIL_UUID]])),
      fc.nat(),
      fc.nat(),
      fc.boolean(),
    )
    .map(([key, at, pick, sameKind]) => {
      const i = at % key.length;
      const pool = sameKind ? forged[kindOfKeyElement(key[i])] : forged.any;
      const copy = [...key];
      copy[i] = pool[pick % pool.length];
      return copy;
    });
  const raw = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const weird = fc.constantFrom(
    raw(`v1:${'['.repeat(120)}${']'.repeat(120)}`),
    raw(`v1:${'['.repeat(5000)}${']'.repeat(5000)}`),
    raw(`v1:[${'{"a":'.repeat(50)}1${'}'.repeat(50)},"x"]`),
    raw('v1:{"0":"a","1":"b","length":2}'),
    raw('v1:["a","b"'),
    raw('v2:["2026-01-01T00:00:00.000Z","00000000-0000-0000-0000-000000000000"]'),
    raw(`v1:["${world.marker}","00000000-0000-0000-0000-000000000000"]`),
    raw('v1:'),
    raw('v1:null'),
    raw('v1:[1e999,"x"]'),
    `v1:["a","b"]`,
    '',
    '=',
    '!!!!',
    'djE6W10',
    'djE6W10=',
    `${'A'.repeat(512)}`,
    `${'A'.repeat(513)}`,
  );
  const arbitraries: fc.WeightedArbitrary<unknown>[] = [
    { arbitrary: mutated.map((key) => encodeCursor(key)), weight: 35 },
    { arbitrary: keys.map((key) => encodeCursor(key)), weight: 10 },
    { arbitrary: weird, weight: 15 },
    { arbitrary: textArbitrary(world.marker, { big: false }), weight: 10 },
    { arbitrary: fc.base64String({ maxLength: 64 }), weight: 5 },
  ];
  if (world.cursors.length > 0) {
    arbitraries.push({ arbitrary: fc.constantFrom(...cursors), weight: 15 });
    arbitraries.push({ arbitrary: fc.constantFrom(...world.cursors), weight: 5 });
    arbitraries.push({
      arbitrary: fc.tuple(fc.constantFrom(...cursors), fc.nat()).map(([cursor, at]) => {
        const i = at % cursor.length;
        return `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`;
      }),
      weight: 5,
    });
  }
  return fc.oneof(...arbitraries);
}

// ---------------------------------------------------------------------------------------------
// Values of GraphQL input types

/** Set for an argument or input field that is left out. */
const OMIT: unique symbol = Symbol('omit');

interface ValueContext {
  readonly world: FuzzWorld;
  readonly options: TextOptions;
  /** Input-object nesting so far (the schema's inputs are not recursive, but stay safe). */
  readonly depth: number;
  /** Within a long list: no further long lists or 100 kB strings. */
  readonly inLongList: boolean;
}

function scalarArbitrary(
  typeName: string,
  coordinate: string,
  name: string,
  context: ValueContext,
): fc.Arbitrary<unknown> {
  const { world } = context;
  const calm = context.options.calm === true;
  const big = { big: context.options.big && !context.inLongList, calm };
  switch (typeName) {
    case 'ID':
      return idArbitrary(world, coordinate, big);
    case 'String':
      return name === 'after' ? cursorArbitrary(world, coordinate) : textArbitrary(world.marker, big, name);
    case 'Int':
      return intArbitrary(name, calm);
    case 'Float':
      return floatArbitrary(name, calm);
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return dateTimeArbitrary(world.marker, calm);
    default:
      return fc.oneof(textArbitrary(world.marker, big), intArbitrary());
  }
}

/** A value of a named or wrapped input type (never OMIT; nullability is handled by the caller). */
function valueArbitrary(
  type: GraphQLInputType,
  coordinate: string,
  name: string,
  context: ValueContext,
): fc.Arbitrary<unknown> {
  const inner = getNullableType(type);
  let arbitrary: fc.Arbitrary<unknown>;
  if (isListType(inner)) {
    arbitrary = listArbitrary(inner.ofType, coordinate, name, context);
  } else if (isInputObjectType(inner)) {
    arbitrary =
      context.depth > 6
        ? fc.constant({})
        : inputObjectArbitrary(inner.name, inner.getFields(), { ...context, depth: context.depth + 1 });
  } else if (isEnumType(inner)) {
    const values = inner.getValues().map((v) => v.name);
    arbitrary = context.options.calm
      ? fc.constantFrom(...values)
      : fc.oneof(
          { arbitrary: fc.constantFrom(...values), weight: 92 },
          {
            arbitrary: fc.constantFrom(
              ...values.map((v) => v.toLowerCase()),
              'NOT_A_VALUE',
              '',
              context.world.marker,
              `${values[0]}\u0000`,
            ),
            weight: 8,
          },
        );
  } else if (isScalarType(inner)) {
    arbitrary = scalarArbitrary(inner.name, coordinate, name, context);
  } else {
    arbitrary = fc.constant(null);
  }
  if (!context.options.calm)
    arbitrary = fc.oneof({ arbitrary, weight: 97 }, { arbitrary: wrongTypeArbitrary(context.world.marker), weight: 3 });
  const override = context.world.overrides?.[coordinate];
  return override ? override(arbitrary) : arbitrary;
}

function listArbitrary(
  itemType: GraphQLInputType,
  coordinate: string,
  name: string,
  context: ValueContext,
): fc.Arbitrary<unknown> {
  const item = itemValueArbitrary(itemType, coordinate, name, context);
  if (context.options.calm) return fc.uniqueArray(item, { maxLength: 3, selector: (value) => JSON.stringify(value) });
  const arbitraries: fc.WeightedArbitrary<unknown>[] = [
    { arbitrary: fc.array(item, { maxLength: 3 }), weight: 80 },
    { arbitrary: item.map((one) => [one, one]), weight: 6 },
    // A single value where a list is expected: GraphQL's input coercion makes it a list of one.
    { arbitrary: item, weight: 4 },
  ];
  if (!context.inLongList) {
    const small = itemValueArbitrary(itemType, coordinate, name, { ...context, inLongList: true });
    arbitraries.push({ arbitrary: fc.array(small, { minLength: 1000, maxLength: 1000 }), weight: 3 });
    arbitraries.push({ arbitrary: small.map((one) => Array.from({ length: 1000 }, () => one)), weight: 3 });
  }
  return fc.oneof(...arbitraries);
}

/** An item of a list: its own nullability applies (a null item where none is allowed, sometimes). */
function itemValueArbitrary(
  type: GraphQLInputType,
  coordinate: string,
  name: string,
  context: ValueContext,
): fc.Arbitrary<unknown> {
  const value = valueArbitrary(type, coordinate, name, context);
  if (context.options.calm) return value;
  return fc.oneof(
    { arbitrary: value, weight: isNonNullType(type) ? 97 : 90 },
    { arbitrary: fc.constant(null), weight: isNonNullType(type) ? 3 : 10 },
  );
}

/** An argument or input field: a value, or left out, or null — required ones mostly given. */
function slotArbitrary(
  type: GraphQLInputType,
  hasDefault: boolean,
  coordinate: string,
  name: string,
  context: ValueContext,
): fc.Arbitrary<unknown> {
  const value = valueArbitrary(type, coordinate, name, context);
  const required = isNonNullType(type) && !hasDefault;
  if (context.options.calm) {
    // A cursor mostly given: forged keys are checked deep in the list's query.
    const given = name === 'after' ? 75 : 50;
    return required
      ? value
      : fc.oneof(
          { arbitrary: value, weight: given },
          { arbitrary: fc.constant(OMIT), weight: 90 - given },
          { arbitrary: fc.constant(null), weight: 10 },
        );
  }
  return fc.oneof(
    { arbitrary: value, weight: required ? 92 : 55 },
    { arbitrary: fc.constant(OMIT), weight: required ? 4 : 30 },
    { arbitrary: fc.constant(null), weight: required ? 4 : 15 },
  );
}

function inputObjectArbitrary(
  typeName: string,
  fields: Record<string, { type: GraphQLInputType; defaultValue?: unknown }>,
  context: ValueContext,
): fc.Arbitrary<unknown> {
  const names = Object.keys(fields);
  const slots = names.map((name) =>
    slotArbitrary(fields[name].type, fields[name].defaultValue !== undefined, `${typeName}.${name}`, name, context),
  );
  const extra = context.options.calm
    ? fc.constant<[string, unknown][]>([])
    : fc.oneof(
        { arbitrary: fc.constant<[string, unknown][]>([]), weight: 92 },
        {
          arbitrary: fc.constant<[string, unknown][]>([[`unknown${context.world.marker}`, context.world.marker]]),
          weight: 4,
        },
        {
          arbitrary: fc.constant<[string, unknown][]>([['__proto__', { isAdmin: true, [context.world.marker]: 1 }]]),
          weight: 2,
        },
        {
          arbitrary: fc.constant<[string, unknown][]>([
            ['constructor', { prototype: { polluted: context.world.marker } }],
          ]),
          weight: 2,
        },
      );
  return fc.tuple(fc.tuple(...slots), extra).map(([values, extras]) => {
    const object: Record<string, unknown> = {};
    values.forEach((value, i) => {
      if (value !== OMIT) object[names[i]] = value;
    });
    // defineProperty: `__proto__` as an own, enumerable key (as JSON.parse makes it), not the prototype.
    for (const [key, value] of extras)
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    return object;
  });
}

// ---------------------------------------------------------------------------------------------
// Documents

/** An argument passed as a variable: of the root field (`$a0`…) or of a field selected in its result (`$n0`…). */
export interface VariableSlot {
  readonly variable: string;
  readonly arg: GraphQLArgument;
  /** `Query.clients.after`, `Client.consents.after`. */
  readonly coordinate: string;
}

/**
 * `{ … }` for a field's type: every leaf field of the result, `id` (or `__typename`) of the
 * objects it links to, and for a connection its edges' cursors and nodes' ids and its page info.
 * With `nested`, the result's own fields that take arguments (a client's `consents`, an
 * organization's `services`) get them as variables too, registered there.
 */
export function selectionFor(type: GraphQLOutputType, depth = 1, nested?: VariableSlot[]): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const fields = named.getFields();
  if (fields.edges && fields.pageInfo) {
    const edge = getNamedType(fields.edges.type);
    const node = isObjectType(edge) && edge.getFields().node ? getNamedType(edge.getFields().node.type) : undefined;
    const nodeId = node && isObjectType(node) && node.getFields().id ? ' id' : '';
    return `{${fields.totalCount ? ' totalCount' : ''} edges { cursor node { __typename${nodeId} } } pageInfo { endCursor hasNextPage } }`;
  }
  if (depth > 1) return fields.id ? '{ id }' : '{ __typename }';
  const parts = Object.values(fields)
    .filter((field) => nested || field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined))
    .map((field) => {
      let args = '';
      if (nested && field.args.length > 0) {
        const slots = field.args.map((arg) => {
          const slot = { variable: `n${nested.length}`, arg, coordinate: `${named.name}.${field.name}.${arg.name}` };
          nested.push(slot);
          return slot;
        });
        args = `(${slots.map((slot) => `${slot.arg.name}: $${slot.variable}`).join(', ')})`;
      }
      return isLeafType(getNamedType(field.type))
        ? `${field.name}${args}`
        : `${field.name}${args} ${selectionFor(field.type, depth + 1)}`;
    });
  return `{ ${parts.join(' ')} }`;
}

function variableDefinition(arg: GraphQLArgument, variable: string): string {
  const defaultAst = arg.defaultValue !== undefined ? astFromValue(arg.defaultValue, arg.type) : null;
  return `$${variable}: ${String(arg.type)}${defaultAst ? ` = ${print(defaultAst)}` : ''}`;
}

/** The document of a call of `field` with every argument as a variable, and the variables it declares. */
export function operationDocument(
  kind: RootKind,
  field: GraphQLField<unknown, unknown>,
): { query: string; slots: VariableSlot[] } {
  const parent = kind === 'query' ? 'Query' : 'Mutation';
  const root: VariableSlot[] = field.args.map((arg, i) => ({
    variable: `a${i}`,
    arg,
    coordinate: `${parent}.${field.name}.${arg.name}`,
  }));
  const nested: VariableSlot[] = [];
  const selection = selectionFor(field.type, 1, nested);
  const slots = [...root, ...nested];
  const definitions = slots.map((slot) => variableDefinition(slot.arg, slot.variable));
  const args = root.map((slot) => `${slot.arg.name}: $${slot.variable}`);
  const query = `${kind} Fuzz${definitions.length ? `(${definitions.join(', ')})` : ''} { ${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection ? ` ${selection}` : ''} }`;
  return { query, slots };
}

/** The document of a call of `field` with every argument (its own and its result's fields') as a variable. */
export function documentFor(kind: RootKind, field: GraphQLField<unknown, unknown>): string {
  return operationDocument(kind, field).query;
}

export function rootField(schema: GraphQLSchema, kind: RootKind, name: string): GraphQLField<unknown, unknown> {
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  const field = root?.getFields()[name];
  if (!field) throw new Error(`No ${kind} field ${name} in the schema`);
  return field;
}

/** The schema coordinate of every ID (or list of IDs) argument and input field: `Query.client.id`, `SendReferralInput.clientId`. */
export function idCoordinates(schema: GraphQLSchema): string[] {
  const isId = (type: GraphQLInputType) => getNamedType(type).name === 'ID';
  const out: string[] = [];
  for (const { kind, name } of rootFields(schema)) {
    for (const arg of rootField(schema, kind, name).args)
      if (isId(arg.type)) out.push(`${kind === 'query' ? 'Query' : 'Mutation'}.${name}.${arg.name}`);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInputObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) if (isId(field.type)) out.push(`${type.name}.${field.name}`);
  }
  return out.sort();
}

/** Every root field of the schema, queries then mutations. */
export function rootFields(schema: GraphQLSchema): { kind: RootKind; name: string }[] {
  return [
    ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((name) => ({ kind: 'query' as const, name })),
    ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((name) => ({ kind: 'mutation' as const, name })),
  ];
}

/**
 * Calls of one root field: the document is fixed (every argument a variable, with the argument's
 * type and default); variables are generated per argument — sometimes left out, sometimes null,
 * mostly a value of the type (see above).
 */
export function operationArbitrary(
  schema: GraphQLSchema,
  kind: RootKind,
  name: string,
  world: FuzzWorld,
): fc.Arbitrary<FuzzCall> {
  const { query, slots } = operationDocument(kind, rootField(schema, kind, name));
  if (slots.length === 0) return fc.constant(null).map(() => reportable({ operation: name, query, variables: {} }));
  const calls = (calm: boolean) => {
    const context: ValueContext = { world, options: { big: true, calm }, depth: 0, inLongList: false };
    const values = slots.map((slot) =>
      slotArbitrary(slot.arg.type, slot.arg.defaultValue !== undefined, slot.coordinate, slot.arg.name, context),
    );
    return fc.tuple(...values).map((generated) => {
      const variables: Record<string, unknown> = {};
      generated.forEach((value, i) => {
        if (value !== OMIT) variables[slots[i].variable] = value;
      });
      return reportable({ operation: name, query, variables });
    });
  };
  // Calm calls reach the service code and the database; the others mostly test the refusals.
  return fc.oneof({ arbitrary: calls(true), weight: 45 }, { arbitrary: calls(false), weight: 55 });
}

// ---------------------------------------------------------------------------------------------
// Deep nesting, by hand

/** An array nested `depth` times around `leaf`, built without recursion. */
export function nestedArray(depth: number, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** An object nested `depth` times under `key` around `leaf`. */
export function nestedObject(depth: number, key: string, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = { [key]: value };
  return value;
}

/**
 * JSON text too deep for JSON.stringify (V8's gives up near 5000 levels; its JSON.parse does
 * not): `text` goes into the request body as it is, `shown` stands for it in reports.
 */
export class DeepJson {
  constructor(
    readonly text: string,
    readonly shown: string,
  ) {}

  static array(depth: number, leaf: unknown): DeepJson {
    return new DeepJson(
      `${'['.repeat(depth)}${JSON.stringify(leaf)}${']'.repeat(depth)}`,
      `[…${depth} nested arrays around ${JSON.stringify(leaf)}…]`,
    );
  }

  static object(depth: number, key: string, leaf: unknown): DeepJson {
    return new DeepJson(
      `${`{${JSON.stringify(key)}:`.repeat(depth)}${JSON.stringify(leaf)}${'}'.repeat(depth)}`,
      `{…${depth} nested objects under "${key}" around ${JSON.stringify(leaf)}…}`,
    );
  }
}

/** The request body of a call: JSON, with DeepJson values written as their text. */
export function requestBody(query: string, variables: Record<string, unknown>): string {
  const deep: string[] = [];
  const nonce = randomBytes(8).toString('hex');
  const json = JSON.stringify({ query, variables }, (_key, value: unknown) => {
    if (!(value instanceof DeepJson)) return value;
    deep.push(value.text);
    return `deep-json:${nonce}:${deep.length - 1}`;
  });
  return deep.length === 0
    ? json
    : json.replace(new RegExp(`"deep-json:${nonce}:(\\d+)"`, 'g'), (_m, i: string) => deep[Number(i)]);
}

export interface HandMadeCase extends FuzzCall {
  readonly title: string;
}

/**
 * Documents no type-driven generator writes: variables nested hundreds or tens of thousands of
 * levels deep where a list or an input object is expected, nested list and object literals in the
 * document, and deeply nested selections, inline fragments and fragment chains. Each names the
 * root field it calls, for the caller table.
 */
export function deepNestingCases(marker: string, ids: { location: string; referral: string }): HandMadeCase[] {
  const cases: HandMadeCase[] = [];
  const add = (title: string, operation: string, query: string, variables: Record<string, unknown> = {}) =>
    cases.push(reportable<HandMadeCase>({ title, operation, query, variables }));
  const REFERRALS = 'query Fuzz($s: [ReferralStatus!]) { referrals(box: INBOX, status: $s) { totalCount } }';
  add('a list argument nested 500 deep', 'referrals', REFERRALS, { s: nestedArray(500, 'SENT') });
  add('a list argument nested 40 000 deep', 'referrals', REFERRALS, { s: DeepJson.array(40_000, 'SENT') });
  const CREATE_SERVICE = 'mutation Fuzz($i: CreateServiceInput!) { createService(input: $i) { service { id } } }';
  const service = { name: `Deep ${marker}`, description: `Deep ${marker}`, serviceArea: 'FOOD' };
  add('an ID list nested 500 deep in an input', 'createService', CREATE_SERVICE, {
    i: { ...service, locationIds: nestedArray(500, ids.location) },
  });
  add('an input-object list nested 500 deep', 'createService', CREATE_SERVICE, {
    i: { ...service, schedules: nestedArray(500, { days: ['MO'], opensAt: '09:00', closesAt: '17:00' }) },
  });
  add('a list of 500-deep lists inside list items', 'createService', CREATE_SERVICE, {
    i: { ...service, schedules: [{ days: nestedArray(500, 'MO'), opensAt: '09:00', closesAt: '17:00' }] },
  });
  add('an ID list nested 40 000 deep in an input', 'createService', CREATE_SERVICE, {
    i: { ...service, locationIds: DeepJson.array(40_000, ids.location) },
  });
  const REGISTER = 'mutation Fuzz($i: RegisterClientInput!) { registerClient(input: $i) { client { id } } }';
  add('an input object nested 1000 deep under a known field', 'registerClient', REGISTER, {
    i: { preferredName: marker, contact: nestedObject(1000, 'contact', { preferredName: marker }) },
  });
  add('an input object nested 20 000 deep under an unknown field', 'registerClient', REGISTER, {
    i: { preferredName: marker, [`x${marker}`]: DeepJson.object(20_000, 'a', marker) },
  });
  add(
    'a String argument given a 20 000-deep array',
    'clients',
    'query Fuzz($s: String) { clients(search: $s) { totalCount } }',
    { s: DeepJson.array(20_000, marker) },
  );
  add('an undeclared variable nested 20 000 deep', 'me', 'query Fuzz { me { id } }', {
    unused: DeepJson.object(20_000, 'a', marker),
  });
  add(
    'a list literal nested 600 deep in the document',
    'referrals',
    `query Fuzz { referrals(box: INBOX, status: ${'['.repeat(600)}SENT${']'.repeat(600)}) { totalCount } }`,
  );
  add(
    'an object literal nested 400 deep in the document',
    'registerClient',
    `mutation Fuzz { registerClient(input: { preferredName: "${marker}", contact: ${'{ a: '.repeat(400)}1${' }'.repeat(400)} }) { client { id } } }`,
  );
  let selection = '{ id }';
  for (let i = 0; i < 12; i++) selection = `{ edges { node { organization { services ${selection} } } } }`;
  add('a selection nested far past the depth limit', 'services', `query Fuzz { services ${selection} }`);
  add(
    'inline fragments nested 600 deep',
    'me',
    `query Fuzz { ${'... on Query { '.repeat(600)}me { id }${' }'.repeat(600)} }`,
  );
  const chain = Array.from(
    { length: 300 },
    (_, i) => `fragment F${i} on Query { ${i < 299 ? `...F${i + 1}` : 'me { id }'} }`,
  ).join(' ');
  add('a chain of 300 fragments', 'me', `query Fuzz { ...F0 } ${chain}`);
  const fanOut = Array.from(
    { length: 14 },
    (_, i) => `fragment G${i} on Query { ${i < 13 ? `...G${i + 1} ...G${i + 1}` : 'me { id }'} }`,
  ).join(' ');
  add('fragments that fan out 2^13 times', 'me', `query Fuzz { ...G0 } ${fanOut}`);
  add(
    'a referral selection with a nested history far past the depth limit',
    'referral',
    `query Fuzz($id: ID!) { referral(id: $id) { ${'basedOn { '.repeat(40)}id${' }'.repeat(40)} } }`,
    {
      id: ids.referral,
    },
  );
  return cases;
}
