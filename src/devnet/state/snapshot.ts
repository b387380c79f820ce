// Snapshots of the devnet's state between rounds, and their restoration, so a restart need not replay
// every round it had produced (the live devnet of `npm start`; see live-snapshot.ts).
//
// The state is an object graph (workload, chains, modules, contracts, journals). Its data is plain
// objects, arrays, Maps, Sets, bytes and class instances, but it also holds functions: message
// handlers, hooks and queriers wired up when the devnet is deployed, closures over the modules they
// belong to. Those cannot be written down, so a snapshot is restored *into a freshly deployed devnet*
// of the same configuration: each object of the snapshot is paired with the object at the same path
// in the fresh graph (same kind and class), which keeps its identity and takes the snapshot's
// contents; the fresh closures then see the restored state. Objects the fresh graph lacks (made
// while the devnet ran) are made anew with their class's prototype, found in the fresh graph.
//
// Objects that a second fresh graph also reaches are module-level constants (a shared zero, contract
// code): they are never overwritten. What a snapshot refuses: a function in an object made after
// deployment, a symbol it was not told about, typed arrays other than bytes, instances of a class the
// fresh graph does not hold (unless named in `classes`), and host objects (AbortSignal, …) not where
// the fresh graph has them. Own accessors and symbol-keyed properties are not looked for (it is the
// live devnet's pause): the state has none; a getter's value would be kept as a plain value.
//
// Wiring (listener lists) and settings a restart may change are named in `wiring`: they are not
// written down, and a restore keeps the fresh graph's at their place, as it does functions. A
// snapshot can carry a stamp (shapeStamp of a fresh graph: its classes and their fields), so that
// code whose state has other fields refuses it rather than running on half-restored objects.
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';

export interface SnapshotOptions {
  /** Symbols the state may hold as values (e.g. the journal's marker for an absent key), by name. */
  symbols?: Record<string, symbol>;
  /**
   * Classes whose instances may be made after deployment, so that the fresh graph need not hold one
   * (the others' prototypes are found in the fresh graph).
   */
  classes?: ReadonlyArray<abstract new (...args: never[]) => unknown>;
  /** Objects that are wiring or settings, not state: not written down; a restore keeps the fresh graph's. */
  wiring?: ReadonlySet<object>;
  /**
   * takeSnapshot writes it into the snapshot; restoreSnapshot refuses a snapshot whose stamp is
   * another (see shapeStamp).
   */
  stamp?: string;
}

const FORMAT = 3;

/** What an object is; its fields follow in the record. */
const enum Kind {
  Plain = 0,
  NullProto = 1,
  Array = 2,
  Map = 3,
  Set = 4,
  Bytes = 5,
  Buffer = 6,
  Instance = 7,
  /** A host object (AbortSignal, …): taken from the fresh graph as it is. */
  Opaque = 8,
}

/**
 * One object, as restoreSnapshot reads it: [kind, class name or '', ...content]. Content:
 * Plain/NullProto/Instance: key, value, key, value…; Array and Set: values; Map: key, value…;
 * Bytes/Buffer: one Uint8Array. A value is a primitive, or a marker array: [id] an object, ['s', name]
 * a symbol, ['f'] a function, ['w'] wiring (both taken from the fresh graph).
 */
type Rec = unknown[];

/** What a value in `Flat.values` is. */
const enum Tag {
  Value = 0,
  Ref = 1,
  Symbol = 2,
  Function = 3,
  /** Wiring: the fresh graph's object at this place. */
  Wiring = 4,
}

/**
 * The records as written: flat, so a snapshot of a million objects is a few large arrays rather
 * than a million small ones (taking one pauses the live devnet). Object records name a shape (class
 * name, then keys), shared by every object with those keys.
 */
interface Flat {
  format: number;
  stamp?: string;
  kinds: Uint8Array;
  /** Per record: index into `shapes`, or -1. */
  shapeOf: Int32Array;
  shapes: string[][];
  /** Record i's values are values[start[i] .. start[i + 1]). */
  start: Int32Array;
  tags: Uint8Array;
  values: unknown[];
}

