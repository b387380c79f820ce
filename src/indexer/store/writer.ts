// The write path: one WriteBuffer (one batch of blocks of one chain) and the chain's cursor go to
// PostgreSQL in ONE transaction, so a crash anywhere resumes from the cursor with nothing lost and
// nothing twice.
//
// Rows of every table go in by ONE COPY (text format, pg-copy-streams) into one temp staging table
// of text columns (`_w_stage`: table number, then the table's columns in order), and from there
// into each table by INSERT … SELECT with each column cast to its type — the same input functions
// COPY into the table itself would apply, so values are the same — :
// - upserts, merged rows and non-history inserts: ON CONFLICT (pk) DO UPDATE (upserts, merges) or
//   DO NOTHING (inserts);
// - history inserts: plain INSERTs under one savepoint. They conflict only when a batch is
//   replayed; then the savepoint is rolled back and they take DO NOTHING.
// One COPY instead of one per table: every round trip of the flush waits for the indexer's thread,
// which is busy mapping the next batch meanwhile, so the flush's round trips are what make it slow.
// Merged tables are first locked per key (advisory locks in the order of the lock keys: the other
// chain's indexer may write the same packet at the same time), read, and combined with the batch by
// the entity's MergeFn.
//
// No deadlock between two chains' writers by construction: tables are written in one order (schema
// order), and within a table rows are applied in primary-key order (INSERT … SELECT … ORDER BY pk),
// so two transactions take their row locks in the same global order. A deadlock or serialization
// failure is still retried, as a last resort.
//
// Round trips: BEGIN with the cursor lock, the COPY (2), the history inserts, one statement list for
// all other tables, the cursor, the tip and the commit notification, COMMIT; +2 per merged table;
// +1 the first time on a connection (CREATE of the staging table). Inside the transaction
// `pg_notify('mesh_commit', {"chainId","fromHeight","toHeight","time"})` tells listeners (GraphQL
// subscriptions) what committed; PostgreSQL delivers it only if the transaction commits.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TABLES, type EntityName, type TableMeta } from '../../db/generated/entities.ts';
import { KEY_SEP, keyOf, type MergeFn, type TableBatch, type WriteBuffer } from './buffer.ts';
import { JsonText, copyChunks, rowEncoder } from './copy-text.ts';

export interface Cursor {
  chainId: string;
  /** Last height whose rows are in the flushed batch. */
  height: number;
  time: Date;
  hash: string;
  /** First height of the batch (the commit notification's `fromHeight`; default `height`). */
  fromHeight?: number;
  /** The chain's latest known tip (`chains.tip_height` / `tip_time`); left as stored when absent. */
  tip?: { height: number; time: Date | null };
}

/** The `mesh_commit` notification channel and its payload. */
export const COMMIT_CHANNEL = 'mesh_commit';
export interface CommitNotice {
  chainId: string;
  fromHeight: number;
  toHeight: number;
  /** Block time of `toHeight`, ISO 8601. */
  time: string;
}

/** A chain's committed cursor; time and hash are null until the first flush. */
export interface StoredCursor {
  chainId: string;
  height: number;
  time: Date | null;
  hash: string | null;
}

export interface FlushOptions {
  /** Runs of the transaction when it is a deadlock victim or fails to serialize (default 3). */
  attempts?: number;
}

export interface FlushResult {
  rows: number;
  ms: number;
  /** > 1 when a deadlock or serialization failure made the transaction run again. */
  attempts: number;
}

/** A flush would move the cursor backwards: another writer indexes this chain, or a batch replays. */
export class CursorRegressionError extends Error {
  constructor(
    readonly chainId: string,
    readonly stored: number,
    readonly attempted: number,
  ) {
    super(`${chainId}: cursor is at ${stored}, refusing to flush a batch ending at ${attempted}`);
    this.name = 'CursorRegressionError';
  }
}

type Db = pg.Pool | pg.ClientBase;

