// Keyset pages of a history table in SQL: the connection's order is a unique key (height first), and a
// page holds the rows strictly after the cursor key in that order, so rows the indexer appends
// meanwhile cannot shift a page (no gaps, no duplicates). The key is compared as a row value, with the
// height bound repeated on its own so the (…, height) index is entered at the cursor.
//
// SQL rather than Prisma here: a history page through Prisma cost 1.3 ms of API CPU against 0.2 ms for
// the same statement on pg (measured at 16 concurrent calls), and Prisma cannot compare row values.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { KeyPart, KeyShape, Page } from '../pagination.ts';
import { type Connection, toConnection } from '../pagination.ts';

export type Direction = 'ASC' | 'DESC';

/** Positional parameters of one statement. */
export class Params {
  readonly values: unknown[] = [];
  /** `$n` for `v`. */
  p(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** Where a history row happened: its tx (and two-phase tx id) and position in the block. */
export interface EventPlace {
  txId: string | null;
  height: number;
  time: string;
  txHash: string | null;
  msgIndex: number | null;
  eventIndex: number | null;
}

export interface KeyColumn {
  /** SQL expression (never null); the first one is the indexed height. */
  expr: string;
  type: 'int' | 'text';
}

export interface HistorySql<Row> {
  sql: pg.Pool;
  page: Page;
  order: Direction;
  /** `FROM …` (with joins). */
  from: string;
  /** SELECT list of the node's columns (the key columns are added as k0, k1, …). */
  columns: string;
  key: readonly KeyColumn[];
  /** Filter conditions (ANDed) and their parameters. */
  conditions: string[];
  params: Params;
  /**
   * Read as one ordered, limited branch per value of a column (`<expr> = value`), merged: for an index
   * that starts with that column (chain_id), each branch is an ordered index range where a condition
   * `= ANY(values)` would read every matching row and sort them.
   */
  partition?: { expr: string; values: readonly string[] };
  toNode(row: Record<string, any>): Row;
}

const statementName = (text: string): string => `api-history-${createHash('sha1').update(text).digest('base64url')}`;

export const keyShape = (key: readonly KeyColumn[]): KeyShape => key.map((k) => (k.type === 'int' ? 'number' : 'string'));

/** One page of a history as a Relay connection; totalCount runs only when asked. */
export async function historyPage<Row>(q: HistorySql<Row>): Promise<Connection<Row>> {
  // A backward page reads against the connection's order, then toConnection flips it back.
  const desc = (q.order === 'DESC') !== q.page.backward;
  const countParams = [...q.params.values];
  const where = [...q.conditions];
  if (q.page.cursor !== null) {
    const bound = q.key.map((k, i) => `${q.params.p(q.page.cursor![i])}::${k.type === 'int' ? 'bigint' : 'text'}`);
    where.push(`${q.key[0]!.expr} ${desc ? '<=' : '>='} ${bound[0]}`);
    where.push(`(${q.key.map((k) => k.expr).join(', ')}) ${desc ? '<' : '>'} (${bound.join(', ')})`);
  }
  const dir = desc ? 'DESC' : 'ASC';
  const select = `SELECT ${q.columns}, ${q.key.map((k, i) => `${k.expr} AS k${i}`).join(', ')} FROM ${q.from}`;
  const order = (exprs: readonly string[]) => `ORDER BY ${exprs.map((e) => `${e} ${dir}`).join(', ')}`;
  const limit = q.params.p(q.page.take);
  const whereOf = (c: string[]) => (c.length ? `WHERE ${c.join(' AND ')}` : '');
  const keyExprs = q.key.map((k) => k.expr);
  const text = !q.partition
    ? `${select} ${whereOf(where)} ${order(keyExprs)} LIMIT ${limit}`
    : `SELECT * FROM (${q.partition.values
        .map((v) => `(${select} ${whereOf([...where, `${q.partition!.expr} = ${q.params.p(v)}`])} ${order(keyExprs)} LIMIT ${limit})`)
        .join(' UNION ALL ')}) u ${order(q.key.map((_, i) => `k${i}`))} LIMIT ${limit}`;
  // the count has its own parameters: the filters' (numbered before the cursor's) and the partition
  let countWhere = q.conditions;
  if (q.partition) {
    countParams.push(q.partition.values);
    countWhere = [...q.conditions, `${q.partition.expr} = ANY($${countParams.length}::text[])`];
  }
  // named: the statement text depends only on which filters are set, so each text is prepared once per
  // connection and PostgreSQL stops planning it after a few runs (planning costs about as much as running)
  const { rows } = await q.sql.query({ name: statementName(text), text, values: q.params.values });
  const keyOf = (r: Record<string, any>): KeyPart[] => q.key.map((k, i) => (k.type === 'int' ? Number(r[`k${i}`]) : String(r[`k${i}`])));
  const conn = toConnection(rows, q.page, keyOf, async () => {
    const c = await q.sql.query({ text: `SELECT count(*)::int AS n FROM ${q.from} ${whereOf(countWhere)}`, values: countParams });
    return c.rows[0].n as number;
  });
  return { ...conn, edges: conn.edges.map((e) => ({ cursor: e.cursor, node: q.toNode(e.node) })) };
}

/** An empty connection (a filter that matches nothing, e.g. an unknown pairing), with no query. */
export function emptyPage<Row>(page: Page): Connection<Row> {
  return toConnection<Row>([], page, () => [], async () => 0);
}

/** The key of the event histories (alias `t`): height, then the position in the block, then id. */
export function eventKey(t: string, blockPosition: (t: string) => [string, string]): KeyColumn[] {
  const [tx, ev] = blockPosition(t);
  return [
    { expr: `${t}.height`, type: 'int' },
    { expr: tx, type: 'int' },
    { expr: ev, type: 'int' },
    { expr: `${t}.id`, type: 'text' },
  ];
}
