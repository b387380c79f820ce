// Journaled state: every write records how to undo it, so a failed message or sub-message can be
// rolled back to a checkpoint (wasmd runs each in a cache context; spec §0.2, cosmos-wire §4.2).
// Values must be treated as immutable: replace them, never mutate what `get` returned.

/** Composite keys for JMap: parts joined by a separator that sorts before every printable char. */
export const SEP = '\u0000';

/** A store whose writes are versioned per block, so reads at a past height see that block's state. */
interface Versioned {
  commitBlock(height: bigint): void;
}

export class Journal {
  private undo: Array<() => void> = [];
  private depth = 0;
  /** When set, reads return the state as of the end of this block (historical queries). */
  readHeight: bigint | undefined;
  private readonly dirty = new Set<Versioned>();

  markDirty(v: Versioned): void {
    this.dirty.add(v);
  }

  /** Ends a block: every value written in it becomes the version at `height`. */
  commitBlock(height: bigint): void {
    for (const v of this.dirty) v.commitBlock(height);
    this.dirty.clear();
  }

  /** Runs `fn` reading the state as it was after block `height`. */
  readAt<T>(height: bigint, fn: () => T): T {
    const prev = this.readHeight;
    this.readHeight = height;
    try {
      return fn();
    } finally {
      this.readHeight = prev;
    }
  }

  /** Starts a nested scope; pass the result to `revert` or `release`. */
  checkpoint(): number {
    this.depth++;
    return this.undo.length;
  }

  revert(cp: number): void {
    while (this.undo.length > cp) this.undo.pop()!();
    this.release();
  }

  /** Keeps the writes of a scope (they stay revertible by an outer scope). */
  release(): void {
    if (this.depth === 0) throw new Error('journal: release without checkpoint');
    if (--this.depth === 0) this.undo.length = 0;
  }

  record(fn: () => void): void {
    if (this.depth > 0) this.undo.push(fn);
  }

