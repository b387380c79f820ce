// Keyset pages in SQL for the explorer connections: ORDER BY the key columns (all one direction) and
// a row comparison against the cursor, so a page starts strictly after the last key seen. Time keys
// travel in cursors as integer microseconds since the epoch: timestamptz keeps microseconds, which a JS
// Date (milliseconds) would drop, letting rows of the same millisecond fall between two pages.
import type { KeyPart, KeyShape, Page } from '../pagination.ts';

export interface KeyColumn {
  /** SQL expression of the key (a column or an expression over columns); never null. */
  expr: string;
  type: 'time' | 'text' | 'int';
}

export const keyShape = (keys: readonly KeyColumn[]): KeyShape => keys.map((k) => (k.type === 'text' ? 'string' : 'number'));

/** SELECT list items that return the key as it goes into a cursor (`k0`, `k1`, …). */
export function keySelect(keys: readonly KeyColumn[]): string {
  return keys.map((k, i) => `${k.type === 'time' ? `(extract(epoch from ${k.expr}) * 1000000)::bigint` : k.expr} AS k${i}`).join(', ');
}

/** The cursor key of a row selected with keySelect. */
export function rowKey(row: Record<string, unknown>, keys: readonly KeyColumn[]): KeyPart[] {
  return keys.map((k, i) => (k.type === 'text' ? String(row[`k${i}`]) : Number(row[`k${i}`])));
}

export interface KeysetSql {
  /** Condition on the cursor (null without one); its parameters were appended to `params`. */
  after: string | null;
  orderBy: string;
}

/**
 * The cursor condition and ORDER BY of a page over `keys` listed in `order` (the connection's
 * order; a backward page reads the other way and toConnection flips it back).
 */
export function keysetSql(keys: readonly KeyColumn[], page: Page, order: 'ASC' | 'DESC', params: unknown[]): KeysetSql {
  const desc = (order === 'DESC') !== page.backward;
  const orderBy = keys.map((k) => `${k.expr} ${desc ? 'DESC' : 'ASC'}`).join(', ');
  if (page.cursor === null) return { after: null, orderBy };
  const bound = keys.map((k, i) => {
    params.push(page.cursor![i]);
    const p = `$${params.length}`;
    return k.type === 'time' ? `('epoch'::timestamptz + ${p}::bigint * interval '1 microsecond')` : k.type === 'int' ? `${p}::bigint` : `${p}::text`;
  });
  return { after: `(${keys.map((k) => k.expr).join(', ')}) ${desc ? '<' : '>'} (${bound.join(', ')})`, orderBy };
}
