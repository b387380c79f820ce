// docs/sql.md cannot rot: its view reference is what src/db/views.sql comments say, and every ```sql
// example runs, as a mesh_reader login, against an indexed devnet and returns rows.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { READER_ROLE, VIEWS_SQL_URL } from './analytics.ts';
import { indexedDevnet } from './analytics.testkit.ts';
import { BEGIN, END, SQL_DOC_URL, renderViewsReference } from './views-doc.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';
const doc = readFileSync(SQL_DOC_URL, 'utf8');

test('the view reference of docs/sql.md is rendered from src/db/views.sql (npx tsx src/db/views-doc.ts)', () => {
  const section = doc.slice(doc.indexOf(BEGIN) + BEGIN.length, doc.indexOf(END)).trim();
  assert.equal(section, renderViewsReference(readFileSync(VIEWS_SQL_URL, 'utf8')));
  assert.ok(section.includes('### `mesh.packet_series`'));
});

test('every sql example of docs/sql.md runs as a mesh_reader login on an indexed devnet and returns rows', { skip: noServer, timeout: 600_000 }, async (t) => {
  const examples = [...doc.matchAll(/^```sql\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  assert.ok(examples.length >= 6, `${examples.length} examples`);
  const { db, pool } = await indexedDevnet(t);

  const login = `docs_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await pool.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}' IN ROLE ${READER_ROLE}`);
  const url = new URL(db.url);
  url.username = login;
  url.password = password;
  const reader = new pg.Client({ connectionString: url.toString() });
  await reader.connect();
  try {
    for (const sql of examples) {
      const res = await reader.query(sql);
      assert.ok(res.rows.length > 0, `no rows from:\n${sql}`);
    }
  } finally {
    await reader.end();
    await pool.query(`DROP ROLE ${login}`);
  }
});