/** The block hash at the cursor lives in `meta` (chains has no column for it). */
const HASH_KEY_PREFIX = 'cursor_hash:';
/** Deadlock and serialization failure: the whole transaction can simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;
const UNIQUE_VIOLATION = '23505';

type Row = Record<string, unknown>;

/** SQL and encoder per table, built once. */
interface Plan {
  table: TableMeta;
  /** The table's number in the staging table. */
  id: number;
  /** row → its staging line: the table number, the columns, `\N` for the staging columns it lacks. */
  encode: (row: Row) => string;
  upsert: string;
  insert: string;
  /** History rows: a plain INSERT (they conflict only when a batch is replayed). */
  append: string;
}

const ENTITIES = Object.keys(TABLES) as EntityName[];
const STAGE = '_w_stage';
const STAGE_WIDTH = Math.max(...ENTITIES.map((e) => TABLES[e].columns.length));
const STAGE_COLS = ['t', ...Array.from({ length: STAGE_WIDTH }, (_, i) => `c${i + 1}`)];
// Created once per connection (see `staged`) and emptied by every commit: creating temp tables per
// flush costs milliseconds in catalog writes, which would dominate small (head-following) batches.
const STAGE_CREATE = `CREATE TEMP TABLE IF NOT EXISTS ${STAGE} (t smallint NOT NULL, ${STAGE_COLS.slice(1)
  .map((c) => `${c} text`)
  .join(', ')}) ON COMMIT DELETE ROWS`;
const STAGE_COPY = `COPY ${STAGE} (${STAGE_COLS.join(', ')}) FROM STDIN`;

const plans = new Map<EntityName, Plan>();

function plan(entity: EntityName): Plan {
  let p = plans.get(entity);
  if (p) return p;
  const t: TableMeta = TABLES[entity];
  const id = ENTITIES.indexOf(entity);
  const cols = t.columns.map((c) => c.quoted).join(', ');
  const pk = t.columns.filter((c) => t.primaryKeyColumns.includes(c.column)).map((c) => c.quoted);
  const set = t.columns
    .filter((c) => !t.primaryKeyColumns.includes(c.column))
    .map((c) => `${c.quoted} = EXCLUDED.${c.quoted}`)
    .join(', ');
  const typed = `SELECT ${t.columns.map((c, i) => `c${i + 1}::${c.sqlType} AS ${c.quoted}`).join(', ')} FROM ${STAGE} WHERE t = ${id}`;
  // ORDER BY pk: row locks in one order in every writer (no deadlock between two chains' batches)
  const into = `INSERT INTO ${t.name} (${cols}) SELECT * FROM (${typed}) s ORDER BY ${pk.join(', ')} ON CONFLICT (${pk.join(', ')}) DO`;
  p = {
    table: t,
    id,
    encode: rowEncoder(t, { prefix: `${id}\t`, suffix: '\t\\N'.repeat(STAGE_WIDTH - t.columns.length) }),
    upsert: set ? `${into} UPDATE SET ${set}` : `${into} NOTHING`,
    insert: `${into} NOTHING`,
    append: `INSERT INTO ${t.name} (${cols}) ${typed}`,
  };
  plans.set(entity, p);
  return p;
}

/**
 * Writes the buffer and moves the chain's cursor to `cursor`, in one transaction. The buffer is left
 * as it is (clear() it after success; after a failure the same buffer can be flushed again).
 * The chain must be registered (registerChain) and the cursor may not move backwards.
 */
export async function flush(db: Db, buffer: WriteBuffer, cursor: Cursor, opts: FlushOptions = {}): Promise<FlushResult> {
  if (!Number.isSafeInteger(cursor.height) || cursor.height < 0) throw new RangeError(`bad cursor height ${cursor.height}`);
  const fromHeight = cursor.fromHeight ?? cursor.height;
  if (!Number.isSafeInteger(fromHeight) || fromHeight < 0 || fromHeight > cursor.height) throw new RangeError(`bad batch start ${fromHeight} (cursor ${cursor.height})`);
  if (cursor.tip && (!Number.isSafeInteger(cursor.tip.height) || cursor.tip.height < 0)) throw new RangeError(`bad tip height ${cursor.tip.height}`);
  const attempts = opts.attempts ?? MAX_ATTEMPTS;
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await withClient(db, (c) => flushOnce(c, buffer, cursor));
      return { rows: buffer.size, ms: performance.now() - started, attempts: attempt };
    } catch (err) {
      if (attempt >= attempts || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
    }
  }
}

