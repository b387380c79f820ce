// prisma/schema.prisma and src/db/generated/schema.sql describe the same database: the tables Prisma
// would create from its schema (prisma migrate diff --from-empty) and the tables migrate() creates
// from schema.sql have the same columns, types, NOT NULLs, primary keys and indexes.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase } from '../database.ts';
import { migrate } from '../migrate.ts';
import { PRISMA_CONFIG_FILE, ROOT, prismaCli } from './run.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

interface Snapshot {
  columns: string[];
  constraints: string[];
  indexes: string[];
}

async function snapshot(client: pg.Client): Promise<Snapshot> {
  const columns = await client.query<{ line: string }>(
    `SELECT c.relname || '.' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
            CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END ||
            CASE WHEN a.atthasdef THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END AS line
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relkind = 'r' AND c.relname <> 'meta' ORDER BY 1`,
  );
  const constraints = await client.query<{ line: string }>(
    `SELECT k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname <> 'meta' ORDER BY 1`,
  );
  const indexes = await client.query<{ line: string }>(
    `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'meta' ORDER BY 1`,
  );
  return {
    columns: columns.rows.map((r) => r.line),
    constraints: constraints.rows.map((r) => r.line),
    indexes: indexes.rows.map((r) => r.line),
  };
}

test('the tables Prisma derives from prisma/schema.prisma are exactly those migrate() creates', { skip: noServer, timeout: 120_000 }, async () => {
  const cli = prismaCli();
  assert.ok(cli, 'prisma is a dependency and must be installed');
  const ours = await createTestDatabase();
  const theirs = await createTestDatabase();
  const a = new pg.Client({ connectionString: ours.url });
  const b = new pg.Client({ connectionString: theirs.url });
  try {
    await a.connect();
    await b.connect();
    await migrate(a);

    // The JS schema engine (engine: 'js' in the config) needs a database to talk to, even for a diff
    // from empty; it only reads.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'migrate', 'diff', '--config', PRISMA_CONFIG_FILE, '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: theirs.url, CHECKPOINT_DISABLE: '1' }, maxBuffer: 16 << 20 },
    );
    assert.match(stdout, /CREATE TABLE "chains"/);
    await b.query(stdout);

    const mine = await snapshot(a);
    const prisma = await snapshot(b);
    assert.ok(mine.columns.length > 100);
    assert.deepEqual(prisma.columns, mine.columns);
    assert.deepEqual(prisma.constraints, mine.constraints);
    assert.deepEqual(prisma.indexes, mine.indexes);
  } finally {
    await a.end().catch(() => {});
    await b.end().catch(() => {});
    await ours.drop();
    await theirs.drop();
  }
});
