import { isUUID } from 'class-validator';

/** Ids are UUIDs: anything else cannot name an object (the input rule refuses it before it gets here). */
export function isId(id: string): boolean {
  return isUUID(id);
}