/** Host objects a snapshot does not look into (they must be where the fresh graph has them). */
const isOpaque = (o: object): boolean =>
  o instanceof EventTarget || o instanceof Promise || o instanceof WeakMap || o instanceof WeakSet || o instanceof WeakRef || o instanceof Date || o instanceof RegExp;

const className = (o: object): string => {
  const p = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
  return p?.constructor?.name ?? '';
};


/** Writes down every object reachable from `root`. */
export function takeSnapshot(root: object, opts: SnapshotOptions = {}): Buffer {
  return serialize(flatten(root, opts));
}

/**
 * A short hash of the shapes in the graph from `root` (each class or plain object's name and
 * fields, not their values): taken of a freshly built devnet, it changes when the code's state
 * gains, loses or renames a field, and not with the data.
 */
export function shapeStamp(root: object, opts: SnapshotOptions = {}): string {
  const { shapes } = flatten(root, opts);
  const lines = shapes.map((s) => s.join('\u0000')).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

function flatten(root: object, opts: SnapshotOptions): Flat {
  const wiring = opts.wiring ?? new Set<object>();
  const symbolNames = new Map<symbol, string>(Object.entries(opts.symbols ?? {}).map(([n, s]) => [s, n]));
  const ids = new Map<object, number>();
  const queue: object[] = [];
  // where each object was first seen (its parent's id and the key there), to name it in an error
  const parents: number[] = [];
  const keys: unknown[] = [];
  let parent = -1;
  const pathOf = (id: number, key?: unknown): string => {
    const parts: string[] = key === undefined ? [] : [String(key)];
    for (let i = id; i > 0; i = parents[i]!) parts.push(String(keys[i]));
    return ['$', ...parts.reverse()].join('.');
  };
  const kinds: number[] = [];
  const shapeOf: number[] = [];
  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  const start: number[] = [];
  const tags: number[] = [];
  const values: unknown[] = [];
  const put = (v: unknown, key: unknown): void => {
    switch (typeof v) {
      case 'object': {
        if (v === null) break;
        if (wiring.has(v)) {
          tags.push(Tag.Wiring);
          values.push(0);
          return;
        }
        let id = ids.get(v);
        if (id === undefined) {
          id = queue.length;
          ids.set(v, id);
          queue.push(v);
          parents.push(parent);
          keys.push(key);
        }
        tags.push(Tag.Ref);
        values.push(id);
        return;
      }
      case 'function':
        tags.push(Tag.Function);
        values.push(0);
        return;
      case 'symbol': {
        const name = symbolNames.get(v);
        if (name === undefined) throw new Error(`snapshot: ${pathOf(parent, key)} holds a symbol it was not told about (${String(v)})`);
        tags.push(Tag.Symbol);
        values.push(name);
        return;
      }
    }
    tags.push(Tag.Value);
    values.push(v);
  };
  const shape = (name: string, ks: string[]): number => {
    const sig = `${name}\u0000${ks.join('\u0000')}`;
    let id = shapeIds.get(sig);
    if (id === undefined) {
      id = shapes.length;
      shapeIds.set(sig, id);
      shapes.push([name, ...ks]);
    }
    return id;
  };
  put(root, '');
  tags.length = values.length = 0;
  for (let i = 0; i < queue.length; i++) {
    const o = queue[i]!;
    parent = i;
    start.push(values.length);
    // the prototype first: plain objects and class instances (most of the state) skip the other checks
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === Array.prototype) {
      const a = o as unknown[];
      kinds.push(Kind.Array);
      shapeOf.push(-1);
      for (let j = 0; j < a.length; j++) put(a[j], j);
    } else if (o instanceof Map) {
      kinds.push(Kind.Map);
      shapeOf.push(-1);
      for (const [k, v] of o) {
        put(k, '(key)');
        put(v, k);
      }
    } else if (o instanceof Set) {
      kinds.push(Kind.Set);
      shapeOf.push(-1);
      for (const v of o) put(v, '(value)');
    } else if (ArrayBuffer.isView(o)) {
      if (!(o instanceof Uint8Array)) throw new Error(`snapshot: ${pathOf(i)} is a ${className(o)}; only bytes are kept`);
      kinds.push(Buffer.isBuffer(o) ? Kind.Buffer : Kind.Bytes);
      shapeOf.push(-1);
      tags.push(Tag.Value);
      values.push(new Uint8Array(o));
    } else if (proto !== Object.prototype && proto !== null && (Array.isArray(o) || isOpaque(o))) {
      if (Array.isArray(o)) throw new Error(`snapshot: ${pathOf(i)} is an array of a subclass (${className(o)})`);
      kinds.push(Kind.Opaque);
      shapeOf.push(shape(className(o), []));
    } else {
      const kind = proto === Object.prototype ? Kind.Plain : proto === null ? Kind.NullProto : Kind.Instance;
      const name = kind === Kind.Instance ? className(o) : '';
      if (kind === Kind.Instance && name === '') throw new Error(`snapshot: ${pathOf(i)} is an instance of a class without a name`);
      const ks = Object.keys(o);
      kinds.push(kind);
      shapeOf.push(shape(name, ks));
      for (const k of ks) put((o as Record<string, unknown>)[k], k);
    }
  }
  start.push(values.length);
  return { format: FORMAT, stamp: opts.stamp, kinds: Uint8Array.from(kinds), shapeOf: Int32Array.from(shapeOf), shapes, start: Int32Array.from(start), tags: Uint8Array.from(tags), values };
}

