import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, openDatabase } from './database.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

test('createTestDatabase gives isolated databases and drop() removes them', { skip: noServer }, async () => {
  const a = await createTestDatabase();
  const b = await createTestDatabase();
  try {
    assert.notEqual(a.url, b.url);
    const [{ db: dbA }] = (await query<{ db: string }>(a.url, 'select current_database() as db')) as [{ db: string }];
    const [{ db: dbB }] = (await query<{ db: string }>(b.url, 'select current_database() as db')) as [{ db: string }];
    assert.equal(dbA, a.name);
    assert.equal(dbB, b.name);

    await query(a.url, 'create table only_in_a (x int)');
    await query(a.url, 'insert into only_in_a values (42)');
    assert.deepEqual(await query(a.url, 'select x from only_in_a'), [{ x: 42 }]);
    const inB = await query<{ t: string | null }>(b.url, "select to_regclass('public.only_in_a')::text as t");
    assert.deepEqual(inB, [{ t: null }]);

    // drop() works even while a connection is still open
    const lingering = new pg.Client({ connectionString: a.url });
    lingering.on('error', () => {});
    await lingering.connect();
    await a.drop();
    await a.drop(); // idempotent
    await lingering.end().catch(() => {});
    const left = await query(process.env.DATABASE_URL!, 'select 1 from pg_database where datname = $1', [a.name]);
    assert.equal(left.length, 0);
  } finally {
    await a.drop();
    await b.drop();
  }
});

test('openDatabase uses DATABASE_URL without starting a server', { skip: noServer }, async () => {
  const db = await openDatabase();
  assert.equal(db.embedded, false);
  assert.equal(db.url, process.env.DATABASE_URL);
  await db.close();
});

test('openDatabase starts a persistent embedded cluster when DATABASE_URL is unset', async () => {
  const saved = process.env.DATABASE_URL;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mesh-db-test-'));
  await fs.chmod(dir, 0o755); // reachable by the unprivileged postgres user when running as root
  delete process.env.DATABASE_URL;
  try {
    const dataDir = path.join(dir, 'pg');
    const db = await openDatabase({ dataDir });
    try {
      assert.equal(db.embedded, true);
      await query(db.url, 'create table survives (v int)');
    } finally {
      await db.close();
    }
    const again = await openDatabase({ dataDir });
    try {
      assert.deepEqual(await query(again.url, 'select count(*)::int as n from survives'), [{ n: 0 }]);
    } finally {
      await again.close();
    }
  } finally {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('createTestDatabase without DATABASE_URL fails clearly', async () => {
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    await assert.rejects(createTestDatabase(), /DATABASE_URL/);
  } finally {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  }
});