  /** Runs fn in a scope: its writes are undone if it throws. */
  atomic<T>(fn: () => T): T {
    const cp = this.checkpoint();
    try {
      const r = fn();
      this.release();
      return r;
    } catch (e) {
      this.revert(cp);
      throw e;
    }
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const ABSENT: unique symbol = Symbol('absent');
type Version<V> = { h: bigint; v: V | typeof ABSENT };

/** The last version at or before `h` (versions are in ascending height order). */
function versionAt<V>(versions: Array<Version<V>>, h: bigint): V | typeof ABSENT {
  let lo = 0;
  let hi = versions.length - 1;
  let found: V | typeof ABSENT = ABSENT;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (versions[mid]!.h <= h) {
      found = versions[mid]!.v;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A map with journaled writes, per-block versions and cw-storage-plus ordering (keys in byte order). */
export class JMap<V> implements Versioned {
  private readonly m = new Map<string, V>();
  /** Versions of keys written since genesis; keys never written keep their current value. */
  private readonly history = new Map<string, Array<Version<V>>>();
  private readonly dirtyKeys = new Set<string>();
  /** Keys grouped by their first part (before SEP), so `prefix: a + SEP` reads one bucket, not the map. */
  private readonly buckets = new Map<string, Set<string>>();
  constructor(private readonly journal: Journal) {}

  private put(k: string, v: V): void {
    if (!this.m.has(k)) {
      const i = k.indexOf(SEP);
      if (i >= 0) {
        const b = k.slice(0, i);
        let set = this.buckets.get(b);
        if (!set) this.buckets.set(b, (set = new Set()));
        set.add(k);
      }
    }
    this.m.set(k, v);
  }

  private remove(k: string): void {
    if (!this.m.delete(k)) return;
    const i = k.indexOf(SEP);
    if (i >= 0) {
      const b = k.slice(0, i);
      const set = this.buckets.get(b);
      set?.delete(k);
      if (set?.size === 0) this.buckets.delete(b);
    }
  }

  private touch(k: string): void {
    if (!this.history.has(k)) this.history.set(k, [{ h: -1n, v: this.m.has(k) ? (this.m.get(k) as V) : ABSENT }]);
    if (this.dirtyKeys.size === 0) this.journal.markDirty(this);
    this.dirtyKeys.add(k);
  }

  commitBlock(height: bigint): void {
    for (const k of this.dirtyKeys) {
      const versions = this.history.get(k)!;
      const v = this.m.has(k) ? (this.m.get(k) as V) : ABSENT;
      const last = versions[versions.length - 1]!;
      if (last.h === height) last.v = v;
      else versions.push({ h: height, v });
    }
    this.dirtyKeys.clear();
  }

  private at(k: string, h: bigint): V | undefined {
    const versions = this.history.get(k);
    if (!versions) return this.m.get(k);
    const v = versionAt(versions, h);
    return v === ABSENT ? undefined : v;
  }

  get(k: string): V | undefined {
    const h = this.journal.readHeight;
    return h === undefined ? this.m.get(k) : this.at(k, h);
  }

  has(k: string): boolean {
    return this.get(k) !== undefined;
  }

  get size(): number {
    return this.journal.readHeight === undefined ? this.m.size : this.entries().length;
  }

  set(k: string, v: V): void {
    this.touch(k);
    const had = this.m.has(k);
    const old = this.m.get(k);
    this.put(k, v);
    this.journal.record(had ? () => this.put(k, old as V) : () => this.remove(k));
  }

  delete(k: string): void {
    if (!this.m.has(k)) return;
    this.touch(k);
    const old = this.m.get(k) as V;
    this.remove(k);
    this.journal.record(() => this.put(k, old));
  }

  private live(prefix?: string): Iterable<[string, V]> {
    const h = this.journal.readHeight;
    if (h === undefined) {
      const i = prefix === undefined ? -1 : prefix.indexOf(SEP);
      if (prefix === undefined || i !== prefix.length - 1) return this.m;
      const bucket = this.buckets.get(prefix.slice(0, i));
      return bucket ? [...bucket].map((k) => [k, this.m.get(k) as V] as [string, V]) : [];
    }
    const out: Array<[string, V]> = [];
    for (const k of new Set([...this.m.keys(), ...this.history.keys()])) {
      const v = this.at(k, h);
      if (v !== undefined) out.push([k, v]);
    }
    return out;
  }

  /** Entries in ascending key order, optionally those starting with a prefix, after `startAfter`. */
  entries(opts: { prefix?: string; startAfter?: string; descending?: boolean } = {}): Array<[string, V]> {
    const { prefix, startAfter, descending } = opts;
    const out: Array<[string, V]> = [];
    for (const e of this.live(prefix)) {
      if (prefix !== undefined && !e[0].startsWith(prefix)) continue;
      out.push(e);
    }
    out.sort((a, b) => compare(a[0], b[0]));
    if (descending) out.reverse();
    if (startAfter === undefined) return out;
    return out.filter(([k]) => (descending ? k < startAfter : k > startAfter));
  }

  keys(opts: { prefix?: string } = {}): string[] {
    return this.entries(opts).map(([k]) => k);
  }

  values(opts: { prefix?: string } = {}): V[] {
    return this.entries(opts).map(([, v]) => v);
  }
}

/** A single journaled, versioned value (cw-storage-plus Item). */
export class JItem<V> implements Versioned {
  private v: V;
  private readonly versions: Array<{ h: bigint; v: V }> = [];
  private dirty = false;
  constructor(
    private readonly journal: Journal,
    initial: V,
  ) {
    this.v = initial;
  }

  commitBlock(height: bigint): void {
    const last = this.versions[this.versions.length - 1];
    if (last && last.h === height) last.v = this.v;
    else this.versions.push({ h: height, v: this.v });
    this.dirty = false;
  }

  get(): V {
    const h = this.journal.readHeight;
    if (h === undefined || this.versions.length === 0) return this.v;
    const v = versionAt(this.versions, h);
    return v === ABSENT ? this.v : v;
  }

  set(v: V): void {
    if (!this.dirty) {
      if (this.versions.length === 0) this.versions.push({ h: -1n, v: this.v });
      this.journal.markDirty(this);
      this.dirty = true;
    }
    const old = this.v;
    this.v = v;
    this.journal.record(() => {
      this.v = old;
    });
  }

  update(fn: (v: V) => V): V {
    const n = fn(this.get());
    this.set(n);
    return n;
  }
}

export const key = (...parts: Array<string | number | bigint>): string => parts.map(String).join(SEP);
export const splitKey = (k: string): string[] => k.split(SEP);
/** u64 keys sort numerically when zero-padded to 20 digits (big-endian bytes in cw-storage-plus). */
export const u64Key = (n: bigint): string => n.toString().padStart(20, '0');