/** The flat records back as one array each (what restoreSnapshot works on). */
function records(flat: Flat): Rec[] {
  const { kinds, shapeOf, shapes, start, tags, values } = flat;
  const marker = (j: number): unknown => {
    switch (tags[j] as Tag) {
      case Tag.Ref:
        return [values[j]];
      case Tag.Symbol:
        return ['s', values[j]];
      case Tag.Function:
        return ['f'];
      case Tag.Wiring:
        return ['w'];
      default:
        return values[j];
    }
  };
  const recs: Rec[] = new Array(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i] as Kind;
    const sh = shapeOf[i]! >= 0 ? shapes[shapeOf[i]!]! : undefined;
    const rec: Rec = [kind, sh?.[0] ?? ''];
    const from = start[i]!;
    const to = start[i + 1]!;
    if (kind === Kind.Plain || kind === Kind.NullProto || kind === Kind.Instance) {
      if (to - from !== sh!.length - 1) throw new Error(`snapshot: record ${i} has ${to - from} values for ${sh!.length - 1} keys`);
      for (let j = from; j < to; j++) rec.push(sh![j - from + 1], marker(j));
    } else for (let j = from; j < to; j++) rec.push(marker(j));
    recs[i] = rec;
  }
  return recs;
}

const kindOf = (o: object): Kind => {
  if (Array.isArray(o)) return Kind.Array;
  if (o instanceof Map) return Kind.Map;
  if (o instanceof Set) return Kind.Set;
  if (ArrayBuffer.isView(o)) return Buffer.isBuffer(o) ? Kind.Buffer : Kind.Bytes;
  if (isOpaque(o)) return Kind.Opaque;
  const proto = Object.getPrototypeOf(o) as object | null;
  return proto === Object.prototype ? Kind.Plain : proto === null ? Kind.NullProto : Kind.Instance;
};

/**
 * Every object reachable from `root`, and the prototypes of its class instances by class name
 * (undefined where two classes share a name).
 */
