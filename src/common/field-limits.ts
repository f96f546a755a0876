import type { IsUrl } from 'class-validator';

/** Input bounds shared by the inputs of organizations, services, locations and client contacts. */
export const NAME_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 4000;
export const EMAIL_MAX_LENGTH = 254;
export const URL_MAX_LENGTH = 2000;
export const PHONE_MAX_LENGTH = 40;
export const SEARCH_TEXT_MAX_LENGTH = 200;

export const HTTP_URL: Parameters<typeof IsUrl>[0] = { require_protocol: true, protocols: ['https', 'http'] };

/** Digits with the usual separators, an optional leading `+` and an optional extension. */
export const PHONE_PATTERN = /^\+?[0-9][0-9 ().-]{1,30}[0-9](\s*(x|ext\.?)\s*[0-9]{1,6})?$/i;
