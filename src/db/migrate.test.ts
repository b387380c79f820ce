import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadEntitySchema } from './codegen/model.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { TABLES } from './generated/entities.ts';
import { SchemaMismatchError, migrate, schemaSql } from './migrate.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function withDatabase(fn: (db: TestDatabase, client: pg.Client) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await fn(db, client);
  } finally {
    await client.end().catch(() => {});
    await db.drop();
  }
}

test('migrate creates every table with the generated columns, types, NOT NULLs, keys, indexes and comments', { skip: noServer }, async () => {
  await withDatabase(async (_db, client) => {
    const result = await migrate(client);
    assert.equal(result.changed, true);
    assert.equal(result.previousVersion, undefined);
    assert.equal(result.version, schemaSql().version);

    const model = loadEntitySchema(path.join(root, 'schema.graphql'));
    for (const table of model.tables) {
      const cols = await client.query<{ name: string; type: string; not_null: boolean }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
           FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [table.name],
      );
      assert.deepEqual(
        cols.rows.map((r) => r.name),
        table.columns.map((c) => c.column),
        `${table.name}: columns in declaration order`,
      );
      for (const [i, c] of table.columns.entries()) {
        const expected = {
          String: 'text',
          Int: 'integer',
          Boolean: 'boolean',
          BigInt: 'numeric(78,0)',
          Decimal: 'numeric(38,18)',
          DateTime: 'timestamp with time zone',
          JSON: 'jsonb',
        }[c.graphqlType] + (c.array ? '[]' : '');
        assert.equal(cols.rows[i]!.type, expected, `${table.name}.${c.column} type`);
        assert.equal(cols.rows[i]!.not_null, !c.nullable, `${table.name}.${c.column} NOT NULL`);
      }

      const pk = await client.query<{ col: string }>(
        `SELECT a.attname AS col
           FROM pg_constraint k CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
          WHERE k.conrelid = $1::regclass AND k.contype = 'p' ORDER BY u.ord`,
        [table.name],
      );
      assert.deepEqual(pk.rows.map((r) => r.col), table.primaryKeyColumns, `${table.name} primary key`);

      const idx = await client.query<{ name: string; def: string; unique: boolean }>(
        `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS unique
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE i.indrelid = $1::regclass AND NOT i.indisprimary ORDER BY c.relname`,
        [table.name],
      );
      const want = [...table.indexes, ...table.uniques].map((x) => ({ name: x.name, unique: x.unique })).sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(
        idx.rows.map((r) => ({ name: r.name, unique: r.unique })),
        want,
        `${table.name} indexes`,
      );
      for (const x of [...table.indexes, ...table.uniques]) {
        const def = idx.rows.find((r) => r.name === x.name)!.def;
        const cols = x.columns.map((c) => (c === 'user' ? '"user"' : c)).join(', ');
        assert.ok(def.endsWith(`USING btree (${cols})`), `${x.name}: ${def}`);
      }
    }

    const comments = await client.query<{ t: string | null; c: string | null }>(
      `SELECT obj_description('pairings'::regclass, 'pg_class') AS t,
              col_description('chains'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'chains'::regclass AND attname = 'indexed_height')) AS c`,
    );
    assert.deepEqual(comments.rows[0], {
      t: "A provider chain's external staking linked with a consumer chain's converter.",
      c: 'Last height whose rows are committed.',
    });

    const meta = await client.query('SELECT key, value FROM meta');
    assert.deepEqual(meta.rows, [{ key: 'schema_version', value: schemaSql().version }]);
    assert.equal(Object.keys(TABLES).length, model.tables.length);
  });
});

test('running migrate again is harmless: rows stay, nothing changes', { skip: noServer }, async () => {
  await withDatabase(async (_db, client) => {
    const first = await migrate(client);
    await client.query(
      `INSERT INTO vault_positions (chain_id, vault, staker, collateral, max_lien_low, max_lien_high, total_slashable_low,
         total_slashable_high, free_low, free_high, height, time)
       VALUES ('p', 'v', 'u', 340282366920938463463374607431768211455, 0, 0, 0, 0, 0, 0, 7, now())`,
    );
    const objects = async () =>
      (
        await client.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
        )
      ).rows[0]!.n;
    const before = await objects();
    const second = await migrate(client);
    assert.deepEqual(second, { version: first.version, previousVersion: first.version, changed: false });
    assert.equal(await objects(), before);
    const rows = await client.query<{ collateral: string }>('SELECT collateral FROM vault_positions');
    assert.deepEqual(rows.rows, [{ collateral: '340282366920938463463374607431768211455' }]);
  });
});

test('concurrent migrations (several processes starting at once) serialize on the advisory lock', { skip: noServer }, async () => {
  const db = await createTestDatabase();
  const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: db.url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const results = await Promise.all(clients.map((c) => migrate(c)));
    assert.equal(results.filter((r) => r.changed).length, 1);
    assert.equal(new Set(results.map((r) => r.version)).size, 1);
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    await db.drop();
  }
});

test('migrate accepts a pg.Pool', { skip: noServer }, async () => {
  const db = await createTestDatabase();
  const pool = db.pool(2);
  try {
    const r = await migrate(pool);
    assert.equal(r.changed, true);
    assert.equal((await migrate(pool)).changed, false);
    const t = await pool.query<{ t: string | null }>(`SELECT to_regclass('public.ibc_packets')::text AS t`);
    assert.equal(t.rows[0]!.t, 'ibc_packets');
  } finally {
    await pool.end();
    await db.drop();
  }
});

test('a table left by an older schema fails migrate with the differences, and nothing is committed', { skip: noServer }, async () => {
  await withDatabase(async (_db, client) => {
    await client.query('CREATE TABLE chains (chain_id text PRIMARY KEY, bech32_prefix text, legacy integer)');
    await assert.rejects(
      () => migrate(client),
      (err: unknown) => {
        assert.ok(err instanceof SchemaMismatchError);
        assert.ok(err.problems.includes('chains.bech32_prefix is nullable, expected NOT NULL'), err.message);
        assert.ok(err.problems.includes('chains.indexed_height is missing (integer)'), err.message);
        assert.ok(err.problems.includes('chains.legacy is not in the schema'), err.message);
        return true;
      },
    );
    const left = await client.query<{ meta: string | null; contracts: string | null }>(
      `SELECT to_regclass('public.meta')::text AS meta, to_regclass('public.contracts')::text AS contracts`,
    );
    assert.deepEqual(left.rows[0], { meta: null, contracts: null });
  });
});