function reachable(root: object, classes: NonNullable<SnapshotOptions['classes']>): { objects: Set<object>; protos: Map<string, object | undefined> } {
  const protos = new Map<string, object | undefined>(classes.map((c) => [c.name, c.prototype as object]));
  const objects = new Set<object>([root]);
  const stack: object[] = [root];
  const visit = (v: unknown): void => {
    if (typeof v === 'object' && v !== null && !objects.has(v)) {
      objects.add(v);
      stack.push(v);
    }
  };
  while (stack.length > 0) {
    const o = stack.pop()!;
    const kind = kindOf(o);
    if (kind === Kind.Bytes || kind === Kind.Buffer || kind === Kind.Opaque) continue;
    if (kind === Kind.Instance) {
      const name = className(o);
      const proto = Object.getPrototypeOf(o) as object;
      if (!protos.has(name)) protos.set(name, proto);
      else if (protos.get(name) !== proto) protos.set(name, undefined);
    }
    if (o instanceof Map) {
      for (const [k, v] of o) {
        visit(k);
        visit(v);
      }
    } else if (o instanceof Set) for (const v of o) visit(v);
    else for (const k of Object.keys(o)) visit((o as Record<string, unknown>)[k]);
  }
  return { objects, protos };
}

const isRef = (v: unknown): v is [number] => Array.isArray(v) && typeof v[0] === 'number';

/**
 * Restores a snapshot into `fresh`, a newly built graph of the same configuration as the one the
 * snapshot was taken of (nothing run yet): `fresh` and the objects paired with the snapshot's keep
 * their identity and take its contents. `probe` is a second graph built the same way: objects both
 * reach (module-level constants such as a shared zero) are never overwritten. Throws, before `fresh`
 * is changed, if the snapshot does not fit.
 */
