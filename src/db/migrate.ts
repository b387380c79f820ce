// Schema migration: applies src/db/generated/schema.sql (generated from schema.graphql by
// `npm run codegen`) to a database.
//
// - Idempotent: every statement is CREATE … IF NOT EXISTS / COMMENT ON, so running it on an
//   up-to-date database changes nothing.
// - Safe when several indexer and API processes start at once: everything runs in one transaction
//   holding a transaction-level advisory lock, so concurrent callers apply the script one at a time
//   (concurrent CREATE TABLE IF NOT EXISTS can otherwise fail on the catalog's unique indexes).
// - Records the schema version (sha256 of schema.sql) in the `meta` table.
// - Checks afterwards that every table has exactly the generated columns (no more, no fewer), types,
//   nullability and primary key. A table left by an older schema (CREATE TABLE IF NOT EXISTS keeps it as it is) makes
//   migrate() fail with the differences listed rather than let the indexer write into the wrong shape.
// - Then, in the same transaction, installs the rollup tables, the mesh views and the read-only role
//   (src/db/analytics.ts) unless `opts.sql` replaces the generated schema.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { installAnalytics } from './analytics.ts';
import { TABLES, type TableMeta } from './generated/entities.ts';

/** The generated DDL script. */
export const SCHEMA_SQL_URL = new URL('./generated/schema.sql', import.meta.url);

/** Advisory lock key shared by every process migrating this database ('meshsidx' as an int64). */
export const MIGRATE_LOCK_KEY = 0x6d65736873696478n;

/** Key of the schema version row in `meta`. */
export const SCHEMA_VERSION_KEY = 'schema_version';

const META_DDL = `CREATE TABLE IF NOT EXISTS meta (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE meta IS 'Indexer metadata; schema_version is the sha256 of the applied src/db/generated/schema.sql.';`;

export interface MigrateResult {
  /** sha256 (hex) of the schema.sql now applied. */
  version: string;
  /** Version recorded before this run (undefined on a fresh database). */
  previousVersion: string | undefined;
  /** false when the database already had this version. */
  changed: boolean;
}

export interface MigrateOptions {
  /** DDL to apply instead of src/db/generated/schema.sql (tests). */
  sql?: string;
  /** Tables to verify after applying (default: the generated TABLES). */
  tables?: readonly TableMeta[];
}

/** The generated DDL script and its version (sha256 hex). */
export function schemaSql(): { sql: string; version: string } {
  const sql = readFileSync(SCHEMA_SQL_URL, 'utf8');
  return { sql, version: schemaVersion(sql) };
}

export function schemaVersion(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** A database whose tables do not match the generated schema. */
export class SchemaMismatchError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `database schema does not match src/db/generated/schema.sql (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ` +
        problems.join('\n  ') +
        '\nCREATE TABLE IF NOT EXISTS does not alter existing tables: migrate a database made by an older schema by hand, or recreate it.',
    );
    this.name = 'SchemaMismatchError';
  }
}

/**
 * Applies the generated schema to the database behind `db` and records its version. With a Pool, one
 * connection is taken for the duration; with a Client, it must not be inside a transaction.
 */
export async function migrate(db: pg.Client | pg.Pool, opts: MigrateOptions = {}): Promise<MigrateResult> {
  if (db instanceof pg.Pool || isPool(db)) {
    const client = await (db as pg.Pool).connect();
    try {
      return await migrateClient(client, opts);
    } finally {
      client.release();
    }
  }
  return migrateClient(db as pg.Client, opts);
}

function isPool(db: pg.Client | pg.Pool): boolean {
  return 'totalCount' in db && 'idleCount' in db;
}

