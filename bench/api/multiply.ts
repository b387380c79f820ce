// Bulk-multiplies the history tables of an indexed devnet database with SQL, so that the API bench
// reads a history of realistic shape at production size: each copy k repeats the original rows k
// "workload lengths" later (heights + k·H, times + k·H block times) with ids, tx hashes and tx ids
// shifted so every primary key stays unique and every index sees the same distribution as the real
// rows. One staker (the busiest) additionally gets extra copies of its own rows, so a history page
// can be read on an address with ≥ `whaleRows` rows.
import type pg from 'pg';

/** Append-only history tables that are multiplied (all have id, chain_id, height, time). */
export const HISTORY_TABLES = ['lien_events', 'delegation_events', 'reward_events', 'virtual_stakes'] as const;
/** Of those, the ones with a `staker` column (the whale's extra copies). */
const STAKER_TABLES = new Set<string>(['lien_events', 'delegation_events', 'reward_events']);

export interface MultiplyOptions {
  /** Total rows wanted over HISTORY_TABLES after multiplying. */
  minRows: number;
  /** Rows the whale staker should have in delegation_events (and about as many in lien_events). */
  whaleRows: number;
}

export interface MultiplyResult {
  /** Copies of every original row, the original included. */
  copies: number;
  /** Extra copies of the whale's rows. */
  whaleCopies: number;
  whale: string;
  /** Highest height of the original (indexed) rows; copy k starts at k·span + 1. */
  span: number;
  blockSeconds: number;
}

/**
 * SQL expression list (in the table's column order) for copy `k` (a column reference to the copy
 * number) of table rows aliased `t`. Pure: exported for the tests of the id rewriting.
 */
export function copyColumns(columns: readonly string[], k: string, span: number, blockSeconds: number): string[] {
  const shift = `(${k} * ${span})`;
  return columns.map((c) => {
    switch (c) {
      // ids are `<chain>/<height>/<tx>/<msg>/<event>[/suffix]` (MappingContext.rowId): move the height part
      case 'id':
        return `CASE WHEN left(t.id, length(t.chain_id || '/' || t.height || '/')) = t.chain_id || '/' || t.height || '/'
                  THEN t.chain_id || '/' || (t.height + ${shift}) || substr(t.id, length(t.chain_id || '/' || t.height || '/'))
                  ELSE t.id || '/x' || ${k} END`;
      case 'height':
        return `t.height + ${shift}`;
      case 'time':
        return `t.time + make_interval(secs => ${shift} * ${blockSeconds})`;
      case 'tx_hash':
        return `upper(encode(sha256(convert_to(t.tx_hash || '/' || ${k}, 'UTF8')), 'hex'))`;
      // tx ids are per-contract counters (2^63 + n): keep the copies' apart from the originals'
      case 'tx_id':
        return `t.tx_id + ${k}::numeric * 1000000`;
      default:
        return `t.${c}`;
    }
  });
}

async function columnsOf(db: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  if (rows.length === 0) throw new Error(`table ${table} not found`);
  return rows.map((r) => r.column_name);
}

async function count(db: pg.ClientBase, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/** Multiplies HISTORY_TABLES in place (one transaction per table) and moves the chains' cursors past the copies. */
export async function multiplyHistory(db: pg.ClientBase, opts: MultiplyOptions, log: (l: string) => void = () => {}): Promise<MultiplyResult> {
  let original = 0;
  let span = 0;
  for (const t of HISTORY_TABLES) {
    original += await count(db, `SELECT count(*) n FROM ${t}`);
    span = Math.max(span, await count(db, `SELECT coalesce(max(height), 0) n FROM ${t}`));
  }
  if (original === 0) throw new Error('no history rows to multiply: the indexed workload produced none');
  const { rows: bt } = await db.query<{ s: string | null }>(
    `SELECT round(extract(epoch FROM max(time) - min(time)) / nullif(max(height) - min(height), 0)) s FROM delegation_events`,
  );
  const blockSeconds = Math.max(1, Number(bt[0]?.s ?? 1));
  const copies = Math.max(1, Math.ceil(opts.minRows / original));

  const { rows: w } = await db.query<{ staker: string; n: string }>(
    `SELECT staker, count(*) n FROM delegation_events GROUP BY staker ORDER BY count(*) DESC, staker LIMIT 1`,
  );
  const whale = w[0]!.staker;
  const whaleCopies = Math.max(0, Math.ceil(opts.whaleRows / Number(w[0]!.n)) - copies);

  for (const t of HISTORY_TABLES) {
    const cols = await columnsOf(db, t);
    const exprs = copyColumns(cols, 'g.k', span, blockSeconds).join(', ');
    const t0 = performance.now();
    await db.query('BEGIN');
    try {
      // secondary indexes are rebuilt once after the bulk insert (much faster than row by row)
      const { rows: idx } = await db.query<{ indexname: string; indexdef: string }>(
        `SELECT i.indexname, i.indexdef FROM pg_indexes i
          WHERE i.schemaname = current_schema() AND i.tablename = $1
            AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass)`,
        [t],
      );
      for (const i of idx) await db.query(`DROP INDEX ${i.indexname}`);
      let n = 0;
      if (copies > 1) {
        const r = await db.query(`INSERT INTO ${t} (${cols.join(', ')}) SELECT ${exprs} FROM ${t} t CROSS JOIN generate_series(1, ${copies - 1}) g(k) WHERE t.height <= ${span}`);
        n += r.rowCount ?? 0;
      }
      if (whaleCopies > 0 && STAKER_TABLES.has(t)) {
        const r = await db.query(
          `INSERT INTO ${t} (${cols.join(', ')}) SELECT ${exprs} FROM ${t} t CROSS JOIN generate_series(${copies}, ${copies + whaleCopies - 1}) g(k) WHERE t.height <= ${span} AND t.staker = $1`,
          [whale],
        );
        n += r.rowCount ?? 0;
      }
      for (const i of idx) await db.query(i.indexdef);
      await db.query('COMMIT');
      log(`  ${t}: +${n.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      await db.query('ROLLBACK').catch(() => {});
      throw err;
    }
  }

  // The copies are "later" blocks: the chains' cursors (and tips) move past them, so reads that clamp
  // to the indexed height (release times, pending ranges) see every row.
  await db.query(
    `UPDATE chains c SET indexed_height = h.max_height, tip_height = h.max_height,
            indexed_time = c.indexed_time + make_interval(secs => (h.max_height - c.indexed_height) * ${blockSeconds}),
            tip_time = c.indexed_time + make_interval(secs => (h.max_height - c.indexed_height) * ${blockSeconds})
       FROM (SELECT chain_id, max(height) max_height FROM (${HISTORY_TABLES.map((t) => `SELECT chain_id, height FROM ${t}`).join(' UNION ALL ')}) x GROUP BY chain_id) h
      WHERE c.chain_id = h.chain_id AND h.max_height > c.indexed_height`,
  );
  return { copies, whaleCopies, whale, span, blockSeconds };
}