export function restoreSnapshot<T extends object>(buf: Uint8Array, fresh: T, probe: T, opts: SnapshotOptions = {}): T {
  const { objects: shared, protos } = reachable(probe, opts.classes ?? []);
  const data = deserialize(buf) as Partial<Flat> | undefined;
  if (data?.format !== FORMAT || !(data.kinds instanceof Uint8Array) || !(data.start instanceof Int32Array) || data.kinds.length === 0) {
    throw new Error(`snapshot: not a format-${FORMAT} snapshot`);
  }
  if (opts.stamp !== undefined && data.stamp !== opts.stamp) {
    throw new Error(`snapshot: taken by another version of the code (stamp ${data.stamp ?? 'none'}, this one's ${opts.stamp}): the state's fields differ`);
  }
  const recs = records(data as Flat);
  const n = recs.length;
  const symbols = opts.symbols ?? {};
  const target: object[] = new Array(n);
  const used = new Set<object>();

  // 1. Pair snapshot objects with fresh ones, breadth first from the roots (the first path wins).
  const fits = (rec: Rec, f: unknown): f is object =>
    typeof f === 'object' && f !== null && !used.has(f) && !shared.has(f) && kindOf(f) === rec[0] && (rec[0] !== Kind.Instance && rec[0] !== Kind.Opaque ? true : className(f) === rec[1]) && rec[0] !== Kind.Bytes && rec[0] !== Kind.Buffer;
  if (!fits(recs[0]!, fresh)) throw new Error('snapshot: the fresh graph is not of the kind the snapshot was taken of');
  const pair = (id: number, f: object): void => {
    target[id] = f;
    used.add(f);
    order.push(id);
  };
  const order: number[] = [];
  pair(0, fresh);
  // An object both fresh graphs reach is a constant: the snapshot's object at its place is taken to be
  // it if their contents are the same (then the constant stays as it is), else it is made anew.
  const kept = new Set<number>();
  const same = (id: number, f: unknown, assumed: Map<number, unknown>): boolean => {
    if (typeof f !== 'object' || f === null) return false;
    if (assumed.has(id)) return assumed.get(id) === f;
    const rec = recs[id]!;
    const kind = rec[0] as Kind;
    if (kindOf(f) !== kind || ((kind === Kind.Instance || kind === Kind.Opaque) && className(f) !== rec[1])) return false;
    assumed.set(id, f);
    const value = (v: unknown, x: unknown): boolean =>
      !Array.isArray(v)
        ? v === x
        : typeof v[0] === 'number'
          ? same(v[0], x, assumed)
          : v[0] === 's'
            ? symbols[v[1] as string] === x
            : v[0] === 'w'
              ? typeof x === 'object' && x !== null
              : typeof x === 'function';
    switch (kind) {
      case Kind.Plain:
      case Kind.NullProto:
      case Kind.Instance: {
        const keys = Object.keys(f);
        if (keys.length !== (rec.length - 2) / 2) return false;
        for (let j = 2; j < rec.length; j += 2) if (keys[(j - 2) / 2] !== rec[j] || !value(rec[j + 1], (f as Record<string, unknown>)[rec[j] as string])) return false;
        return true;
      }
      case Kind.Array:
        return (f as unknown[]).length === rec.length - 2 && (f as unknown[]).every((x, j) => value(rec[j + 2], x));
      case Kind.Map: {
        const m = f as Map<unknown, unknown>;
        if (m.size !== (rec.length - 2) / 2) return false;
        for (let j = 2; j < rec.length; j += 2) if (isRef(rec[j]) || !m.has(rec[j]) || !value(rec[j + 1], m.get(rec[j]))) return false;
        return true;
      }
      case Kind.Set:
        return (f as Set<unknown>).size === rec.length - 2 && rec.slice(2).every((v) => !Array.isArray(v) && (f as Set<unknown>).has(v));
      case Kind.Bytes:
      case Kind.Buffer:
        return Buffer.compare(rec[2] as Uint8Array, f as Uint8Array) === 0;
      default:
        return true;
    }
  };
  const keepAll = (assumed: Map<number, unknown>): void => {
    for (const [id, f] of assumed) {
      if (target[id] !== undefined) continue;
      target[id] = f as object;
      kept.add(id);
    }
  };
  const tryPair = (v: unknown, f: unknown): void => {
    if (!isRef(v) || target[v[0]] !== undefined || typeof f !== 'object' || f === null) return;
    if (shared.has(f)) {
      const assumed = new Map<number, unknown>();
      if (same(v[0], f, assumed)) keepAll(assumed);
    } else if (fits(recs[v[0]]!, f)) pair(v[0], f);
  };
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    const rec = recs[id]!;
    const f = target[id]!;
    switch (rec[0] as Kind) {
      case Kind.Plain:
      case Kind.NullProto:
      case Kind.Instance:
        for (let j = 2; j < rec.length; j += 2) tryPair(rec[j + 1], (f as Record<string, unknown>)[rec[j] as string]);
        break;
      case Kind.Array:
        for (let j = 2; j < rec.length; j++) tryPair(rec[j], (f as unknown[])[j - 2]);
        break;
      case Kind.Map:
        for (let j = 2; j < rec.length; j += 2) if (!isRef(rec[j])) tryPair(rec[j + 1], (f as Map<unknown, unknown>).get(rec[j]));
        break;
    }
  }

  // 2. Make the objects the fresh graph lacks.
  for (let id = 0; id < n; id++) {
    if (target[id] !== undefined) continue;
    const rec = recs[id]!;
    switch (rec[0] as Kind) {
      case Kind.Plain:
        target[id] = {};
        break;
      case Kind.NullProto:
        target[id] = Object.create(null) as object;
        break;
      case Kind.Array:
        target[id] = [];
        break;
      case Kind.Map:
        target[id] = new Map();
        break;
      case Kind.Set:
        target[id] = new Set();
        break;
      case Kind.Bytes:
        target[id] = rec[2] as Uint8Array;
        break;
      case Kind.Buffer: {
        const b = rec[2] as Uint8Array;
        target[id] = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
        break;
      }
      case Kind.Instance: {
        const proto = protos.get(rec[1] as string);
        if (proto === undefined) {
          throw new Error(protos.has(rec[1] as string) ? `snapshot: two classes are named ${String(rec[1])}` : `snapshot: no ${String(rec[1])} in the fresh graph to take its class from`);
        }
        target[id] = Object.create(proto) as object;
        break;
      }
      case Kind.Opaque:
        throw new Error(`snapshot: a ${String(rec[1])} is not where the fresh graph has one`);
      default:
        throw new Error(`snapshot: record ${id} has an unknown kind`);
    }
  }

  // 3. Check every function, wiring and symbol has its counterpart before anything changes.
  const freshAt = (id: number, key: unknown, wired: boolean): unknown => {
    const f = target[id]!;
    const rec = recs[id]!;
    const paired = used.has(f);
    const v = !paired ? undefined : rec[0] === Kind.Map ? (f as Map<unknown, unknown>).get(key) : (f as Record<string, unknown>)[key as string];
    if (wired ? typeof v !== 'object' || v === null : typeof v !== 'function') {
      throw new Error(`snapshot: ${wired ? 'wiring' : 'a function'} at ${String(rec[1]) || 'an object'}.${String(key)} has no counterpart in the fresh graph`);
    }
    return v;
  };
  const fns = new Map<string, unknown>();
  for (let id = 0; id < n; id++) {
    if (kept.has(id)) continue;
    const rec = recs[id]!;
    const k = rec[0] as Kind;
    const step = k === Kind.Plain || k === Kind.NullProto || k === Kind.Instance || k === Kind.Map ? 2 : 1;
    const first = step === 2 ? 3 : 2;
    for (let j = first; j < rec.length; j += step) {
      const v = rec[j];
      if (!Array.isArray(v) || typeof v[0] === 'number') continue;
      if (v[0] === 's') {
        if (symbols[v[1] as string] === undefined) throw new Error(`snapshot: unknown symbol ${String(v[1])}`);
        continue;
      }
      if (k === Kind.Set) throw new Error(`snapshot: a function or wiring in a Set (record ${id}) cannot be restored`);
      const key = k === Kind.Array ? j - 2 : rec[j - 1];
      fns.set(`${id}:${String(key)}`, freshAt(id, key, v[0] === 'w'));
    }
  }

  // 4. Fill every object with its snapshot contents.
  const dec = (v: unknown, id: number, key: unknown): unknown => {
    if (!Array.isArray(v)) return v;
    if (typeof v[0] === 'number') return target[v[0]];
    if (v[0] === 's') return symbols[v[1] as string];
    return fns.get(`${id}:${String(key)}`);
  };
  for (let id = 0; id < n; id++) {
    if (kept.has(id)) continue;
    const rec = recs[id]!;
    const t = target[id]!;
    switch (rec[0] as Kind) {
      case Kind.Plain:
      case Kind.NullProto:
      case Kind.Instance: {
        const o = t as Record<string, unknown>;
        // keys in the snapshot's order (JSON and iteration follow it): a fresh object whose keys
        // differ, or come in another order, is emptied first
        const have = Object.keys(o);
        let sameKeys = have.length === (rec.length - 2) / 2;
        for (let j = 2; sameKeys && j < rec.length; j += 2) sameKeys = have[(j - 2) / 2] === rec[j];
        if (!sameKeys) for (const k of have) delete o[k];
        for (let j = 2; j < rec.length; j += 2) o[rec[j] as string] = dec(rec[j + 1], id, rec[j]);
        break;
      }
      case Kind.Array: {
        const a = t as unknown[];
        a.length = rec.length - 2;
        for (let j = 2; j < rec.length; j++) a[j - 2] = dec(rec[j], id, j - 2);
        break;
      }
      case Kind.Map: {
        const m = t as Map<unknown, unknown>;
        const entries: Array<[unknown, unknown]> = [];
        for (let j = 2; j < rec.length; j += 2) entries.push([dec(rec[j], id, undefined), dec(rec[j + 1], id, rec[j])]);
        m.clear();
        for (const [k, v] of entries) m.set(k, v);
        break;
      }
      case Kind.Set: {
        const s = t as Set<unknown>;
        s.clear();
        for (let j = 2; j < rec.length; j++) s.add(dec(rec[j], id, undefined));
        break;
      }
    }
  }
  return fresh;
}
