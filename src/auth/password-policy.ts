import { BadUserInputError } from '@harbour/graphql-kit';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import * as zxcvbnEsEs from '@zxcvbn-ts/language-es-es';
import * as zxcvbnFr from '@zxcvbn-ts/language-fr';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-hasher';

/**
 * The password policy of OWASP ASVS 5.0 V6 (password security), as a pure function: a length of
 * 12–256 Unicode code points, nothing truncated, any printable character allowed (spaces and emoji
 * too), no composition rules, and a refusal of passwords that are common, guessable or built from
 * the person's own email, name or organization. Hashing stays in PasswordHasher.
 */

export enum PasswordProblemCode {
  TOO_SHORT = 'TOO_SHORT',
  TOO_LONG = 'TOO_LONG',
  /** Control characters (tab, line break, NUL…) or a broken UTF-16 string: not printable, so not typeable. */
  UNPRINTABLE_CHARACTER = 'UNPRINTABLE_CHARACTER',
  /** Found in the common-password and word lists, or otherwise estimated easy to guess (keyboard walks, repeats, dates…). */
  COMMON_OR_GUESSABLE = 'COMMON_OR_GUESSABLE',
  /** Contains the person's email address (local part), name or organization's name, or a significant part of them. */
  CONTAINS_PERSONAL_INFORMATION = 'CONTAINS_PERSONAL_INFORMATION',
}

/** `message` completes "The password …" and never repeats the password or what matched in it (it ends up in API errors). */
export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

/** What is known about the person choosing the password: their own details must not be in it. */
export interface PasswordContext {
  email: string;
  organizationName?: string | null;
  displayName?: string | null;
}

export const PASSWORD_POLICY_DESCRIPTION = `${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters; common, guessable or personal passwords (containing your email address, name or organization's name) are refused, so a passphrase of several unrelated words is best.`;

/**
 * zxcvbn's score runs 0–4; 3 means at least 10^8 estimated guesses ("safely unguessable: moderate
 * protection from an offline slow-hash attack", and our hash is argon2id). Below that are the
 * breached, common and guessable passwords ASVS asks us to block. No rule on character classes:
 * the score already rewards length, which is what ASVS wants people to use.
 */
const MIN_STRENGTH_SCORE = 3;

/**
 * zxcvbn's work grows with the length in UTF-16 units (its dictionary matcher tries every substring
 * against 56 word lists, again for reversed and l33t-decoded variants): unbounded, 256 characters
 * take seconds, a denial of service on an unauthenticated mutation. So only the beginning is scored,
 * at most this many UTF-16 units (whole characters: 32 letters, or 16 emoji). That never accepts
 * a weak password, since the beginning of a guessable password is guessable too; at worst, a long
 * password whose beginning is guessable is refused whatever follows. Non-repeating text of that
 * length scores 4 (the maximum) anyway, and a 28-character passphrase is scored whole.
 */
export const STRENGTH_CHECK_MAX_UTF16_UNITS = 32;

/**
 * How many l33t-decoded variants ("p4ssw0rd" → "password") zxcvbn tries, each one more full pass
 * over the password; its default (100) costs seconds on long inputs. 2 still catch "P@ssw0rd2024"
 * and "fo0tba1l2024"; a spelling that needs one symbol read two ways ("1" as both "l" and "i" in
 * "1etme1n2024!") needs more and can slip through: the price of a bounded check.
 */
const L33T_MAX_VARIANTS = 2;

/** Parts of names shorter than this are too common to refuse (e.g. "Li", "San"). */
const MIN_NAME_WORD_LENGTH = 4;
/** The email's whole local part counts from 3 characters ("bob@…"); shorter ones would refuse too much. */
const MIN_EMAIL_LOCAL_PART_LENGTH = 3;

/** The service's own name: guessable for any account here (NIST SP 800-63B's "context-specific words"). */
const SERVICE_WORDS = ['harbour', 'harbor'];

/** Function words of English, French and Spanish organization names: not significant, so not refused. */
const INSIGNIFICANT_WORDS = new Set([
  'about',
  'also',
  'avec',
  'chez',
  'como',
  'contra',
  'dans',
  'desde',
  'entre',
  'from',
  'hacia',
  'into',
  'nuestra',
  'nuestro',
  'notre',
  'over',
  'para',
  'pour',
  'sans',
  'sobre',
  'that',
  'their',
  'this',
  'under',
  'with',
  'your',
]);

let estimator: ZxcvbnFactory | undefined;

/**
 * Built on first use: ranking the ~414,000 words takes about half a second and 20 MB of heap.
 * (Decompressing them happens when this module is imported: about 0.4 s and 20 MB more.)
 */
function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: {
      ...zxcvbnCommon.dictionary,
      ...zxcvbnEn.dictionary,
      ...zxcvbnFr.dictionary,
      ...zxcvbnEsEs.dictionary,
    },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
    l33tMaxSubstitutions: L33T_MAX_VARIANTS,
    // Levenshtein matching of the whole password against every list costs ten times more per call.
    useLevenshteinDistance: false,
  });
  return estimator;
}

