// ValueRange<Uint128> (spec §4.1, ms:packages/sync/src/range.rs): `l` is the value if every pending
// transaction fails, `h` if every one succeeds. Ranges are immutable; every operation returns a new one.
// Bounded ops fail with RangeError (a contract error); commit/rollback misuse panics like the Rust code.
import { ContractPanic, UINT128_MAX } from './uint.ts';

export interface ValueRange {
  readonly l: bigint;
  readonly h: bigint;
}

/** mesh_sync::RangeError; the texts are the Display strings of the Rust enum (errors.md §1.1). */
export class RangeBoundError extends Error {
  constructor(readonly kind: 'Underflow' | 'Overflow' | 'NotOneValue') {
    super(kind === 'Underflow' ? 'Underflow minimum value' : kind === 'Overflow' ? 'Overflow maximum value' : 'Range is not one value');
    this.name = 'RangeBoundError';
  }
}

/** A Rust panic inside range code (Uint128 `-` underflow, `assert!(low <= high)`): aborts the contract. */
export class RangePanic extends ContractPanic {
  constructor(payload: string) {
    super(payload);
    this.name = 'RangePanic';
  }
}

export const range = (l: bigint, h: bigint = l): ValueRange => ({ l, h });
export const ZERO_RANGE: ValueRange = range(0n);

export function isZeroRange(r: ValueRange): boolean {
  return r.l === 0n && r.h === 0n;
}

/** val(): the single value, or NotOneValue while transactions are pending. */
export function rangeVal(r: ValueRange): bigint {
  if (r.l !== r.h) throw new RangeBoundError('NotOneValue');
  return r.l;
}

// Uint128 operators panic on overflow; keep that behaviour so misuse cannot go unnoticed.
const sub = (a: bigint, b: bigint): bigint => {
  if (b > a) throw new RangePanic('attempt to subtract with overflow');
  return a - b;
};
const add = (a: bigint, b: bigint): bigint => {
  const r = a + b;
  if (r > UINT128_MAX) throw new RangePanic('attempt to add with overflow');
  return r;
};
const valid = (l: bigint, h: bigint): ValueRange => {
  if (l > h) throw new RangePanic('assertion failed: self.low <= self.high');
  return { l, h };
};

/** prepare_add(v, max): h += v; fails with Overflow if h + v > max (no max: unbounded). */
export function prepareAdd(r: ValueRange, v: bigint, max?: bigint): ValueRange {
  if (max !== undefined && r.h + v > max) throw new RangeBoundError('Overflow');
  return { l: r.l, h: add(r.h, v) };
}

export function commitAdd(r: ValueRange, v: bigint): ValueRange {
  return valid(add(r.l, v), r.h);
}

export function rollbackAdd(r: ValueRange, v: bigint): ValueRange {
  return valid(r.l, sub(r.h, v));
}

/** prepare_sub(v, min): l −= v; fails with Underflow if l < min + v (no min: panics below 0). */
export function prepareSub(r: ValueRange, v: bigint, min?: bigint): ValueRange {
  if (min !== undefined && r.l < min + v) throw new RangeBoundError('Underflow');
  return { l: sub(r.l, v), h: r.h };
}

export function commitSub(r: ValueRange, v: bigint): ValueRange {
  return valid(r.l, sub(r.h, v));
}

export function rollbackSub(r: ValueRange, v: bigint): ValueRange {
  return valid(add(r.l, v), r.h);
}

/** add(v, max) = prepare_add + commit_add. */
export function addRange(r: ValueRange, v: bigint, max?: bigint): ValueRange {
  return commitAdd(prepareAdd(r, v, max), v);
}

/** sub(v, min) = prepare_sub + commit_sub. */
export function subRange(r: ValueRange, v: bigint, min?: bigint): ValueRange {
  return commitSub(prepareSub(r, v, min), v);
}

// Saturating variants: used at commit/rollback time when a slash has lowered the range under a
// pending tx, so l ≤ h must be restored instead of asserted.
export function commitAddSaturating(r: ValueRange, v: bigint): ValueRange {
  const l = add(r.l, v);
  return { l, h: l > r.h ? l : r.h };
}

/** rollback_add_saturating: h −= v (still panics below 0), then h = max(h, l). */
export function rollbackAddSaturating(r: ValueRange, v: bigint): ValueRange {
  const h = sub(r.h, v);
  return { l: r.l, h: r.l > h ? r.l : h };
}

/** rollback_sub_saturating: l = min(l + v, h). */
export function rollbackSubSaturating(r: ValueRange, v: bigint): ValueRange {
  const l = add(r.l, v);
  return { l: l > r.h ? r.h : l, h: r.h };
}

/** commit_sub_saturating: if v > h then h = l, else h −= v (asserting l ≤ h). */
export function commitSubSaturating(r: ValueRange, v: bigint): ValueRange {
  if (v > r.h) return { l: r.l, h: r.l };
  return valid(r.l, r.h - v);
}

export function maxRange(a: ValueRange, b: ValueRange): ValueRange {
  return { l: a.l > b.l ? a.l : b.l, h: a.h > b.h ? a.h : b.h };
}

export function minRange(a: ValueRange, b: ValueRange): ValueRange {
  return { l: a.l < b.l ? a.l : b.l, h: a.h < b.h ? a.h : b.h };
}

/** add_ranges / Sum: component-wise sum. */
export function sumRanges(rs: Iterable<ValueRange>): ValueRange {
  let l = 0n;
  let h = 0n;
  for (const r of rs) (l += r.l), (h += r.h);
  return { l, h };
}

/** reduce_max_range: (max if all roll back, max if all commit); {0,0} for none. */
export function reduceMaxRange(rs: Iterable<ValueRange>): ValueRange {
  let acc: ValueRange | undefined;
  for (const r of rs) acc = acc ? maxRange(acc, r) : r;
  return acc ?? ZERO_RANGE;
}

/** is_under_max / is_over_min: invariant checks over the whole range. */
export const isUnderMax = (r: ValueRange, max: bigint): boolean => r.h <= max;
export const isOverMin = (r: ValueRange, min: bigint): boolean => r.l >= min;

export function rangeToJson(r: ValueRange): { l: string; h: string } {
  return { l: r.l.toString(), h: r.h.toString() };
}

/** Display of ValueRange<Uint128> is its Debug form (it appears in vault's ClaimsLocked error). */
export function rangeDebug(r: ValueRange): string {
  return `ValueRange { low: Uint128(${r.l}), high: Uint128(${r.h}) }`;
}