async function migrateClient(client: pg.ClientBase, opts: MigrateOptions): Promise<MigrateResult> {
  const sql = opts.sql ?? schemaSql().sql;
  const version = schemaVersion(sql);
  const tables = opts.tables ?? Object.values(TABLES);

  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATE_LOCK_KEY.toString()]);
    await client.query(META_DDL);
    const prev = await client.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [SCHEMA_VERSION_KEY]);
    const previousVersion = prev.rows[0]?.value;
    // Tables that already exist must have the generated shape before the script runs (its COMMENT ON
    // COLUMN statements would otherwise fail on a missing column with a less helpful message).
    const existing = await verifyTables(client, tables, { missingTablesOk: true });
    if (existing.length > 0) throw new SchemaMismatchError(existing);
    // An up-to-date schema gets no DDL at all: `CREATE INDEX IF NOT EXISTS` still takes a ShareLock on
    // its table, which deadlocks with another chain's indexer already writing there (two indexers start
    // on one database at once).
    const tablesPresent = (await verifyTables(client, tables)).length === 0;
    const upToDate = previousVersion === version && tablesPresent;
    if (!upToDate) {
      await client.query(sql);
      const problems = await verifyTables(client, tables);
      if (problems.length > 0) throw new SchemaMismatchError(problems);
    }
    // rollups (and their triggers), the analysts' mesh views and the read-only role: src/db/analytics.ts
    if (opts.sql === undefined) await installAnalytics(client, { grants: !upToDate });
    if (previousVersion !== version) {
      await client.query(
        `INSERT INTO meta (key, value, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        [SCHEMA_VERSION_KEY, version],
      );
    }
    await client.query('COMMIT');
    return { version, previousVersion, changed: previousVersion !== version };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

interface CatalogColumn {
  table_name: string;
  column_name: string;
  sql_type: string;
  not_null: boolean;
  pk_position: number | null;
}

/**
 * Compares the tables in the current schema with the generated metadata: the same set of columns,
 * their types and NOT NULL, and the primary key (column order is not compared: COPY and INSERT name
 * their columns). Returns the differences (empty when they match).
 */
export async function verifyTables(
  client: pg.ClientBase,
  tables: readonly TableMeta[],
  opts: { missingTablesOk?: boolean } = {},
): Promise<string[]> {
  const { rows } = await client.query<CatalogColumn>(
    `SELECT c.relname AS table_name,
            a.attname AS column_name,
            format_type(a.atttypid, a.atttypmod) AS sql_type,
            a.attnotnull AS not_null,
            array_position(pk.conkey, a.attnum) AS pk_position
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
      WHERE c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])
      ORDER BY c.relname, a.attnum`,
    [tables.map((t) => t.name)],
  );
  const byTable = new Map<string, CatalogColumn[]>();
  for (const r of rows) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r]);

  const problems: string[] = [];
  for (const t of tables) {
    const actual = byTable.get(t.name);
    if (!actual) {
      if (!opts.missingTablesOk) problems.push(`table ${t.name} is missing`);
      continue;
    }
    const actualByName = new Map(actual.map((c) => [c.column_name, c]));
    for (const col of t.columns) {
      const a = actualByName.get(col.column);
      if (!a) {
        problems.push(`${t.name}.${col.column} is missing (${col.sqlType})`);
        continue;
      }
      const want = normalizeType(col.sqlType);
      if (normalizeType(a.sql_type) !== want) problems.push(`${t.name}.${col.column} is ${a.sql_type}, expected ${col.sqlType}`);
      if (a.not_null !== !col.nullable) problems.push(`${t.name}.${col.column} is ${a.not_null ? 'NOT NULL' : 'nullable'}, expected ${col.nullable ? 'nullable' : 'NOT NULL'}`);
    }
    const expected = new Set(t.columns.map((c) => c.column));
    for (const a of actual) {
      if (!expected.has(a.column_name)) problems.push(`${t.name}.${a.column_name} is not in the schema`);
    }
    const pk = actual
      .filter((c) => c.pk_position !== null)
      .sort((x, y) => x.pk_position! - y.pk_position!)
      .map((c) => c.column_name);
    if (pk.join(',') !== t.primaryKeyColumns.join(',')) {
      problems.push(`${t.name} has primary key (${pk.join(', ')}), expected (${t.primaryKeyColumns.join(', ')})`);
    }
  }
  return problems;
}

/** format_type() spells types its own way; map both sides to one spelling. */
function normalizeType(t: string): string {
  return t
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^timestamp(\(\d+\))? with time zone/, 'timestamptz$1')
    .replace(/^timestamptz\(6\)/, 'timestamptz')
    .replace(/^numeric\((\d+), ?(\d+)\)/, 'numeric($1,$2)')
    .replace(/^character varying/, 'varchar');
}
