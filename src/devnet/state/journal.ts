// Journaled state: every write records how to undo it, so a failed message or sub-message can be
// rolled back to a checkpoint (wasmd runs each in a cache context; spec §0.2, cosmos-wire §4.2).
// Values must be treated as immutable: replace them, never mutate what `get` returned.
//
// Versions for reads at a past height are copy-on-write per key: the first write to a key in a block
// keeps the value it replaces, tagged with the block that wrote it. A block's commit is then O(1)
// (no pass over what it wrote), and a read at the current height is one Map lookup.

/** Composite keys for JMap: parts joined by a separator that sorts before every printable char. */
export const SEP = '\u0000';

/** A store on a journal (JMap, JItem): drops the versions only reads below `height` could see. */
interface Prunable {
  prune(height: number): void;
}

export class Journal {
  private undo: Array<() => void> = [];
  private depth = 0;
  /** When set, reads return the state as of the end of this block (historical queries). */
  private readH: number | undefined;
  /**
   * Writes are tagged with the epoch they happen in; `commitBlock(h)` closes the open epoch as block h.
   * heights[e] is the block of epoch e; the open epoch (heights.length) is newer than every block.
   */
  private readonly heights: number[] = [];
  epoch = 0;
  /** Reads at heights below this fail: `prune` dropped the versions they would need. */
  private floor = 0;
  /** The maps and items on this journal, for `prune`. */
  private readonly stores: Prunable[] = [];

  /** Called by every JMap and JItem built on this journal. */
  register(store: Prunable): void {
    this.stores.push(store);
  }

  /** The lowest height reads can be pinned to (0 until the first prune). */
  get prunedBelow(): bigint {
    return BigInt(this.floor);
  }

  /**
   * Drops the versions that only reads below `height` could see, as a pruning node does; such reads
   * fail from then on. Call between blocks. O(keys): a caller prunes every so many blocks.
   */
  prune(height: bigint): void {
    const h = Number(height);
    if (h <= this.floor) return;
    if (this.depth > 0) throw new Error('journal: prune inside a scope');
    this.floor = h;
    for (const s of this.stores) s.prune(h);
  }

  /** Ends a block: every value written since the last commit becomes the version at `height`. */
  commitBlock(height: bigint): void {
    this.heights.push(Number(height));
    this.epoch++;
  }

  /** Runs `fn` reading the state as it was after block `height`. */
  readAt<T>(height: bigint, fn: () => T): T {
    if (Number(height) < this.floor) throw new Error(`journal: height ${height} is pruned (the lowest readable height is ${this.floor})`);
    const prev = this.readH;
    this.readH = Number(height);
    try {
      return fn();
    } finally {
      this.readH = prev;
    }
  }

  /** The height reads are pinned to, if any (internal to the stores below). */
  get pinned(): number | undefined {
    return this.readH;
  }

