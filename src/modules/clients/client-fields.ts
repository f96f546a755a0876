/** Bounds of the client inputs (registration and update share them). */
export const NAME_MAX_LENGTH = 200;
export const PRONOUNS_MAX_LENGTH = 50;
export const MUNICIPAL_ID_MAX_LENGTH = 50;
export const NEEDS_MAX_LENGTH = 4000;
export const SEARCH_MAX_LENGTH = 200;
/** The oldest plausible birth year; the newest is the current year. The database holds the same floor. */
export const MIN_BIRTH_YEAR = 1900;
/** Municipal ID numbers as printed on the card: letters, digits, spaces and dashes. */
export const MUNICIPAL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 -]*$/;
