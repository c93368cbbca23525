// Relay connections: the types, argument validation and cursor handling every growable list uses.
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ simpleResolvers: true, description: 'Where a page sits in its list, for fetching the next one.' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items come before this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of this page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of this page; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (an `endCursor` from a previous page).' })
  after?: string | null;
}

/** A validated page request: `after` is the decoded sort key of the last item already seen. */
export interface PageRequest {
  first: number;
  after: string | null;
}

const CURSOR_PREFIX = 'cursor:';
// Lists are ordered by ID, so a cursor's key is always an ID (TypeID: prefix, underscore, 26 base32 characters).
const CURSOR_KEY = /^[a-z]{1,63}_[0-9a-z]{26}$/;

export function encodeCursor(key: string): string {
  return Buffer.from(CURSOR_PREFIX + key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX) || !CURSOR_KEY.test(decoded.slice(CURSOR_PREFIX.length))) {
    throw badInput('`after` is not a cursor this list returned. Pass a `pageInfo.endCursor` from a previous page.', 'after');
  }
  return decoded.slice(CURSOR_PREFIX.length);
}

export function pageRequest(args: ConnectionArgs): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  return { first, after: args.after == null ? null : decodeCursor(args.after) };
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: Promise<number> | number;
}

/**
 * Builds a connection from rows fetched with `LIMIT first + 1` after the cursor, in cursor order.
 * `count` runs only if the client asks for `totalCount`.
 */
export function toConnection<T>(rows: readonly T[], page: PageRequest, keyOf: (row: T) => string, count: () => Promise<number>): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  const pageInfo = {
    hasNextPage: rows.length > page.first,
    hasPreviousPage: page.after !== null,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  };
  return new LazyCountConnection(edges, nodes, pageInfo, count);
}

/**
 * A connection whose count is asked on first read. A class, not an object literal with a getter: V8 gives each such
 * literal a hidden class of its own, kept in the old generation with a pointer to the getter's closure, and through
 * it to the request's loaders; every request that read a page was then kept alive through scavenges and promoted
 * (gateway-request-context.ts has the measurements of the same pattern).
 */
class LazyCountConnection<T> implements Connection<T> {
  private total: Promise<number> | undefined;

  constructor(
    readonly edges: Edge<T>[],
    readonly nodes: T[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

  get totalCount(): Promise<number> {
    return (this.total ??= this.count());
  }
}

/** Declares the `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function ConnectionType<T extends object>(Node: ClassType<T>, name: string, description: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${description} in a page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Pass as `after` to fetch the items that follow this one.' })
    cursor!: string;

    @Field(() => Node, { description: `The ${description}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${description}s.` })
  class ConnectionObject {
    @Field(() => [EdgeType], { description: 'The items of this page with their cursors.' })
    edges!: EdgeType[];

    @Field(() => [Node], { description: 'The items of this page.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
    pageInfo!: PageInfo;

    // Counted only when asked (toConnection's getter returns a promise): a resolver, which awaits it, not a property
    // (graphql-jit reads a field without one as a plain value: compiled-execution.ts).
    @Field(() => Int, { description: 'How many items the whole list holds.', simple: false })
    totalCount!: number;
  }
  return ConnectionObject;
}
