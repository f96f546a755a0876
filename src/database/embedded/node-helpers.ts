/** Small wrappers over Node's fs and system errors, shared by provisioning and crash recovery. */
import { promises as fs } from 'node:fs';

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** A failed system call with this errno code (ENOENT, ESRCH, EPERM...). */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