/** Connections on which the staging table exists (created by a flush that committed). */
const staged = new WeakSet<pg.ClientBase>();

async function flushOnce(client: pg.ClientBase, buffer: WriteBuffer, cursor: Cursor): Promise<void> {
  const lit = (s: string) => client.escapeLiteral(s);
  try {
    // BEGIN and the chain's row lock in one round trip (simple query protocol): a second writer for
    // the same chain waits here, then fails the check.
    const begun = (await client.query(`BEGIN; SELECT indexed_height FROM chains WHERE chain_id = ${lit(cursor.chainId)} FOR UPDATE`)) as unknown as pg.QueryResult[];
    const stored = (begun[1]!.rows as Array<{ indexed_height: number }>)[0];
    if (!stored) throw new Error(`chain ${cursor.chainId} is not registered: call registerChain() before flush()`);
    if (stored.indexed_height > cursor.height) throw new CursorRegressionError(cursor.chainId, stored.indexed_height, cursor.height);

    const tables: { p: Plan; rows: Row[] }[] = [];
    const statements: string[] = [];
    const history: Plan[] = [];
    for (const b of buffer.batches()) {
      const p = plan(b.entity);
      const rows = (b.mode === 'merge' ? await mergeWithStored(client, b, buffer.mergeFn(b.entity)) : [...b.rows.values()]) as Row[];
      tables.push({ p, rows });
      if (b.mode === 'insert' && p.table.history) history.push(p);
      else statements.push(b.mode === 'insert' ? p.insert : p.upsert);
    }
    const creating = tables.length > 0 && !staged.has(client);
    if (creating) await client.query(STAGE_CREATE);
    if (tables.length > 0) await copyRows(client, STAGE_COPY, tables);
    // History rows conflict only when a batch is replayed: plain INSERTs, and only on a duplicate
    // key undo them and take DO NOTHING.
    if (history.length > 0) {
      try {
        await client.query(['SAVEPOINT history', ...history.map((p) => p.append)].join(';\n'));
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
        await client.query('ROLLBACK TO SAVEPOINT history');
        statements.push(...history.map((p) => p.insert));
      }
    }
    const tip = cursor.tip ? `, tip_height = ${cursor.tip.height}, tip_time = ${cursor.tip.time ? lit(cursor.tip.time.toISOString()) : 'NULL'}` : '';
    const notice: CommitNotice = { chainId: cursor.chainId, fromHeight: cursor.fromHeight ?? cursor.height, toHeight: cursor.height, time: cursor.time.toISOString() };
    statements.push(
      `UPDATE chains SET indexed_height = ${cursor.height}, indexed_time = ${lit(cursor.time.toISOString())}${tip}, updated_at = now() WHERE chain_id = ${lit(cursor.chainId)}`,
      `INSERT INTO meta (key, value, updated_at) VALUES (${lit(HASH_KEY_PREFIX + cursor.chainId)}, ${lit(cursor.hash)}, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      `SELECT pg_notify(${lit(COMMIT_CHANNEL)}, ${lit(JSON.stringify(notice))})`,
    );
    await client.query(statements.join(';\n'));
    await client.query('COMMIT');
    if (creating) staged.add(client); // the staging table now exists on the connection
  } catch (err) {
    // A failed ROLLBACK means the connection itself is gone: withClient must not reuse it.
    await client.query('ROLLBACK').catch(() => brokenClients.add(client));
    throw err;
  }
}

function copyRows(client: pg.ClientBase, sql: string, tables: { p: Plan; rows: Row[] }[]): Promise<void> {
  function* lines(): Generator<string> {
    for (const { p, rows } of tables) yield* copyChunks(rows, p.encode);
  }
  return pipeline(Readable.from(lines()), client.query(copyFrom(sql)));
}

/** Locks the batch's keys, reads the stored rows and merges each batch row into its stored row. */
async function mergeWithStored<E extends EntityName>(client: pg.ClientBase, b: TableBatch<E>, fn: MergeFn<E>): Promise<unknown[]> {
  const t: TableMeta = TABLES[b.entity];
  // One global order (by lock key) so two chains' writers cannot deadlock on each other's packets.
  await client.query(
    `SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT hashtextextended($1 || u.key, 0) AS k FROM unnest($2::text[]) AS u(key) ORDER BY 1) s`,
    [t.name + KEY_SEP, [...b.rows.keys()]],
  );
  const pkCols = t.primaryKeyColumns.map((name) => t.columns.find((c) => c.column === name)!);
  const params = pkCols.map((c) => [...b.rows.values()].map((r) => paramValue((r as unknown as Record<string, unknown>)[c.name])));
  const res = await client.query(
    `SELECT ${t.columns.map((c) => (c.scalar === 'JSON' ? `${c.quoted}::text AS ${c.quoted}` : c.quoted)).join(', ')} FROM ${t.name}
      WHERE (${pkCols.map((c) => c.quoted).join(', ')}) IN (SELECT * FROM unnest(${pkCols.map((c, i) => `$${i + 1}::${c.sqlType.replace(/\(.*\)/, '')}[]`).join(', ')}))`,
    params,
  );
  if (res.rows.length === 0) return [...b.rows.values()];
  const stored = new Map<string, unknown>();
  for (const r of res.rows) {
    const row = fromDb(t, r);
    stored.set(keyOf(b.entity, row as never), row);
  }
  return [...b.rows].map(([key, row]) => {
    const s = stored.get(key);
    return s === undefined ? row : fn(s as never, row);
  });
}

function paramValue(v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** A row as pg returns it (numeric as string, jsonb selected as text) → the entity's JS types. */
function fromDb(t: TableMeta, r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of t.columns) {
    const v = r[c.column];
    if (v == null) out[c.name] = null;
    else if (c.scalar === 'BigInt') out[c.name] = c.array ? (v as string[]).map((x) => (x == null ? null : BigInt(x))) : BigInt(v as string);
    // as stored, not parsed: merge rules keep or replace a JSON value whole, and the text goes back as is
    else if (c.scalar === 'JSON') out[c.name] = v === 'null' ? null : new JsonText(v as string);
    else out[c.name] = v;
  }
  return out;
}

/** The chain's committed cursor, or undefined when the chain is not registered. */
export async function loadCursor(db: Db, chainId: string): Promise<StoredCursor | undefined> {
  const { rows } = await db.query<{ indexed_height: number; indexed_time: Date | null; hash: string | null }>(
    `SELECT c.indexed_height, c.indexed_time, m.value AS hash FROM chains c LEFT JOIN meta m ON m.key = $2 WHERE c.chain_id = $1`,
    [chainId, HASH_KEY_PREFIX + chainId],
  );
  const r = rows[0];
  return r && { chainId, height: r.indexed_height, time: r.indexed_time, hash: r.hash };
}

export interface ChainRegistration {
  chainId: string;
  bech32Prefix: string;
  cometVersion?: string | null;
}

/** Creates the chain's row (cursor at height 0) or updates its prefix and CometBFT version. */
export async function registerChain(db: Db, chain: ChainRegistration): Promise<void> {
  await db.query(
    `INSERT INTO chains (chain_id, bech32_prefix, comet_version, indexed_height, updated_at) VALUES ($1, $2, $3, 0, now())
     ON CONFLICT (chain_id) DO UPDATE SET bech32_prefix = EXCLUDED.bech32_prefix,
       comet_version = COALESCE(EXCLUDED.comet_version, chains.comet_version), updated_at = now()`,
    [chain.chainId, chain.bech32Prefix, chain.cometVersion ?? null],
  );
}

const brokenClients = new WeakSet<pg.ClientBase>();

async function withClient<T>(db: Db, fn: (c: pg.ClientBase) => Promise<T>): Promise<T> {
  if (!isPool(db)) return fn(db);
  const client = await db.connect();
  // A connection dropping between two queries is emitted as 'error' on the checked-out client, which
  // would otherwise crash the process; the query that follows fails and the flush rejects instead.
  const onError = () => brokenClients.add(client);
  client.on('error', onError);
  try {
    return await fn(client);
  } finally {
    client.off('error', onError);
    client.release(brokenClients.has(client));
  }
}

// Like migrate.ts: instanceof fails when two copies of pg are loaded.
function isPool(db: Db): db is pg.Pool {
  return 'totalCount' in db && 'idleCount' in db;
}
