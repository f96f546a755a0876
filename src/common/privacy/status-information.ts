/**
 * Harbour never asks for or records a person's status (DESIGN.md invariant 1), but free text —
 * needs, reasons, notes — is the client's own words and may mention it anyway. This detector says
 * when a text reads like status information, so that the writer can be warned (the text is still
 * saved: it is the client's). It is deliberately broad: a false warning costs a glance, a missed
 * one may cost a person their safety.
 *
 * The words live here, in code, and never in the schema, messages or logs: a warning names the
 * field, not what was found.
 */

/** Matched against text in lower case with accents removed (so French matches with or without them). */
const WORDS: readonly RegExp[] = [
  // English
  /\bimmigra/,
  /\bemigra/,
  /\bmigrant/,
  /\bcitizen/,
  /\bnationalit/,
  /\bvisas?\b/,
  /\bpassports?\b/,
  /\bpermits?\b/,
  /\brefugees?\b/,
  /\basylum/,
  /\bdeport/,
  /\bundocumented\b/,
  /\bpapers\b/,
  /\b(no|without|lost|out of|non)[\s-]?status\b/,
  /\bstatus (in|to stay in) (canada|the country)\b/,
  /\b(legal|residency|resident) status\b/,
  /\bpermanent residen/,
  /\btemporary residen/,
  /\bpr card\b/,
  /\bgreen card\b/,
  /\bsocial (insurance|security) (number|card)\b/,
  /\bcountry of (birth|origin)\b/,
  /\bwork authori[sz]ation\b/,
  /\boverstay/,
  /\bremoval order\b/,
  /\billegal (alien|immigrant|entry)\b/,
  // French
  /\bcitoyen/,
  /\bpasseports?\b/,
  /\brefugie/,
  /\basile\b/,
  /\bdeportation/,
  /\bsans[\s-]papiers?\b/,
  /\bsans statut\b/,
  /\bstatut (legal|migratoire|au canada)\b/,
  /\bpermis (de travail|d'etudes?|de sejour)\b/,
  /\b(titre|carte) de sejour\b/,
  /\bresidente?s? permanente?s?\b/,
  /\bresidence permanente\b/,
  /\bcarte (de )?rp\b/,
  /\b(numero d'|carte d')assurance sociale\b/,
  /\bpays (de naissance|d'origine)\b/,
  /\bmesure de renvoi\b/,
];

/**
 * Matched against the original text: abbreviations count only in capitals, where they cannot be an
 * ordinary word ("sin" is Spanish for "without", "ice" is frozen water).
 */
const ABBREVIATIONS: readonly RegExp[] = [/\bSIN\b/, /\bSSN\b/, /\bNAS\b/, /\bIRCC\b/, /\bCBSA\b/, /\bASFC\b/, /\bICE\b/, /\bTRV\b/];

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, ' ');
}

/** True when the text reads like information about a person's status. Pure: no I/O, no state. */
export function looksLikeStatusInformation(text: string | null | undefined): boolean {
  if (!text) return false;
  const folded = fold(text);
  return WORDS.some((word) => word.test(folded)) || ABBREVIATIONS.some((word) => word.test(text));
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
