// The rows of one batch of blocks of one chain, collected by the mappings and written by flush()
// (writer.ts) in one transaction with the chain's cursor.
//
// Rows are kept by primary key, so a batch holds at most one row per key and table. That is what the
// SQL needs (ON CONFLICT DO UPDATE may not touch a row twice in one statement) and what makes a
// replayed batch harmless. Each table is written in one mode per batch:
//   upsert  current state: the last write in the batch wins, and replaces the stored row;
//   insert  history / first-seen rows: the first write wins, and a stored row is kept (DO NOTHING);
//   merge   rows two chains fill in halves (IBC packets, …): the table's MergeFn combines the halves,
//           in the batch and with the stored row.
// Rows are kept by reference until flush: hand over a fresh object rather than mutating one later.

import { createHash } from 'node:crypto';
import { TABLES, type DeadLetter, type Entities, type EntityName } from '../../db/generated/entities.ts';

export type WriteMode = 'upsert' | 'insert' | 'merge';

/**
 * Combines a stored (or earlier) half with an incoming one. Halves arrive in any order and a replay
 * after a crash merges a half into a row that already holds it, so the function must be commutative,
 * associative and idempotent on the columns it decides (e.g. `outcome` by the rank of its states).
 */
export type MergeFn<E extends EntityName> = (stored: Entities[E], incoming: Entities[E]) => Entities[E];

export type MergeRules = { [E in EntityName]?: MergeFn<E> };

/** Column-wise merge: each non-null incoming value wins over the stored one (null never erases). */
export function coalesceMerge<T extends object>(stored: T, incoming: T): T {
  const out = { ...stored } as Record<string, unknown>;
  for (const [k, v] of Object.entries(incoming)) if (v != null) out[k] = v;
  return out as T;
}

/** A dead letter; location fields may be left out, and id / createdAt are derived when absent. */
export type DeadLetterInput = Pick<DeadLetter, 'chainId' | 'height' | 'kind' | 'reason'> & Partial<Omit<DeadLetter, 'chainId' | 'height' | 'kind' | 'reason'>>;

export interface TableBatch<E extends EntityName = EntityName> {
  entity: E;
  mode: WriteMode;
  /** Primary key (see keyOf) → row. */
  rows: Map<string, Entities[E]>;
}

/** Primary key values of a row as one string (KEY_SEP between components). */
export function keyOf<E extends EntityName>(entity: E, row: Entities[E]): string {
  let f = keyFns.get(entity);
  if (!f) keyFns.set(entity, (f = keyFunction(entity)));
  return f(row as unknown as Record<string, unknown>);
}
export const KEY_SEP = '\x1f';

type KeyFn = (row: Record<string, unknown>) => string;
const keyFns = new Map<EntityName, KeyFn>();

/** `String(row.a) + KEY_SEP + String(row.b)…`, generated per entity: properties read by name are fast. */
function keyFunction(entity: EntityName): KeyFn {
  const pk = TABLES[entity].primaryKey;
  for (const k of pk) if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k)) throw new Error(`${entity}: key column ${JSON.stringify(k)} is not an identifier`);
  return new Function('row', `return ${pk.map((k) => `String(row.${k})`).join(` + ${JSON.stringify(KEY_SEP)} + `)};`) as KeyFn;
}

export interface WriteBufferOptions {
  /** Merge function per entity written with merge(); coalesceMerge when absent. */
  merge?: MergeRules;
}

export class WriteBuffer {
  private readonly tables = new Map<EntityName, TableBatch>();
  private readonly mergeRules: MergeRules;
  private count = 0;

  constructor(opts: WriteBufferOptions = {}) {
    this.mergeRules = opts.merge ?? {};
  }

  /** Current-state row: replaces a row with the same key from earlier in the batch and in the DB. */
  upsert<E extends EntityName>(entity: E, row: Entities[E]): void {
    const rows = this.batch(entity, 'upsert');
    const key = keyOf(entity, row);
    if (!rows.has(key)) this.count++;
    rows.set(key, row);
  }

  /** Append-only row: kept only when no row with its key exists (in the batch or the DB). */
  insert<E extends EntityName>(entity: E, row: Entities[E]): void {
    const rows = this.batch(entity, 'insert');
    const key = keyOf(entity, row);
    if (rows.has(key)) return;
    rows.set(key, row);
    this.count++;
  }

  /** One half of a row; merged with the other halves by the entity's MergeFn. */
  merge<E extends EntityName>(entity: E, row: Entities[E]): void {
    const rows = this.batch(entity, 'merge');
    const key = keyOf(entity, row);
    const prev = rows.get(key);
    if (prev === undefined) this.count++;
    rows.set(key, prev === undefined ? row : this.mergeFn(entity)(prev, row));
  }

  /**
   * Input that could not be decoded. The id is derived from location, reason and raw text, so a
   * replayed batch writes the same dead letter once.
   */
  deadLetter(dl: DeadLetterInput): void {
    const row: DeadLetter = {
      chainId: dl.chainId,
      height: dl.height,
      txHash: dl.txHash ?? null,
      msgIndex: dl.msgIndex ?? null,
      eventIndex: dl.eventIndex ?? null,
      kind: dl.kind,
      reason: dl.reason,
      raw: dl.raw ?? null,
      createdAt: dl.createdAt ?? new Date(),
      id: dl.id ?? '',
    };
    if (!row.id) {
      const loc = [row.chainId, row.height, row.txHash ?? '-', row.msgIndex ?? '-', row.eventIndex ?? '-', row.kind].join('/');
      const digest = createHash('sha256').update(`${loc}\n${row.reason}\n${row.raw ?? ''}`).digest('hex').slice(0, 16);
      row.id = `${loc}/${digest}`;
    }
    this.insert('DeadLetter', row);
  }

  mergeFn<E extends EntityName>(entity: E): MergeFn<E> {
    return (this.mergeRules[entity] as MergeFn<E> | undefined) ?? coalesceMerge;
  }

  /** Non-empty tables, in TABLES (schema) order. */
  batches(): TableBatch[] {
    return (Object.keys(TABLES) as EntityName[]).flatMap((e) => {
      const b = this.tables.get(e);
      return b && b.rows.size > 0 ? [b] : [];
    });
  }

  /** Rows held. */
  get size(): number {
    return this.count;
  }

  /** Rows held per table name (for metrics). */
  sizes(): Record<string, number> {
    return Object.fromEntries(this.batches().map((b) => [TABLES[b.entity].name, b.rows.size]));
  }

  clear(): void {
    this.tables.clear();
    this.count = 0;
  }

  private batch<E extends EntityName>(entity: E, mode: WriteMode): Map<string, Entities[E]> {
    if (entity === 'Chain') throw new Error('the chains row is written by flush() (cursor) and registerChain()');
    let b = this.tables.get(entity);
    if (!b) this.tables.set(entity, (b = { entity, mode, rows: new Map() }));
    else if (b.mode !== mode) throw new Error(`${TABLES[entity].name}: ${mode} in a batch that already has ${b.mode} rows (one write mode per table and batch)`);
    return b.rows as Map<string, Entities[E]>;
  }
}
