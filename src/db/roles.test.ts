// mesh_reader: a login role granted it (as docs/sql.md shows) reads every mesh view, rollup table and
// entity table, also tables created later, and gets permission errors (SQLSTATE 42501) for any write
// or CREATE.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { READER_ROLE } from './analytics.ts';
import { createTestDatabase } from './database.ts';
import { migrate } from './migrate.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

test('a login role in mesh_reader selects every view and table and cannot INSERT, UPDATE, DELETE, TRUNCATE or CREATE', { skip: noServer }, async (t) => {
  const db = await createTestDatabase();
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const login = `reader_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let reader: pg.Client | undefined;
  t.after(async () => {
    await reader?.end().catch(() => {});
    await admin.end().catch(() => {});
    await db.drop();
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${login}`).finally(() => c.end());
  });
  await migrate(admin);
  // what docs/sql.md tells an administrator to run
  await admin.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}' IN ROLE ${READER_ROLE}`);
  await migrate(admin); // again: grants are idempotent and the role already exists
  await admin.query('CREATE TABLE later_table (a int)');
  await admin.query('INSERT INTO later_table VALUES (1)');

  const url = new URL(db.url);
  url.username = login;
  url.password = password;
  reader = new pg.Client({ connectionString: url.toString() });
  await reader.connect();

  const relations = (
    await admin.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'mesh', 'rollup') AND c.relkind IN ('r', 'v') ORDER BY 1`,
    )
  ).rows.map((r) => r.name);
  const views = relations.filter((r) => r.startsWith('mesh.'));
  assert.ok(views.length >= 20, `${views.length} mesh views`);
  assert.ok(relations.includes('rollup.packets') && relations.includes('public.vault_positions') && relations.includes('public.later_table'));
  for (const rel of relations) await reader.query(`SELECT * FROM ${rel} LIMIT 1`);
  assert.deepEqual((await reader.query('SELECT a FROM later_table')).rows, [{ a: 1 }]);
  assert.equal((await reader.query(`SELECT mesh.latency_quantile(ARRAY[0, 4]::bigint[], 0.5) AS q`)).rows[0].q, '1500');

  const denied = [
    `INSERT INTO vault_positions (chain_id, vault, staker, collateral, max_lien_low, max_lien_high, total_slashable_low, total_slashable_high, free_low, free_high, height, time) VALUES ('c', 'v', 's', 1, 0, 0, 0, 0, 0, 0, 1, now())`,
    `INSERT INTO later_table VALUES (2)`,
    `UPDATE chains SET indexed_height = 1`,
    `DELETE FROM lien_events`,
    `TRUNCATE ibc_packets`,
    `INSERT INTO mesh.positions (chain_id, vault, staker, collateral, max_lien_low, max_lien_high, total_slashable_low, total_slashable_high, free_low, free_high, height, time) VALUES ('c', 'v', 's', 1, 0, 0, 0, 0, 0, 0, 1, now())`,
    `UPDATE mesh.chains SET indexed_height = 1`,
    `DELETE FROM mesh.packets`,
    `UPDATE rollup.collateral SET events = 0`,
    `DELETE FROM rollup.packets`,
    `SELECT rollup.rebuild()`,
    `CREATE TABLE public.mine (a int)`,
    `CREATE TABLE mesh.mine (a int)`,
    `CREATE VIEW rollup.mine AS SELECT 1`,
    `CREATE SCHEMA mine`,
  ];
  for (const sql of denied) {
    await assert.rejects(reader.query(sql), (e: { code?: string; message?: string }) => {
      assert.equal(e.code, '42501', `${sql}: ${e.message}`);
      return true;
    });
  }
});
