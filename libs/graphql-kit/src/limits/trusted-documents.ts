import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError } from 'graphql';
import { createHash } from 'node:crypto';

/**
 * Trusted documents (a safelist): when an operator lists the documents its own clients send, only
 * those run, by their SHA-256 or their full text. The list is fixed at start: nothing a caller sends
 * is ever remembered, so no answer can tell whether someone else once sent a document.
 */
export class TrustedDocuments {
  private constructor(private readonly byHash: ReadonlyMap<string, string>) {}

  get size(): number {
    return this.byHash.size;
  }

  /**
   * Reads an Apollo persisted-query manifest (`{ format: "apollo-persisted-query-manifest",
   * operations: [{ id, body }] }`) or a map of hash to document (GraphQL Code Generator's
   * persisted documents). Every hash must be the SHA-256 of its document.
   */
  static parse(json: string): TrustedDocuments {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error('is not JSON');
    }
    const entries: [string, unknown][] =
      isRecord(parsed) && parsed.format === 'apollo-persisted-query-manifest' && Array.isArray(parsed.operations)
        ? parsed.operations.map((operation: unknown) =>
            isRecord(operation) ? [String(operation.id), operation.body] : ['', undefined],
          )
        : isRecord(parsed)
          ? Object.entries(parsed)
          : [];
    if (entries.length === 0) throw new Error('lists no documents');
    const byHash = new Map<string, string>();
    for (const [hash, body] of entries) {
      if (typeof body !== 'string' || sha256(body) !== hash.toLowerCase())
        throw new Error('has an entry whose hash is not the SHA-256 of its document');
      byHash.set(hash.toLowerCase(), body);
    }
    return new TrustedDocuments(byHash);
  }

  has(hash: string | undefined): boolean {
    return hash !== undefined && this.byHash.has(hash.toLowerCase());
  }

  /** Apollo's persisted-query cache, read only: a hash-only request finds its trusted document. */
  cache(): KeyValueCache<string> {
    const prefix = 'apq:';
    return {
      get: (key) =>
        Promise.resolve(key.startsWith(prefix) ? this.byHash.get(key.slice(prefix.length).toLowerCase()) : undefined),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(true),
    };
  }

  /** Refuses, before execution, every document that is not on the list. */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: () =>
        Promise.resolve({
          didResolveOperation: ({ queryHash }) => {
            if (this.has(queryHash)) return Promise.resolve();
            throw new GraphQLError(
              'This server runs only its trusted documents, and this document is not one of them.',
              {
                extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
              },
            );
          },
        }),
    };
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
