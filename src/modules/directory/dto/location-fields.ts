/** Bounds of the location inputs (create and update share them). */
export const ADDRESS_LINE_MAX_LENGTH = 200;
export const ADDRESS_PART_MAX_LENGTH = 100;

/**
 * Coordinates are kept to 7 decimal places (about 1 cm): finer is noise, and a subnormal value such
 * as 5e-324 makes PostgreSQL's trigonometry underflow — stored, it would break every distance search.
 */
export const COORDINATE_DECIMALS = 7;
export const roundCoordinate = ({ value }: { value: unknown }): unknown =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.round(value * 10 ** COORDINATE_DECIMALS) / 10 ** COORDINATE_DECIMALS
    : value;