export function checkPassword(password: string, context: PasswordContext): PasswordProblem[] {
  const length = codePointLength(password, PASSWORD_MAX_LENGTH + 1);
  // Refused before any other work: the other checks cost time in proportion to the length.
  if (length > PASSWORD_MAX_LENGTH) return [TOO_LONG];

  const problems: PasswordProblem[] = [];
  if (length < PASSWORD_MIN_LENGTH) problems.push(TOO_SHORT);
  if (UNPRINTABLE.test(password)) problems.push(UNPRINTABLE_CHARACTER);

  const terms = personalTerms(context);
  const compactPassword = compact(password);
  const found = new Set(terms.filter((t) => compactPassword.includes(t.term)).map((t) => t.source));
  if (found.size > 0) problems.push(containsPersonalInformation(found));

  const scored = beginning(password, STRENGTH_CHECK_MAX_UTF16_UNITS);
  // zxcvbn's own user-input matching also catches l33t and reversed forms of those terms.
  const userInputs = [
    ...new Set([...SERVICE_WORDS, context.email, ...terms.map((t) => t.term), ...terms.map((t) => t.raw)]),
  ];
  if (strengthEstimator().check(scored, userInputs).score < MIN_STRENGTH_SCORE) problems.push(COMMON_OR_GUESSABLE);

  return problems;
}

const TOO_SHORT: PasswordProblem = {
  code: PasswordProblemCode.TOO_SHORT,
  message: `must be at least ${PASSWORD_MIN_LENGTH} characters long: use a passphrase of several unrelated words`,
};
const TOO_LONG: PasswordProblem = {
  code: PasswordProblemCode.TOO_LONG,
  message: `must be at most ${PASSWORD_MAX_LENGTH} characters long`,
};
const UNPRINTABLE_CHARACTER: PasswordProblem = {
  code: PasswordProblemCode.UNPRINTABLE_CHARACTER,
  message:
    'must contain only printable characters (letters, digits, symbols, spaces and emoji): remove tabs, line breaks and other control characters',
};
const COMMON_OR_GUESSABLE: PasswordProblem = {
  code: PasswordProblemCode.COMMON_OR_GUESSABLE,
  message:
    'is too easy to guess (a common password, a word with predictable digits or symbols, a keyboard pattern or a repetition): use a longer passphrase of several unrelated words',
};

type PersonalSource = 'email' | 'name' | 'organization';
const SOURCE_WORDING: Record<PersonalSource, string> = {
  email: 'your email address',
  name: 'your name',
  organization: "your organization's name",
};

function containsPersonalInformation(sources: Set<PersonalSource>): PasswordProblem {
  // Says which kind of detail matched, never which word: the message reaches API errors and logs.
  const kinds = (['email', 'name', 'organization'] as const)
    .filter((s) => sources.has(s))
    .map((s) => SOURCE_WORDING[s]);
  const listed = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`;
  return {
    code: PasswordProblemCode.CONTAINS_PERSONAL_INFORMATION,
    message: `must not contain ${listed}, nor part of ${kinds.length === 1 ? 'it' : 'them'}: choose words unrelated to you`,
  };
}

interface PersonalTerm {
  source: PersonalSource;
  /** Folded and compacted, as compared with the compacted password. */
  term: string;
  /** As written (lower-cased), for zxcvbn, which sees the password as written. */
  raw: string;
}

/** The strings a password must not contain: compared case-, accent- and separator-insensitively. */
function personalTerms(context: PasswordContext): PersonalTerm[] {
  const terms: PersonalTerm[] = [];
  const add = (source: PersonalSource, raw: string, minLength: number) => {
    const term = compact(raw);
    if (codePointLength(term, minLength) >= minLength) terms.push({ source, term, raw: raw.toLowerCase() });
  };

  const at = context.email.lastIndexOf('@');
  const localPart = at === -1 ? context.email : context.email.slice(0, at);
  add('email', localPart, MIN_EMAIL_LOCAL_PART_LENGTH);
  for (const part of wordsOf(localPart)) add('email', part, MIN_NAME_WORD_LENGTH);

  if (context.organizationName) {
    add('organization', context.organizationName, MIN_NAME_WORD_LENGTH);
    for (const word of wordsOf(context.organizationName)) {
      if (!INSIGNIFICANT_WORDS.has(fold(word))) add('organization', word, MIN_NAME_WORD_LENGTH);
    }
  }
  if (context.displayName) {
    for (const word of wordsOf(context.displayName)) add('name', word, MIN_NAME_WORD_LENGTH);
  }
  return terms;
}

/** Lower case without accents, compatibility forms unified: "Ｍaría" → "maria". */
function fold(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
}

/** Folded, letters and digits only: "Maria_López" and "m.a.r.i.a lopez" both contain "marialopez". */
function compact(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]/gu, '');
}

/** Runs of letters and digits, as written: "maria.lopez+harbour" → maria, lopez, harbour. */
function wordsOf(text: string): string[] {
  return text.split(/[^\p{L}\p{N}\p{M}]+/u).filter((word) => word.length > 0);
}

/** Control characters, and (with the u flag) only unpaired surrogates, which UTF-8 cannot encode. */
const UNPRINTABLE = /[\p{Cc}\p{Cs}]/u;

/** The longest beginning of `text` of at most `units` UTF-16 units that does not split a character. */
function beginning(text: string, units: number): string {
  let part = '';
  for (const character of text) {
    if (part.length + character.length > units) break;
    part += character;
  }
  return part;
}

/** Code points (an emoji is one, not two UTF-16 units), counted no further than `limit`. */
function codePointLength(text: string, limit: number): number {
  let count = 0;
  for (const _ of text) {
    if (++count >= limit) break;
  }
  return count;
}

/** Refuses a password the policy does not accept: BAD_USER_INPUT naming the field, every problem in its words (never the password's). */
export function requireAcceptablePassword(field: string, password: string, context: PasswordContext): void {
  const problems = checkPassword(password, context);
  if (problems.length === 0) return;
  throw new BadUserInputError(
    `The password ${problems.map((p) => p.message).join('; ')}.`,
    problems.map((p) => ({ field, message: p.message })),
  );
}
