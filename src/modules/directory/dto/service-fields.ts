/** Bounds of the service inputs (create and update share them). */
export const MAX_SCHEDULE_ENTRIES = 50;
export const MAX_LOCATIONS_PER_SERVICE = 100;
export const MIN_AGE = 0;
export const MAX_AGE = 130;
