// Content hash of every entity table, to compare two databases (crash test, RPC fault test): sha256
// over each row's text (ROW(cols)::text, every column) in primary key order, computed in the
// database. Output settings that change the text (TimeZone, DateStyle) are pinned, and text keys sort
// with COLLATE "C", so equal contents hash equally whatever the server's locale.

import pg from 'pg';
import { TABLES, type TableMeta } from '../../db/generated/entities.ts';

/** Columns that differ between two runs over the same chain data (wall-clock times, the polled tip). */
export const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  chains: ['updated_at', 'tip_height', 'tip_time'],
  dead_letters: ['created_at'],
};

export interface TableHashOptions {
  /** Table name → columns left out of the hash (default VOLATILE_COLUMNS; {} hashes every column). */
  exclude?: Readonly<Record<string, readonly string[]>>;
  /** Tables to hash (default: every table in TABLES). */
  tables?: readonly TableMeta[];
}

/** Table name → hex sha256 of its rows. */
export async function tableHashes(db: pg.Pool | pg.ClientBase, opts: TableHashOptions = {}): Promise<Record<string, string>> {
  const exclude = opts.exclude ?? VOLATILE_COLUMNS;
  const tables = opts.tables ?? Object.values(TABLES);
  const client = 'totalCount' in db ? await (db as pg.Pool).connect() : (db as pg.ClientBase);
  try {
    await client.query("BEGIN READ ONLY; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'");
    const out: Record<string, string> = {};
    for (const t of tables) {
      const skip = new Set(exclude[t.name] ?? []);
      const cols = t.columns.filter((c) => !skip.has(c.column)).map((c) => c.quoted);
      const order = t.primaryKeyColumns
        .map((name) => t.columns.find((c) => c.column === name)!)
        .map((c) => (c.sqlType === 'text' ? `${c.quoted} COLLATE "C"` : c.quoted));
      const { rows } = await client.query<{ h: string }>(
        // Hash of the rows' hashes: 32 bytes per row in memory instead of the whole table's text.
        `SELECT encode(sha256(coalesce(string_agg(sha256(convert_to(ROW(${cols.join(', ')})::text, 'UTF8')), ''::bytea ORDER BY ${order.join(', ')}), ''::bytea)), 'hex') AS h FROM ${t.name}`,
      );
      out[t.name] = rows[0]!.h;
    }
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    if (client !== db) (client as pg.PoolClient).release();
  }
}
