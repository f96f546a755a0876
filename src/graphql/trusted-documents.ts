import { TrustedDocuments } from '@harbour/graphql-kit';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/app-config';

/** The operator's trusted documents (GRAPHQL_TRUSTED_DOCUMENTS), read once at start; a bad file stops the start, naming the variable. */
export function loadTrustedDocuments(path: string | undefined): TrustedDocuments | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError([`GRAPHQL_TRUSTED_DOCUMENTS names a file that cannot be read`]);
  }
  try {
    return TrustedDocuments.parse(text);
  } catch (error) {
    throw new ConfigError([
      `GRAPHQL_TRUSTED_DOCUMENTS ${error instanceof Error ? error.message : 'is not a list of trusted documents'}`,
    ]);
  }
}
