/** Bounds of the location inputs (create and update share them). */
export const ADDRESS_LINE_MAX_LENGTH = 200;
export const ADDRESS_PART_MAX_LENGTH = 100;
