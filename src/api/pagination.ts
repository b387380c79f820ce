// Relay cursor connections over keyset pagination. A cursor is the row's ordering key (base64url JSON),
// so pages stay free of gaps and duplicates while the indexer appends rows: the next page starts
// strictly after the last key seen, whatever was inserted meanwhile.
import { badInput } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export type KeyPart = string | number;
export type KeyShape = ReadonlyArray<'string' | 'number'>;

export interface Page {
  /** Rows to fetch: the page size plus one, to learn whether another page follows. */
  take: number;
  size: number;
  /** true when paging backwards (`last`/`before`): fetch in reverse order, then flip. */
  backward: boolean;
  /** Exclusive bound on the ordering key, when a cursor was given. */
  cursor: KeyPart[] | null;
}

export function encodeCursor(key: readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, shape: KeyShape, argument: string): KeyPart[] {
  const fail = () => badInput(`malformed cursor in "${argument}": pass a cursor from this connection's edges or pageInfo`, argument);
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw fail();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw fail();
  }
  if (!Array.isArray(key) || key.length !== shape.length) throw fail();
  key.forEach((part, i) => {
    const ok = shape[i] === 'number' ? Number.isSafeInteger(part) : typeof part === 'string';
    if (!ok) throw fail();
  });
  return key as KeyPart[];
}

/** Validates first/after/last/before (page size ≤ MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE). */
export function readPage(args: PageArgs, shape: KeyShape): Page {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw badInput('pass either "first" or "last", not both', 'last');
  if (after != null && before != null) throw badInput('pass either "after" or "before", not both', 'before');
  const backward = last != null || (before != null && first == null);
  const size = (backward ? last : first) ?? DEFAULT_PAGE_SIZE;
  const name = backward ? 'last' : 'first';
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput(`"${name}" must be between 0 and ${MAX_PAGE_SIZE} (got ${size})`, name);
  }
  const raw = backward ? before : after;
  const cursor = raw != null ? decodeCursor(raw, shape, backward ? 'before' : 'after') : null;
  return { take: size + 1, size, backward, cursor };
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Resolved only when the client asks for it (it costs a COUNT). */
  totalCount: () => Promise<number>;
}

/**
 * Builds the connection from rows fetched with `take = page.take` in the page's direction
 * (descending key order for forward pages of a newest-first list; the caller owns the order).
 */
export function toConnection<T>(rows: T[], page: Page, keyOf: (row: T) => readonly KeyPart[], count: () => Promise<number>): Connection<T> {
  const more = rows.length > page.size;
  const slice = more ? rows.slice(0, page.size) : rows;
  if (page.backward) slice.reverse();
  const edges = slice.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.backward ? page.cursor !== null : more,
      hasPreviousPage: page.backward ? more : page.cursor !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: count,
  };
}
