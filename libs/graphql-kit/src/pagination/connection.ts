import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
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

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of this page; null when the page is empty.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of this page; null when the page is empty.' })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Builds the `XConnection` and `XEdge` GraphQL types for a node type. `typeName` is the node's
 * GraphQL name when its class is named otherwise (`OrganizationModel` → `Organization`).
 */
export function ConnectionType<T>(nodeType: Type<T>, nodeDescription: string, typeName: string = nodeType.name): Type<Connection<T>> {
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
    @Field(() => [EdgeType], { description: 'The items of this page, in the list\'s stable order.' })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'How many items the whole list holds with these filters (all pages).' })
    totalCount: number;
  }
  return ConnectionClass;
}

export interface PageRequest {
  /** Rows to fetch: one more than the page size, to learn whether a next page exists. */
  limit: number;
  /** Sort key of the last row already seen, or undefined for the first page. */
  after?: CursorKey;
}

/**
 * Keyset pagination, storage-agnostic: the caller fetches `limit` rows ordered by a unique sort
 * key strictly after `after`, and says how to read a row's key.
 */
export async function paginate<Row, Node>(
  args: ConnectionArgs,
  keyLength: number,
  load: {
    rows(request: PageRequest): Promise<Row[]>;
    count(): Promise<number>;
    keyOf(row: Row): CursorKey;
    toNode(row: Row): Node;
  },
): Promise<Connection<Node>> {
  // `after: null` is how a client asks for the first page when it passes the cursor as a variable.
  const after = args.after === undefined || args.after === null ? undefined : decodeCursor(args.after, keyLength);
  const [rows, totalCount] = await Promise.all([load.rows({ limit: args.first + 1, after }), load.count()]);
  const page = rows.slice(0, args.first);
  const edges = page.map((row) => ({ cursor: encodeCursor(load.keyOf(row)), node: load.toNode(row) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > args.first,
      hasPreviousPage: after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
