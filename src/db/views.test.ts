// The mesh views: every view and column carries a comment, the latency histogram layout is the one
// the rollup triggers fill (src/db/rollups.ts), and the quantile read from it interpolates inside the
// bucket holding the rank.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from './database.ts';
import { migrate } from './migrate.ts';
import { LATENCY_COLUMNS, LATENCY_EDGES_MS } from './rollups.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

test('mesh views: comments on every view and column, the rollups histogram layout, approximate quantiles', { skip: noServer }, async () => {
  const db = await createTestDatabase();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await migrate(c);
    const missing = await c.query<{ what: string }>(
      `SELECT v.relname AS what FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
        WHERE n.nspname = 'mesh' AND v.relkind = 'v' AND obj_description(v.oid, 'pg_class') IS NULL
       UNION ALL
       SELECT v.relname || '.' || a.attname FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
         JOIN pg_attribute a ON a.attrelid = v.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = 'mesh' AND v.relkind = 'v' AND col_description(v.oid, a.attnum) IS NULL`,
    );
    assert.deepEqual(missing.rows, []);

    const buckets = await c.query<{ bucket: number; lower_ms: string; upper_ms: string | null; rollup_column: string }>('SELECT * FROM mesh.latency_buckets ORDER BY bucket');
    assert.deepEqual(
      buckets.rows.map((b) => [b.bucket, Number(b.lower_ms), b.upper_ms === null ? null : Number(b.upper_ms), b.rollup_column]),
      LATENCY_COLUMNS.map((col, i) => [i + 1, i === 0 ? 0 : LATENCY_EDGES_MS[i - 1], LATENCY_EDGES_MS[i] ?? null, col]),
    );

    const q = async (hist: number[], quantile: number) =>
      (await c.query<{ q: string | null }>('SELECT mesh.latency_quantile($1::bigint[], $2) AS q', [hist, quantile])).rows[0]!.q;
    const h = (counts: Record<number, number>) => LATENCY_COLUMNS.map((_, i) => counts[i] ?? 0);
    // 10 latencies in (20 s, 30 s]: the median is halfway, p99 near the top
    assert.equal(await q(h({ 5: 10 }), 0.5), '25000');
    assert.equal(await q(h({ 5: 10 }), 0.99), '29900');
    // 90 in (1 s, 2 s], 10 in (5 min, 10 min]: p50 in the first, p99 in the second
    assert.equal(await q(h({ 1: 90, 9: 10 }), 0.5), '1556');
    assert.equal(await q(h({ 1: 90, 9: 10 }), 0.99), '570000');
    // the overflow bucket has no upper edge: its lower edge
    assert.equal(await q(h({ 11: 3 }), 0.5), '1800000');
    assert.equal(await q(h({}), 0.5), null);
  } finally {
    await c.end();
    await db.drop();
  }
});
