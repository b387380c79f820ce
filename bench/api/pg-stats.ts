// PostgreSQL's side of a scenario from pg_stat_statements (preloaded in the embedded bench cluster):
// statements per request, execution time per request, and the statements that take the most time.
import type pg from 'pg';

export interface StatementStat {
  query: string;
  calls: number;
  /** Execution time, all calls. */
  totalMs: number;
  meanMs: number;
  /** Planning time, all calls (0 unless pg_stat_statements.track_planning is on). */
  planMs: number;
  rows: number;
}

export interface PgStats {
  calls: number;
  execMs: number;
  planMs: number;
  top: StatementStat[];
}

/** Forgets every statement's counters in this database. */
export async function resetPgStats(db: pg.Pool): Promise<void> {
  await db.query('SELECT pg_stat_statements_reset()');
}

/** Statements of this database since the last reset, the bench's own bookkeeping left out. */
export async function readPgStats(db: pg.Pool, top = 6): Promise<PgStats> {
  const { rows } = await db.query<{ query: string; calls: string; total: number; mean: number; plan: number; rows: string }>(
    `SELECT query, calls, total_exec_time total, mean_exec_time mean, total_plan_time plan, rows
       FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT LIKE '%pg_stat_statements%'
      ORDER BY total_exec_time + total_plan_time DESC`,
  );
  const all = rows.map((r) => ({ query: r.query.replace(/\s+/g, ' ').trim(), calls: Number(r.calls), totalMs: r.total, meanMs: r.mean, planMs: r.plan, rows: Number(r.rows) }));
  return {
    calls: all.reduce((a, s) => a + s.calls, 0),
    execMs: all.reduce((a, s) => a + s.totalMs, 0),
    planMs: all.reduce((a, s) => a + s.planMs, 0),
    top: all.slice(0, top),
  };
}
