import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../src/auth/password-hasher';
import {
  checkPassword,
  PASSWORD_POLICY_DESCRIPTION,
  PasswordProblemCode,
  STRENGTH_CHECK_MAX_UTF16_UNITS,
  type PasswordContext,
  type PasswordProblem,
} from '../../src/auth/password-policy';
import { TEST_PASSWORD } from '../support/fixtures';

const { TOO_SHORT, TOO_LONG, UNPRINTABLE_CHARACTER, COMMON_OR_GUESSABLE, CONTAINS_PERSONAL_INFORMATION } =
  PasswordProblemCode;

const MARIA: PasswordContext = {
  email: 'maria.lopez@publichealth.example',
  organizationName: 'Public Health Community Clinic',
  displayName: 'María López',
};

/** A deterministic pseudo-random string of printable ASCII (a linear congruential generator, no repetition). */
function pseudoRandom(length: number, seed = 20_260_601): string {
  let state = seed;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    text += String.fromCharCode(0x21 + (Math.floor(state / 65_536) % 94));
  }
  return text;
}

/** `count` distinct emoji from the fully assigned Miscellaneous Symbols and Pictographs block: 2 UTF-16 units each. */
const emoji = (count: number) => Array.from({ length: count }, (_, i) => String.fromCodePoint(0x1f300 + i)).join('');

const COMMON: [what: string, password: string][] = [
  ['only digits in sequence', '123456789012'],
  ['a common password with digits', 'password1234'],
  ['one character repeated', 'aaaaaaaaaaaa'],
  ['a QWERTY keyboard walk', 'qwertyuiop12'],
  ['a common password with the usual capital, digits and symbol', 'Password123!'],
  ['a common phrase and a year', 'iloveyou2024'],
  ['Spanish for "password" with digits', 'contraseña123'],
  ['French for "password" with digits', 'motdepasse123'],
  ['an AZERTY keyboard walk', 'azertyuiop12'],
  ['a l33t-spelled common password', 'P@ssw0rd2024'],
  ['a repeated short pattern', 'abc123abc123abc123'],
  ['a French word and digits', 'soleil123456'],
  ["the service's name and a year", 'Harbour2024!'],
];

/** [what, context, password, the word that matched] */
const PERSONAL: [what: string, context: PasswordContext, password: string, matched: string][] = [
  ['the whole email local part', { email: 'jdoe42@example.org' }, 'violet JDOE42 kettle orbit', 'jdoe42'],
  ['a part of the email local part', { email: 'maria.lopez@example.org' }, 'orbit-LOPEZ-kettle-91', 'lopez'],
  [
    'the email local part with its separator dropped',
    { email: 'maria.lopez@example.org' },
    'kettle Maria_Lopez orbit',
    'marialopez',
  ],
  [
    'organization words run together',
    { email: 'x@example.org', organizationName: 'Public Health Community Clinic' },
    'communityclinic2024!',
    'community',
  ],
  [
    'a word of the organization name',
    { email: 'x@example.org', organizationName: 'Public Health Community Clinic' },
    'violet kettle HEALTH sunrise',
    'health',
  ],
  [
    'an organization word written without its accent',
    { email: 'x@example.org', organizationName: 'Clínica Esperanza del Barrio' },
    'kettle clinica orbit sunrise 8',
    'clinica',
  ],
  [
    'an organization word written with an accent it does not have',
    { email: 'x@example.org', organizationName: 'Clínica Esperanza del Barrio' },
    'kettle-ÉSPERANZA-orbit-77',
    'esperanza',
  ],
  [
    'an organization name made of short words',
    { email: 'x@example.org', organizationName: 'ABC Aid' },
    'kettle-abc-aid-orbit-91',
    'abcaid',
  ],
  [
    'a display-name word',
    { email: 'x@example.org', displayName: 'Théo Vasquez-Moreau' },
    'moreau kettle violet sunrise',
    'moreau',
  ],
  [
    'a display-name word written without its accent',
    { email: 'x@example.org', displayName: 'Théo Vasquez-Moreau' },
    'THEO kettle violet sunrise 8',
    'theo',
  ],
  ['a name spelled out with separators', MARIA, 'm.a.r.i.a kettle orbit 42', 'maria'],
];

