// The indexer's replica of contract state on one chain: what the contracts keep (vault accounts,
// stakes, reward points, the validator CRDT, pending txs, bond requests…), updated by the mappings
// with the spec's rules (src/protocol) and persisted as `replica_state` rows in the same transaction
// as the block's entity rows, so a restart resumes from exactly the committed height.
import type { ReplicaState } from '../db/generated/entities.ts';

const BIG = '$big:';

/** JSON with bigints: tagged strings on the way out, bigints again on the way in. */
export function toJsonValue(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${BIG}${x}` : x)));
}

export function fromJsonValue<T>(v: unknown): T {
  return JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === 'string' && x.startsWith(BIG) ? BigInt(x.slice(BIG.length)) : x)) as T;
}

export class Replica {
  private readonly spaces = new Map<string, Map<string, unknown>>();
  private readonly dirty = new Map<string, Set<string>>();

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
    this.space(ns).set(key, value);
    this.mark(ns, key);
  }

  delete(ns: string, key: string): void {
    if (this.spaces.get(ns)?.delete(key)) this.mark(ns, key);
  }

  /** Entries of a namespace in key order, optionally under a key prefix. */
  entries<T>(ns: string, prefix = ''): Array<[string, T]> {
    const m = this.spaces.get(ns);
    if (!m) return [];
    const out: Array<[string, T]> = [];
    for (const [k, v] of m) if (k.startsWith(prefix)) out.push([k, v as T]);
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  private mark(ns: string, key: string): void {
    let s = this.dirty.get(ns);
    if (!s) this.dirty.set(ns, (s = new Set()));
    s.add(key);
  }

  /** Rows changed since the last call; a deleted key is a row with a JSON null value (a tombstone). */
  takeChanges(): ReplicaState[] {
    const rows: ReplicaState[] = [];
    for (const [namespace, keys] of this.dirty) {
      const m = this.spaces.get(namespace);
      for (const key of keys) rows.push({ chainId: this.chainId, namespace, key, value: m?.has(key) ? toJsonValue(m.get(key)) : null });
    }
    this.dirty.clear();
    return rows;
  }

  /** Restores the replica from its persisted rows (on start-up); a tombstone removes its key. */
  load(rows: Iterable<Pick<ReplicaState, 'namespace' | 'key' | 'value'>>): void {
    for (const r of rows) {
      if (r.value === null) this.spaces.get(r.namespace)?.delete(r.key);
      else this.space(r.namespace).set(r.key, fromJsonValue(r.value));
    }
    this.dirty.clear();
  }
}
