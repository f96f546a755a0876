/** Language tags (BCP 47, as HSDS uses them), shared by the directory, clients and consents. */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
export const LANGUAGE_TAG_MESSAGE =
  'each value in $property must be a BCP 47 language tag such as en, fr-CA or zh-Hant';
export const MAX_LANGUAGES = 20;

/**
 * `text` → an ILIKE pattern matching it anywhere, with the caller's `%`, `_` and `\` taken
 * literally (backslash is PostgreSQL's default LIKE escape character).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
