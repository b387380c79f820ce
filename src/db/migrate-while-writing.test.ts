// Regression: two chain indexers starting on one database deadlocked (40P01). The second one's migrate
// re-ran the schema's `CREATE INDEX IF NOT EXISTS`, which takes a ShareLock on the table even when the
// index exists, while the first indexer's batch transaction held RowExclusiveLock there and wanted a
// table the migration had already locked. An up-to-date database now gets no DDL from migrate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from './database.ts';
import { migrate } from './migrate.ts';

test('migrate on an up-to-date database does not wait for a writer holding its tables', async (t) => {
  const db = await createTestDatabase();
  const pool = db.pool(4);
  const migrator = new pg.Client({ connectionString: db.url, options: '-c lock_timeout=3000' });
  const writer = await pool.connect();
  t.after(async () => {
    writer.release();
    await migrator.end().catch(() => {});
    await pool.end();
    await db.drop();
  });
  await migrate(pool);
  await writer.query('BEGIN');
  await writer.query(`INSERT INTO contracts (chain_id, address, kind) VALUES ('a-1', 'a1contract', 'vault')`);

  // With DDL against `contracts` this would wait for the writer's transaction: lock_timeout makes it fail.
  await migrator.connect();
  const r = await migrate(migrator);
  assert.equal(r.changed, false);

  await writer.query('COMMIT');
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM contracts');
  assert.equal(rows[0].n, 1);
});