  /** Whether a value written in epoch `e` is part of the state after block `h`. */
  visible(e: number, h: number): boolean {
    return e < 0 || (e < this.heights.length && this.heights[e]! <= h);
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

export const ABSENT: unique symbol = Symbol('absent');
type Stored<V> = V | typeof ABSENT;

/** A value with the epoch that wrote it and the versions it replaced (oldest first). */
interface Slot<V> {
  v: Stored<V>;
  e: number;
  past: Array<{ e: number; v: Stored<V> }> | undefined;
}

/**
 * Index of the last of `past` versions that is part of the state after block `h`, or -1. Versions are
 * in epoch order and visibility is monotonic in the epoch, so a binary search finds it.
 */
function lastVisible<V>(j: Journal, past: Array<{ e: number; v: Stored<V> }>, h: number): number {
  let lo = 0;
  let hi = past.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (j.visible(past[mid]!.e, h)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The slot's value as of the end of block `h`. */
function slotAt<V>(j: Journal, s: Slot<V>, h: number): Stored<V> {
  if (j.visible(s.e, h)) return s.v;
  const i = s.past ? lastVisible(j, s.past, h) : -1;
  return i < 0 ? ABSENT : s.past![i]!.v;
}

/** Drops the slot's versions older than the one that holds at height `h`. */
function pruneSlot<V>(j: Journal, s: Slot<V>, h: number): void {
  if (!s.past) return;
  if (j.visible(s.e, h)) {
    s.past = undefined;
    return;
  }
  const i = lastVisible(j, s.past, h);
  if (i > 0) s.past = s.past.slice(i);
}

/** Writes `v` into a slot in the journal's open epoch, keeping the replaced version and the undo. */
function writeSlot<V>(j: Journal, s: Slot<V>, v: Stored<V>, undone?: () => void): void {
  const oldV = s.v;
  const oldE = s.e;
  let kept = false;
  if (oldE !== j.epoch) {
    // a slot never written (e = -1, absent) has nothing worth keeping
    if (oldE >= 0 || oldV !== ABSENT) {
      // most keys keep one or two versions: a first one-element literal has no spare room
      if (s.past === undefined) s.past = [{ e: oldE, v: oldV }];
      else s.past.push({ e: oldE, v: oldV });
      kept = true;
    }
    s.e = j.epoch;
  }
  s.v = v;
  j.record(() => {
    s.v = oldV;
    s.e = oldE;
    if (kept) s.past!.pop();
    undone?.();
  });
}

/** A map with journaled writes, per-block versions and cw-storage-plus ordering (keys in byte order). */
export class JMap<V> {
  /** Live keys. */
  private readonly m = new Map<string, Slot<V>>();
  /** Deleted keys, kept for their past versions (reads at a past height) until they are written again. */
  private readonly dead = new Map<string, Slot<V>>();
  /**
   * Live keys grouped by their first part (before SEP), so `prefix: a + SEP` reads one bucket, not the
   * map. Built on the first such read: maps never read by prefix (packet commitments, receipts) skip
   * its upkeep on every insert and delete.
   */
  private buckets: Map<string, Set<string>> | undefined;
  constructor(private readonly journal: Journal) {
    journal.register(this);
  }

  /** See Journal.prune. A key deleted at or before `h` is forgotten. */
  prune(h: number): void {
    for (const s of this.m.values()) pruneSlot(this.journal, s, h);
    for (const [k, s] of this.dead) {
      if (this.journal.visible(s.e, h)) this.dead.delete(k);
      else pruneSlot(this.journal, s, h);
    }
  }

  /** Makes slot `s` of key `k` live (it was absent). */
  private link(k: string, s: Slot<V>): void {
    this.dead.delete(k);
    this.m.set(k, s);
    if (this.buckets) JMap.bucketAdd(this.buckets, k);
  }

  /** A key's bucket: its first part, or undefined for a key of one part. */
  private static bucketOf(k: string): string | undefined {
    const i = k.indexOf(SEP);
    return i < 0 ? undefined : k.slice(0, i);
  }

  private static bucketAdd(buckets: Map<string, Set<string>>, k: string): void {
    const b = JMap.bucketOf(k);
    if (b === undefined) return;
    let set = buckets.get(b);
    if (!set) buckets.set(b, (set = new Set()));
    set.add(k);
  }

  private static bucketRemove(buckets: Map<string, Set<string>>, k: string): void {
    const b = JMap.bucketOf(k);
    if (b === undefined) return;
    const set = buckets.get(b);
    set?.delete(k);
    if (set?.size === 0) buckets.delete(b);
  }

  /** Makes slot `s` of key `k` absent; it stays readable in the past if it ever had a committed value. */
  private unlink(k: string, s: Slot<V>): void {
    this.m.delete(k);
    if (s.e >= 0) this.dead.set(k, s);
    if (this.buckets) JMap.bucketRemove(this.buckets, k);
  }

  private stored(k: string): Stored<V> {
    const h = this.journal.pinned;
    if (h === undefined) return this.m.get(k)?.v ?? ABSENT;
    const s = this.m.get(k) ?? this.dead.get(k);
    return s === undefined ? ABSENT : slotAt(this.journal, s, h);
  }

  get(k: string): V | undefined {
    const v = this.stored(k);
    return v === ABSENT ? undefined : v;
  }

  has(k: string): boolean {
    return this.stored(k) !== ABSENT;
  }

  get size(): number {
    return this.journal.pinned === undefined ? this.m.size : this.entries().length;
  }

  set(k: string, v: V): void {
    const live = this.m.get(k);
    if (live !== undefined) return writeSlot(this.journal, live, v);
    const s: Slot<V> = this.dead.get(k) ?? { v: ABSENT, e: -1, past: undefined };
    this.link(k, s);
    writeSlot(this.journal, s, v, () => this.unlink(k, s));
  }

  delete(k: string): void {
    const s = this.m.get(k);
    if (s === undefined) return;
    writeSlot<V>(this.journal, s, ABSENT, () => this.link(k, s));
    this.unlink(k, s);
  }

  /** Live entries (at the pinned height if any), unsorted, keeping those `keep` accepts. */
  private collect(prefix: string | undefined, keep: (k: string) => boolean): Array<[string, V]> {
    const out: Array<[string, V]> = [];
    const h = this.journal.pinned;
    if (h !== undefined) {
      for (const map of [this.m, this.dead]) {
        for (const [k, s] of map) {
          if (!keep(k)) continue;
          const v = slotAt(this.journal, s, h);
          if (v !== ABSENT) out.push([k, v]);
        }
      }
      return out;
    }
    const i = prefix === undefined ? -1 : prefix.indexOf(SEP);
    if (prefix !== undefined && i === prefix.length - 1) {
      if (!this.buckets) {
        this.buckets = new Map();
        for (const k of this.m.keys()) JMap.bucketAdd(this.buckets, k);
      }
      const bucket = this.buckets.get(prefix.slice(0, i));
      if (bucket) for (const k of bucket) if (keep(k)) out.push([k, this.m.get(k)!.v as V]);
      return out;
    }
    for (const [k, s] of this.m) if (keep(k)) out.push([k, s.v as V]);
    return out;
  }

  /** Entries in no particular order: cheaper than `entries()` where order does not matter. */
  unordered(): Array<[string, V]> {
    return this.collect(undefined, () => true);
  }

  /** Entries in ascending key order, optionally those starting with a prefix, after `startAfter`. */
  entries(opts: { prefix?: string; startAfter?: string; descending?: boolean } = {}): Array<[string, V]> {
    const { prefix, startAfter, descending } = opts;
    const out = this.collect(
      prefix,
      startAfter === undefined
        ? prefix === undefined
          ? () => true
          : (k) => k.startsWith(prefix)
        : (k) => (prefix === undefined || k.startsWith(prefix)) && (descending ? k < startAfter : k > startAfter),
    );
    if (out.length > 1) out.sort((x, y) => compare(x[0], y[0]));
    if (descending) out.reverse();
    return out;
  }

  keys(opts: { prefix?: string } = {}): string[] {
    return this.entries(opts).map(([k]) => k);
  }

  values(opts: { prefix?: string } = {}): V[] {
    return this.entries(opts).map(([, v]) => v);
  }
}

/** A single journaled, versioned value (cw-storage-plus Item). */
export class JItem<V> {
  private readonly s: Slot<V>;
  constructor(
    private readonly journal: Journal,
    initial: V,
  ) {
    // the initial value holds at every height until the first write
    this.s = { v: initial, e: -1, past: undefined };
    journal.register(this);
  }

  /** See Journal.prune. */
  prune(h: number): void {
    pruneSlot(this.journal, this.s, h);
  }

  get(): V {
    const h = this.journal.pinned;
    return (h === undefined ? this.s.v : slotAt(this.journal, this.s, h)) as V;
  }

  set(v: V): void {
    writeSlot(this.journal, this.s, v);
  }

  update(fn: (v: V) => V): V {
    const n = fn(this.get());
    this.set(n);
    return n;
  }
}

export const key = (...parts: Array<string | number | bigint>): string => {
  let k = String(parts[0] ?? '');
  for (let i = 1; i < parts.length; i++) k += SEP + String(parts[i]);
  return k;
};
export const splitKey = (k: string): string[] => k.split(SEP);
/** u64 keys sort numerically when zero-padded to 20 digits (big-endian bytes in cw-storage-plus). */
export const u64Key = (n: bigint): string => n.toString().padStart(20, '0');
