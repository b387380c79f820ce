// The indexer's replica of contract state on one chain: what the contracts keep (vault accounts,
// stakes, reward points, the validator CRDT, pending txs, bond requests…), updated by the mappings
// with the spec's rules (src/protocol) and persisted as `replica_state` rows in the same transaction
// as the block's entity rows, so a restart resumes from exactly the committed height.
import type { ReplicaState } from '../db/generated/entities.ts';
import { JsonText } from '../indexer/store/copy-text.ts';

const BIG = '$big:';
const tagBigints = (_k: string, x: unknown) => (typeof x === 'bigint' ? `${BIG}${x}` : x);

/** JSON with bigints: tagged strings on the way out, bigints again on the way in. */
export function toJsonValue(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, tagBigints));
}

/** The same JSON as text, serialized once: the writer copies it into the jsonb column as it is. */
export function toJsonText(v: unknown): JsonText {
  return new JsonText(JSON.stringify(v, tagBigints));
}

export function fromJsonValue<T>(v: unknown): T {
  return JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === 'string' && x.startsWith(BIG) ? BigInt(x.slice(BIG.length)) : x)) as T;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** First index in sorted `keys` whose key is ≥ `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Replica {
  private readonly spaces = new Map<string, Map<string, unknown>>();
  private readonly dirty = new Map<string, Set<string>>();
  /** Keys of a namespace in order, built on the first prefix read and kept up to date after. */
  private readonly sorted = new Map<string, string[]>();

  constructor(readonly chainId: string) {}

  private space(ns: string): Map<string, unknown> {
    let m = this.spaces.get(ns);
    if (!m) this.spaces.set(ns, (m = new Map()));
    return m;
  }

  get<T>(ns: string, key: string): T | undefined {
    return this.spaces.get(ns)?.get(key) as T | undefined;
  }

  /** Values are treated as immutable: store a new object, never mutate a stored one. */
  set<T>(ns: string, key: string, value: T): void {
    const m = this.space(ns);
    if (!m.has(key)) {
      const keys = this.sorted.get(ns);
      if (keys) keys.splice(lowerBound(keys, key), 0, key);
    }
    m.set(key, value);
    this.mark(ns, key);
  }

  delete(ns: string, key: string): void {
    if (!this.spaces.get(ns)?.delete(key)) return;
    const keys = this.sorted.get(ns);
    if (keys) keys.splice(lowerBound(keys, key), 1);
    this.mark(ns, key);
  }

  /** Entries of a namespace in key order (UTF-16 code units), optionally under a key prefix. */
  entries<T>(ns: string, prefix = ''): Array<[string, T]> {
    const m = this.spaces.get(ns);
    if (!m) return [];
    let keys = this.sorted.get(ns);
    if (!keys) this.sorted.set(ns, (keys = [...m.keys()].sort(byCodeUnits)));
    // the keys under a prefix are one run in sorted order
    const out: Array<[string, T]> = [];
    for (let i = lowerBound(keys, prefix); i < keys.length && keys[i]!.startsWith(prefix); i++) out.push([keys[i]!, m.get(keys[i]!) as T]);
    return out;
  }

  private mark(ns: string, key: string): void {
    let s = this.dirty.get(ns);
    if (!s) this.dirty.set(ns, (s = new Set()));
    s.add(key);
  }

  /**
   * Rows changed since the last call; a deleted key is a row with a JSON null value (a tombstone).
   * Values are the toJsonValue JSON as JsonText (serialized once, for the writer).
   */
  takeChanges(): ReplicaState[] {
    const rows: ReplicaState[] = [];
    for (const [namespace, keys] of this.dirty) {
      const m = this.spaces.get(namespace);
      for (const key of keys) rows.push({ chainId: this.chainId, namespace, key, value: m?.has(key) ? toJsonText(m.get(key)) : null });
    }
    this.dirty.clear();
    return rows;
  }

  /** Restores the replica from its persisted rows (on start-up); a tombstone removes its key. */
  load(rows: Iterable<Pick<ReplicaState, 'namespace' | 'key' | 'value'>>): void {
    this.sorted.clear();
    for (const r of rows) {
      if (r.value === null) this.spaces.get(r.namespace)?.delete(r.key);
      else this.space(r.namespace).set(r.key, fromJsonValue(r.value));
    }
    this.dirty.clear();
  }
}
