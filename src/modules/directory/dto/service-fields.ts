/** Bounds of the service inputs (create and update share them). */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
export const LANGUAGE_TAG_MESSAGE = 'each value in $property must be a BCP 47 language tag such as en, fr-CA or zh-Hant';
export const MAX_LANGUAGES = 20;
export const MAX_SCHEDULE_ENTRIES = 50;
export const MAX_LOCATIONS_PER_SERVICE = 100;
export const MIN_AGE = 0;
export const MAX_AGE = 130;