const MALFORMED: [what: string, password: string, expected: PasswordProblemCode[]][] = [
  [`${PASSWORD_MIN_LENGTH - 1} characters`, 'k7#Qp2vL9xW', [TOO_SHORT]],
  [
    `${PASSWORD_MIN_LENGTH - 1} emoji (${2 * (PASSWORD_MIN_LENGTH - 1)} UTF-16 units)`,
    emoji(PASSWORD_MIN_LENGTH - 1),
    [TOO_SHORT],
  ],
  ['an empty password', '', [TOO_SHORT, COMMON_OR_GUESSABLE]],
  [`${PASSWORD_MAX_LENGTH + 1} characters`, pseudoRandom(PASSWORD_MAX_LENGTH + 1), [TOO_LONG]],
  [`${PASSWORD_MAX_LENGTH + 1} emoji`, emoji(PASSWORD_MAX_LENGTH + 1), [TOO_LONG]],
  ['a line break', 'violet kettle\norbit sunrise', [UNPRINTABLE_CHARACTER]],
  ['a NUL character', 'violet kettle\u0000orbit sunrise', [UNPRINTABLE_CHARACTER]],
  ['half an emoji (an unpaired surrogate)', 'violet kettle orbit \ud83d', [UNPRINTABLE_CHARACTER]],
];

const codes = (problems: PasswordProblem[]) => problems.map((p) => p.code);

const check = (password: string, context: PasswordContext = MARIA) => checkPassword(password, context);

