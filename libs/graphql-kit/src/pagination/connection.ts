import { TransactionContext } from '@mikro-orm/core';
import { Type } from '@nestjs/common';
import { ArgsType, Field, type FieldMiddleware, Int, ObjectType } from '@nestjs/graphql';
import type { GraphQLScalarType } from 'graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CursorKey, decodeCursor, encodeCursor } from './cursor';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items to return, from 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, {
    nullable: true,
    description: 'Return the items after this cursor: pass `pageInfo.endCursor` of the previous page.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  after?: string | null;
}

@ObjectType({ description: 'Where a page sits in its list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page; fetch them with `after: endCursor`.' })
  hasNextPage: boolean;

  @Field({ description: 'True when this page was fetched with `after` (items precede it).' })
  hasPreviousPage: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first item of this page; null when the page is empty.',
  })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item of this page; null when the page is empty.',
  })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * A page of a list. `totalCount` is a thunk, called by the field's middleware when a caller
 * selects `totalCount` (at most once per page): a page that does not ask costs no COUNT statement.
 */
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
}

/** Resolves `totalCount` by calling the page's thunk (Nest's own field resolver returns properties as they are). */
const countWhenSelected: FieldMiddleware = async (_context, next) => {
  const count: unknown = await next();
  return typeof count === 'function' ? (count as () => Promise<number>)() : count;
};

/**
 * Builds the `XConnection` and `XEdge` GraphQL types for a node type. `typeName` is the node's
 * GraphQL name when its class is named otherwise (`OrganizationModel` → `Organization`).
 * `countType` is `Int64` for a list that can outgrow 32 bits (the audit log), `Int` otherwise.
 */
export function ConnectionType<T>(
  nodeType: Type<T>,
  nodeDescription: string,
  typeName: string = nodeType.name,
  countType: GraphQLScalarType = Int,
): Type<Connection<T>> {
  const name = typeName;

  @ObjectType(`${name}Edge`, { description: `One ${nodeDescription} in a page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this item; pass it as `after` to continue after it.' })
    cursor: string;

    @Field(() => nodeType, { description: `The ${nodeDescription}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${nodeDescription} items (Relay cursor connection).` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: "The items of this page, in the list's stable order." })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
    pageInfo: PageInfo;

    @Field(() => countType, {
      description: 'How many items the whole list holds with these filters (all pages).',
      middleware: [countWhenSelected],
    })
    totalCount: () => Promise<number>;
  }
  return ConnectionClass;
}

export interface PageRequest {
  /** Rows to fetch: one more than the page size, to learn whether a next page exists. */
  limit: number;
  /** Sort key of the last row already seen, or undefined for the first page. */
  after?: CursorKey;
}

/** What `paginate` needs of a list: how to read a page of rows, count them all, and key and map a row. */
export interface PageSource<Row, Node> {
  rows(request: PageRequest): Promise<Row[]>;
  /** The whole list's size with the same filters: run when `totalCount` is resolved (see `paginate`). */
  count(): Promise<number>;
  keyOf(row: Row): CursorKey;
  toNode(row: Row): Node;
}

/** The page a connection's arguments ask for. `after: null` is how a client asks for the first page when it passes the cursor as a variable. */
export function pageRequestOf(args: ConnectionArgs, keyLength: number): PageRequest {
  const after = args.after === undefined || args.after === null ? undefined : decodeCursor(args.after, keyLength);
  return { limit: args.first + 1, after };
}

/**
 * The connection of rows fetched for `request` (up to `request.limit`, in the list's order).
 * `count` runs once, when `totalCount` is first resolved.
 */
export function connectionOf<Row, Node>(
  args: ConnectionArgs,
  request: PageRequest,
  rows: readonly Row[],
  source: Pick<PageSource<Row, Node>, 'count' | 'keyOf' | 'toNode'>,
): Connection<Node> {
  const page = rows.slice(0, args.first);
  const edges = page.map((row) => ({ cursor: encodeCursor(source.keyOf(row)), node: source.toNode(row) }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    totalCount: () => (counted ??= source.count()),
    pageInfo: {
      hasNextPage: rows.length > args.first,
      hasPreviousPage: request.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * Keyset pagination: the caller fetches `limit` rows ordered by a unique sort key strictly after
 * `after`, and says how to read a row's key. The list is counted only if `totalCount` is selected
 * (see Connection) — except for a page read inside a database transaction: that transaction is
 * over by the time GraphQL resolves `totalCount`, so the page is counted with its rows, in the
 * same transaction (an audited read of the audit log counts what it returns, before its own event).
 */
export async function paginate<Row, Node>(
  args: ConnectionArgs,
  keyLength: number,
  source: PageSource<Row, Node>,
): Promise<Connection<Node>> {
  const request = pageRequestOf(args, keyLength);
  if (TransactionContext.currentTransactionContext() !== undefined) {
    const [rows, total] = await Promise.all([source.rows(request), source.count()]);
    return connectionOf(args, request, rows, { ...source, count: () => Promise.resolve(total) });
  }
  return connectionOf(args, request, await source.rows(request), source);
}
