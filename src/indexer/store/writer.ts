// The write path: one WriteBuffer (one batch of blocks of one chain) and the chain's cursor go to
// PostgreSQL in ONE transaction, so a crash anywhere resumes from the cursor with nothing lost and
// nothing twice.
//
// Per table, rows go in by COPY (text format, pg-copy-streams):
// - upserts, merged rows and non-history inserts: into a temp table shaped LIKE the target, then one
//   INSERT … SELECT … ON CONFLICT (pk) DO UPDATE (upserts, merges) or DO NOTHING (inserts);
// - history inserts: straight into the table under a savepoint. They conflict only when a batch is
//   replayed; then the savepoint is rolled back and they take the temp-table path with DO NOTHING.
// Merged tables are first locked per key (advisory locks in the order of the lock keys: the other
// chain's indexer may write the same packet at the same time), read, and combined with the batch by
// the entity's MergeFn.
//
// No deadlock between two chains' writers by construction: tables are written in one order (schema
// order), and within a table rows are applied in primary-key order (INSERT … SELECT … ORDER BY pk),
// so two transactions take their row locks in the same global order. A deadlock or serialization
// failure is still retried, as a last resort.
//
// Round trips: BEGIN with the cursor lock, one CREATE for temp tables new on the connection, one COPY
// per table (+1 savepoint per history table), one statement list for all tables, the cursor, the tip
// and the commit notification, COMMIT; +2 per merged table. Inside the transaction
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
  tmp: string;
  encode: (row: Row) => string;
  create: string;
  /** COPY into the temp table / straight into the table. */
  copy: string;
  copyDirect: string;
  upsert: string;
  insert: string;
}

const plans = new Map<EntityName, Plan>();

function plan(entity: EntityName): Plan {
  let p = plans.get(entity);
  if (p) return p;
  const t: TableMeta = TABLES[entity];
  const tmp = `_w_${t.name}`;
  const cols = t.columns.map((c) => c.quoted).join(', ');
  const pk = t.columns.filter((c) => t.primaryKeyColumns.includes(c.column)).map((c) => c.quoted);
  const set = t.columns
    .filter((c) => !t.primaryKeyColumns.includes(c.column))
    .map((c) => `${c.quoted} = EXCLUDED.${c.quoted}`)
    .join(', ');
  // ORDER BY pk: row locks in one order in every writer (no deadlock between two chains' batches)
  const into = `INSERT INTO ${t.name} (${cols}) SELECT ${cols} FROM ${tmp} ORDER BY ${pk.join(', ')} ON CONFLICT (${pk.join(', ')}) DO`;
  p = {
    table: t,
    tmp,
    encode: rowEncoder(t),
    // Created once per connection (see `tempTables`) and emptied by every commit: creating temp
    // tables per flush costs ~4 ms each in catalog writes, which would dominate small batches.
    create: `CREATE TEMP TABLE IF NOT EXISTS ${tmp} (LIKE ${t.name}) ON COMMIT DELETE ROWS`,
    copy: `COPY ${tmp} (${cols}) FROM STDIN`,
    copyDirect: `COPY ${t.name} (${cols}) FROM STDIN`,
    upsert: set ? `${into} UPDATE SET ${set}` : `${into} NOTHING`,
    insert: `${into} NOTHING`,
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

/** The temp tables (by plan) that exist on a connection: created by a flush that committed. */
const tempTables = new WeakMap<pg.ClientBase, Set<Plan>>();

async function flushOnce(client: pg.ClientBase, buffer: WriteBuffer, cursor: Cursor): Promise<void> {
  const lit = (s: string) => client.escapeLiteral(s);
  // BEGIN and the chain's row lock in one round trip (simple query protocol): a second writer for
  // the same chain waits here, then fails the check.
  try {
    const begun = (await client.query(`BEGIN; SELECT indexed_height FROM chains WHERE chain_id = ${lit(cursor.chainId)} FOR UPDATE`)) as unknown as pg.QueryResult[];
    const stored = (begun[1]!.rows as Array<{ indexed_height: number }>)[0];
    if (!stored) throw new Error(`chain ${cursor.chainId} is not registered: call registerChain() before flush()`);
    if (stored.indexed_height > cursor.height) throw new CursorRegressionError(cursor.chainId, stored.indexed_height, cursor.height);

    const statements: string[] = [];
    const staged: { p: Plan; rows: Row[]; sql: string }[] = [];
    const direct: { p: Plan; rows: Row[] }[] = [];
    for (const b of buffer.batches()) {
      const p = plan(b.entity);
      const rows = (b.mode === 'merge' ? await mergeWithStored(client, b, buffer.mergeFn(b.entity)) : [...b.rows.values()]) as Row[];
      if (b.mode === 'insert' && p.table.history) direct.push({ p, rows });
      else staged.push({ p, rows, sql: b.mode === 'insert' ? p.insert : p.upsert });
    }
    const created = tempTables.get(client) ?? new Set<Plan>();
    const creating = new Set<Plan>();
    for (const w of staged) if (!created.has(w.p)) creating.add(w.p);
    if (creating.size > 0) await client.query([...creating].map((p) => p.create).join(';\n'));
    for (const w of staged) {
      await copyRows(client, w.p.copy, w.rows, w.p.encode);
      statements.push(w.sql);
    }
    // History rows conflict only when a batch is replayed: COPY them straight into the table, and
    // only on a duplicate key undo that and go through the temp table with DO NOTHING.
    for (const w of direct) {
      await client.query(`SAVEPOINT ${w.p.tmp}`);
      try {
        await copyRows(client, w.p.copyDirect, w.rows, w.p.encode);
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
        await client.query(`ROLLBACK TO SAVEPOINT ${w.p.tmp}; ${w.p.create}`);
        creating.add(w.p);
        await copyRows(client, w.p.copy, w.rows, w.p.encode);
        statements.push(w.p.insert);
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
    // the temp tables created in this transaction now exist on the connection
    for (const p of creating) created.add(p);
    tempTables.set(client, created);
  } catch (err) {
    // A failed ROLLBACK means the connection itself is gone: withClient must not reuse it.
    await client.query('ROLLBACK').catch(() => brokenClients.add(client));
    throw err;
  }
}

function copyRows(client: pg.ClientBase, sql: string, rows: Row[], encode: (row: Row) => string): Promise<void> {
  return pipeline(Readable.from(copyChunks(rows, encode)), client.query(copyFrom(sql)));
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
