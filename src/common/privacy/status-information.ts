/**
 * Harbour never asks for or records a person's status (docs/design.md, invariant 1), but free text —
 * needs, reasons, notes — is the client's own words and may mention it anyway. This detector says
 * when a text reads like status information, so that the writer can be warned (the text is still
 * saved: it is the client's). It is deliberately broad: a false warning costs a glance, a missed
 * one may cost a person their safety.
 *
 * The words live here, in code, and never in the schema, messages or logs: a warning names the
 * field, not what was found.
 */

import { ENGLISH } from './status-words.en';
import { SPANISH } from './status-words.es';
import { FRENCH } from './status-words.fr';

/**
 * The words of one language. `folded` is matched against the text in lower case with accents
 * removed (so French and Spanish match with or without them); `capitals` against the original
 * text, for abbreviations that count only in capitals ("sin" is Spanish for "without", "ice" is
 * frozen water); `accented` against the original text, where an accent tells two words apart.
 */
export interface StatusWords {
  folded: readonly RegExp[];
  capitals: readonly RegExp[];
  accented?: readonly RegExp[];
}

const LANGUAGES: readonly StatusWords[] = [ENGLISH, FRENCH, SPANISH];
const FOLDED = LANGUAGES.flatMap((language) => language.folded);
const CAPITALS = LANGUAGES.flatMap((language) => language.capitals);
const ACCENTED = LANGUAGES.flatMap((language) => language.accented ?? []);

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ');
}

/** True when the text reads like information about a person's status. Pure: no I/O, no state. */
export function looksLikeStatusInformation(text: string | null | undefined): boolean {
  if (!text) return false;
  const folded = fold(text);
  if (FOLDED.some((word) => word.test(folded))) return true;
  const original = text.normalize('NFC');
  if (ACCENTED.some((word) => word.test(original))) return true;
  // In text written all in capitals ("SIN HOGAR"), capitals say nothing; the folded context words still apply.
  const shouted = !/\p{Ll}/u.test(text);
  return !shouted && CAPITALS.some((word) => word.test(original));
}

export enum PrivacyWarningCode {
  STATUS_INFORMATION = 'STATUS_INFORMATION',
}

export interface PrivacyWarning {
  /** Path of the input field, e.g. `input.needs`. */
  field: string;
  code: PrivacyWarningCode;
  message: string;
}

/**
 * Warnings for the free-text fields of one input, keyed by their path (`input.needs`). Fields
 * that are absent or null are skipped.
 */
export function privacyWarnings(fields: Readonly<Record<string, string | null | undefined>>): PrivacyWarning[] {
  return Object.entries(fields)
    .filter(([, text]) => looksLikeStatusInformation(text))
    .map(([field]) => ({
      field,
      code: PrivacyWarningCode.STATUS_INFORMATION,
      message: `${field} seems to mention the person's status or identity documents. It was saved as written, but Harbour is status-blind: keep to what the client needs, and remove it unless the client asked for it to be there.`,
    }));
}
