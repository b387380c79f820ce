// Keyset pages of a history table through Prisma: the connection's order is a unique key (height
// first, then text columns), and a page holds the rows strictly after the cursor key in that order.
// Rows the indexer appends meanwhile cannot shift a page (no gaps, no duplicates): the next page
// starts after the last key seen, not at an offset.
import type { KeyPart, KeyShape, Page } from '../pagination.ts';
import { type Connection, toConnection } from '../pagination.ts';

export type Direction = 'ASC' | 'DESC';

/** The key columns of a history: `height` then text columns (Prisma field names). */
export interface HistoryKey<Row> {
  fields: readonly string[];
  shape: KeyShape;
  of(row: Row): KeyPart[];
}

type Where = Record<string, unknown>;

/**
 * `(f1, …, fn) > cursor` (or `<`) as a Prisma filter: the first field bounded inclusively, so the
 * index on (…, height) is entered at the cursor, then the lexicographic tie-break.
 */
export function afterCursor(fields: readonly string[], cursor: readonly KeyPart[], dir: 'gt' | 'lt'): Where {
  const incl = dir === 'gt' ? 'gte' : 'lte';
  const or: Where[] = fields.map((f, i) => {
    const w: Where = {};
    for (let j = 0; j < i; j++) w[fields[j]!] = cursor[j];
    w[f] = { [dir]: cursor[i] };
    return w;
  });
  return { AND: [{ [fields[0]!]: { [incl]: cursor[0] } }, { OR: or }] };
}

export interface HistoryQuery<Row> {
  page: Page;
  order: Direction;
  key: HistoryKey<Row>;
  /** The filters (without the cursor). */
  where: Where;
  findMany(args: { where: Where; orderBy: Array<Record<string, 'asc' | 'desc'>>; take: number }): Promise<Row[]>;
  count(args: { where: Where }): Promise<number>;
}

/** One page of a history as a Relay connection; totalCount runs only when asked. */
export async function historyPage<Row>(q: HistoryQuery<Row>): Promise<Connection<Row>> {
  // A backward page reads against the connection's order, then toConnection flips it back.
  const desc = (q.order === 'DESC') !== q.page.backward;
  const where = q.page.cursor === null ? q.where : { AND: [q.where, afterCursor(q.key.fields, q.page.cursor, desc ? 'lt' : 'gt')] };
  const rows = await q.findMany({ where, orderBy: q.key.fields.map((f) => ({ [f]: desc ? 'desc' : 'asc' })), take: q.page.take });
  return toConnection(rows, q.page, q.key.of, () => q.count({ where: q.where }));
}

/** An empty connection (a filter that matches nothing, e.g. an unknown pairing), with no query. */
export function emptyPage<Row>(page: Page): Connection<Row> {
  return toConnection<Row>([], page, () => [], async () => 0);
}