/** Milliseconds of CPU `run` takes: steadier than wall-clock time on a busy machine. */
function cpuTime(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// First in the file so that the first call is the cold one (the estimator is built on first use).
// PASSWORD_POLICY_TIMINGS=1 prints the measurements.
describe('strength estimation cost', () => {
  it('builds the estimator once, then checks even 256-character passwords quickly', () => {
    const wallStart = performance.now();
    const first = cpuTime(() => check('warm-up kettle violet orbit'));
    const firstWall = performance.now() - wallStart;
    const everyday = [
      'violet-kettle-orbit-91-sunrise',
      'k7#Qp2vL9xWm',
      'password1234',
      TEST_PASSWORD,
      'crème brûlée sous la pluie ☔',
    ];
    everyday.forEach((p) => check(p)); // JIT warm-up
    const typical = median(everyday.map((p) => cpuTime(() => check(p))));
    // The inputs that cost zxcvbn most before its work was bounded (seconds each).
    const longest = {
      random: pseudoRandom(PASSWORD_MAX_LENGTH),
      l33t: '4@3!1$0|(7+2%8'.repeat(20).slice(0, PASSWORD_MAX_LENGTH),
      ambiguousL33t: '!1|7<6'.repeat(50).slice(0, PASSWORD_MAX_LENGTH),
      digits: '1029384756'.repeat(30).slice(0, PASSWORD_MAX_LENGTH),
      words: 'horse battery staple correct '.repeat(10).slice(0, PASSWORD_MAX_LENGTH),
      emoji: emoji(PASSWORD_MAX_LENGTH),
    };
    const worst = Math.max(...Object.values(longest).map((p) => median([1, 2, 3].map(() => cpuTime(() => check(p))))));

    if (process.env.PASSWORD_POLICY_TIMINGS) {
      process.stderr.write(
        `password policy (CPU ms): first call ${first.toFixed(0)} (wall ${firstWall.toFixed(0)}), then typical ${typical.toFixed(1)}, worst 256-character ${worst.toFixed(1)}\n`,
      );
    }
    // Generous ceilings for busy CI machines; unbounded, the worst of these took over 10 s.
    expect(typical).toBeLessThan(100);
    expect(worst).toBeLessThan(250);
  });
});

describe(checkPassword.name, () => {
  it.each(COMMON)('refuses %s as common or guessable', (_what, password) => {
    expect(codes(check(password))).toEqual([COMMON_OR_GUESSABLE]);
  });

  it.each(PERSONAL)('refuses a password containing %s', (_what, context, password) => {
    const problems = check(password, context);
    expect(codes(problems)).toContain(CONTAINS_PERSONAL_INFORMATION);
    expect(codes(problems)).not.toContain(TOO_SHORT);
  });

  it('says which kind of personal detail matched, never which word', () => {
    const email = check('violet JDOE42 kettle orbit', { email: 'jdoe42@example.org' });
    expect(email.find((p) => p.code === CONTAINS_PERSONAL_INFORMATION)?.message).toBe(
      'must not contain your email address, nor part of it: choose words unrelated to you',
    );
    const all = check('maria kettle clinic orbit', MARIA);
    expect(all.find((p) => p.code === CONTAINS_PERSONAL_INFORMATION)?.message).toBe(
      "must not contain your email address, your name or your organization's name, nor part of them: choose words unrelated to you",
    );
  });

  it('ignores short and insignificant words of names', () => {
    expect(
      check('violet kettle orbit with li', {
        email: 'li@example.org',
        organizationName: 'Friends with Li',
        displayName: 'Li Na',
      }),
    ).toEqual([]);
  });

  it.each(MALFORMED)('refuses %s', (_what, password, expected) => {
    expect(codes(check(password))).toEqual(expected);
  });

  it('refuses a long password whose strength-checked beginning is guessable', () => {
    const password = `${'password'.repeat(STRENGTH_CHECK_MAX_UTF16_UNITS / 8)}${pseudoRandom(40)}`;
    expect(codes(check(password))).toEqual([COMMON_OR_GUESSABLE]);
  });

  it.each<[string, string]>([
    ["the test fixtures' password", TEST_PASSWORD],
    ["an end-to-end tests' passphrase (acceptInvitation)", 'a long enough passphrase'],
    ["an end-to-end tests' passphrase (changePassword, acceptInvitation)", 'another long passphrase'],
    ["an end-to-end tests' passphrase (changePassword)", 'a brand new passphrase'],
    ['a passphrase with separators and digits', 'violet-kettle-orbit-91-sunrise'],
    ['random characters, exactly the minimum length', 'k7#Qp2vL9xWm'],
    ['other random characters', 'Tq8z!mR4wK1p'],
    ['a longer random string', pseudoRandom(20)],
    ['a French passphrase with accents and an emoji', 'crème brûlée sous la pluie ☔'],
    ['a Spanish passphrase with accents and an emoji', 'café ñandú 🚢 velero azul'],
    [`${PASSWORD_MIN_LENGTH} emoji`, emoji(PASSWORD_MIN_LENGTH)],
    ['a passphrase with a joined emoji sequence (zero-width joiners)', 'kettle orbit 👩‍💻 violet sunrise'],
    [`exactly ${PASSWORD_MAX_LENGTH} characters, without repetition`, pseudoRandom(PASSWORD_MAX_LENGTH)],
    [`exactly ${PASSWORD_MAX_LENGTH} emoji (${2 * PASSWORD_MAX_LENGTH} UTF-16 units)`, emoji(PASSWORD_MAX_LENGTH)],
    ['spaces at both ends (nothing is trimmed)', '  violet kettle orbit  '],
  ])('accepts %s', (_what, password) => {
    expect(check(password)).toEqual([]);
  });

  it('accepts a password when the organization and display name are unknown', () => {
    expect(
      check('violet kettle orbit sunrise', { email: 'jdoe42@example.org', organizationName: null, displayName: null }),
    ).toEqual([]);
  });

  it('never repeats the password or the matched word in its messages', () => {
    const refusals: { password: string; context: PasswordContext; matched?: string }[] = [
      ...COMMON.map(([, password]) => ({ password, context: MARIA })),
      ...PERSONAL.map(([, context, password, matched]) => ({ password, context, matched })),
      ...MALFORMED.map(([, password]) => ({ password, context: MARIA })),
    ];
    for (const { password, context, matched } of refusals) {
      const problems = checkPassword(password, context);
      expect(problems.length).toBeGreaterThan(0);
      for (const { message } of problems) {
        if (password.length > 0) expect(message.toLowerCase()).not.toContain(password.toLowerCase());
        if (matched) expect(message.toLowerCase()).not.toContain(matched);
      }
    }
  });

  it('gives each problem but the personal one a single fixed message, whatever the password', () => {
    const messages = new Map<PasswordProblemCode, Set<string>>();
    const passwords = [...COMMON.map(([, p]) => p), ...MALFORMED.map(([, p]) => p), 'short', 'qwerty\n'];
    for (const { code, message } of passwords.flatMap((p) => checkPassword(p, MARIA))) {
      messages.set(code, (messages.get(code) ?? new Set()).add(message));
    }
    expect([...messages.keys()].sort()).toEqual(
      [COMMON_OR_GUESSABLE, TOO_LONG, TOO_SHORT, UNPRINTABLE_CHARACTER].sort(),
    );
    for (const variants of messages.values()) expect(variants.size).toBe(1);
  });
});

describe('PASSWORD_POLICY_DESCRIPTION', () => {
  it('states the length range and what is refused, in one sentence', () => {
    expect(PASSWORD_POLICY_DESCRIPTION).toMatch(
      new RegExp(`^${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters; common, guessable or personal`),
    );
    expect(PASSWORD_POLICY_DESCRIPTION.match(/\./g)).toHaveLength(1);
  });
});
