// The provider's view of the consumer validator set (spec §4.8; ms:contracts/provider/
// external-staking/src/crdt.rs). Per valoper a history of {pub_key, start_height, start_time, state}
// sorted by start_height descending; the state at height h is the first entry with start_height ≤ h.
// Histories are immutable arrays; every operation returns the new history (or the same one).
import type { AnyEraConsumerPacket } from './codec/packets.ts';

export type ValidatorStatus = 'active' | 'unbonded' | 'jailed' | 'tombstoned' | 'unknown';
export type StoredStatus = Exclude<ValidatorStatus, 'unknown'>;

export interface ValState {
  readonly pubKey: string;
  readonly startHeight: bigint;
  readonly startTime: bigint;
  readonly state: StoredStatus;
}

export type ValidatorHistory = readonly ValState[];

/**
 * Rust `slice::partition_point` (binary search, std 1.52–1.81). For a partitioned slice it is the
 * number of leading elements satisfying `pred`; for an unpartitioned one it reproduces Rust's pick.
 */
export function partitionPoint<T>(arr: readonly T[], pred: (x: T) => boolean): number {
  let size = arr.length;
  let left = 0;
  let right = size;
  while (left < right) {
    const mid = left + Math.floor(size / 2);
    if (pred(arr[mid]!)) left = mid + 1;
    else right = mid;
    size = right - left;
  }
  return left;
}

const sameEntry = (a: ValState, b: ValState): boolean =>
  a.pubKey === b.pubKey && a.startHeight === b.startHeight && a.startTime === b.startTime && a.state === b.state;

/** insert_unique: push, stable sort by start_height desc, drop consecutive duplicates. An entry at an
 *  already used height lands *after* the existing one, so it does not change the state at that height. */
export function insertUnique(h: ValidatorHistory, v: ValState): ValidatorHistory {
  const sorted = [...h, v].sort((a, b) => (a.startHeight > b.startHeight ? -1 : a.startHeight < b.startHeight ? 1 : 0));
  return sorted.filter((e, i) => i === 0 || !sameEntry(sorted[i - 1]!, e));
}

export function queryAtHeight(h: ValidatorHistory, height: bigint): ValState | undefined {
  return h.find((e) => e.startHeight <= height);
}

export const latestStatus = (h: ValidatorHistory | undefined): ValidatorStatus => (h && h.length > 0 ? h[0]!.state : 'unknown');
export const isActive = (h: ValidatorHistory | undefined): boolean => latestStatus(h) === 'active';
export const isTombstoned = (h: ValidatorHistory | undefined): boolean => latestStatus(h) === 'tombstoned';
export const isActiveAtHeight = (h: ValidatorHistory | undefined, height: bigint): boolean => (h ? queryAtHeight(h, height)?.state === 'active' : false);

/** add_validator: Active with the new pub_key, unless tombstoned (tombstoning is final). */
export function addValidator(h: ValidatorHistory, pubKey: string, height: bigint, time: bigint): ValidatorHistory {
  if (isTombstoned(h)) return h;
  return insertUnique(h, { pubKey, startHeight: height, startTime: time, state: 'active' });
}

/** jail / remove / update: ignored for unknown or tombstoned validators, or with no entry at that height. */
function transition(h: ValidatorHistory, height: bigint, time: bigint, f: (old: ValState) => Pick<ValState, 'pubKey' | 'state'>): ValidatorHistory {
  if (h.length === 0 || isTombstoned(h)) return h;
  const old = queryAtHeight(h, height);
  if (!old) return h;
  return insertUnique(h, { ...f(old), startHeight: height, startTime: time });
}

export const jailValidator = (h: ValidatorHistory, height: bigint, time: bigint): ValidatorHistory =>
  transition(h, height, time, (o) => ({ pubKey: o.pubKey, state: 'jailed' }));

export const removeValidator = (h: ValidatorHistory, height: bigint, time: bigint): ValidatorHistory =>
  transition(h, height, time, (o) => ({ pubKey: o.pubKey, state: 'unbonded' }));

/** update_validator: copies the state at that height with the new pub_key. */
export const updateValidator = (h: ValidatorHistory, pubKey: string, height: bigint, time: bigint): ValidatorHistory =>
  transition(h, height, time, (o) => ({ pubKey, state: o.state }));

/** tombstone_validator: drop entries at or above `height`, add Tombstoned (empty pub_key). Also for unknown validators. */
export function tombstoneValidator(h: ValidatorHistory, height: bigint, time: bigint): ValidatorHistory {
  if (isTombstoned(h)) return h;
  let rest = h;
  if (h.length > 0 && h[0]!.startHeight >= height) rest = h.slice(partitionPoint(h, (v) => v.startHeight >= height));
  return insertUnique(rest, { pubKey: '', startHeight: height, startTime: time, state: 'tombstoned' });
}

/** drain_older: keep entries with start_time > cutoff, at least one; histories of ≤ 1 entry are untouched. */
export function drainOlder(h: ValidatorHistory, cutoffSec: bigint): ValidatorHistory {
  if (h.length <= 1) return h;
  const keep = Math.max(1, partitionPoint(h, (v) => v.startTime > cutoffSec));
  return keep === h.length ? h : h.slice(0, keep);
}

// ---- one valset_update packet ---------------------------------------------------------------

export interface AddValidatorInfo {
  valoper: string;
  pubKey: string;
}

export interface SlashedInfo {
  address: string;
  infractionHeight: bigint;
  infractionTime: bigint;
  power: bigint;
  slashAmount: { denom: string; amount: bigint };
  slashRatio: string;
}

export interface ValsetUpdate {
  height: bigint;
  /** Consumer block time, unix seconds. */
  time: bigint;
  additions: readonly AddValidatorInfo[];
  removals: readonly string[];
  updated: readonly AddValidatorInfo[];
  jailed: readonly string[];
  unjailed: readonly string[];
  tombstoned: readonly string[];
  slashed: readonly SlashedInfo[];
}

/** A `valset_update` packet's data in any of its shapes (spec §2.7). */
export type ValsetUpdatePacket = Extract<AnyEraConsumerPacket, { kind: 'valset_update' }>['value'];

/** A `valset_update` packet (spec §2.2) as the CRDT takes it; packets before 2023-12-03 have no `slashed`. */
export function valsetUpdateOf(v: ValsetUpdatePacket): ValsetUpdate {
  return {
    height: v.height,
    time: v.time,
    additions: v.additions.map((a) => ({ valoper: a.valoper, pubKey: a.pub_key })),
    removals: v.removals,
    updated: v.updated.map((a) => ({ valoper: a.valoper, pubKey: a.pub_key })),
    jailed: v.jailed,
    unjailed: v.unjailed,
    tombstoned: v.tombstoned,
    slashed: ('slashed' in v ? v.slashed : []).map((s) => ({
      address: s.address,
      infractionHeight: s.infraction_height,
      infractionTime: s.infraction_time,
      power: s.power,
      slashAmount: s.slash_amount,
      slashRatio: s.slash_ratio,
    })),
  };
}

export interface ValsetStore {
  get(valoper: string): ValidatorHistory | undefined;
  set(valoper: string, h: ValidatorHistory): void;
}

/**
 * Applies one valset_update in the contract's order (spec §4.8): 1 slashed (callback, only if Active
 * at infraction_height), 2 tombstoned, 3 additions, 4 jailed, 5 removals not in jailed, 6 unjailed
 * (no-op), 7 updated, 8 prune every touched validator to entries newer than now − unbonding period.
 * The callback runs before any CRDT change of this packet and may throw to abort the packet.
 */
export function applyValsetUpdate(store: ValsetStore, u: ValsetUpdate, nowSec: bigint, unbondingPeriodSec: bigint, onSlash: (s: SlashedInfo) => void): void {
  const touched = new Set<string>();
  const change = (valoper: string, f: (h: ValidatorHistory) => ValidatorHistory, createIfMissing: boolean): void => {
    touched.add(valoper);
    const h = store.get(valoper);
    if (!h && !createIfMissing) return;
    const n = f(h ?? []);
    if (n !== h) store.set(valoper, n);
  };
  for (const s of u.slashed) {
    if (isActiveAtHeight(store.get(s.address), s.infractionHeight)) onSlash(s);
    touched.add(s.address);
  }
  for (const v of u.tombstoned) change(v, (h) => tombstoneValidator(h, u.height, u.time), true);
  for (const a of u.additions) change(a.valoper, (h) => addValidator(h, a.pubKey, u.height, u.time), true);
  for (const v of u.jailed) change(v, (h) => jailValidator(h, u.height, u.time), false);
  const jailed = new Set(u.jailed);
  for (const v of new Set(u.removals)) if (!jailed.has(v)) change(v, (h) => removeValidator(h, u.height, u.time), false);
  for (const a of u.updated) change(a.valoper, (h) => updateValidator(h, a.pubKey, u.height, u.time), false);
  const cutoff = nowSec > unbondingPeriodSec ? nowSec - unbondingPeriodSec : 0n;
  for (const v of touched) {
    const h = store.get(v);
    if (h) {
      const n = drainOlder(h, cutoff);
      if (n !== h) store.set(v, n);
    }
  }
}

/** Attributes of the `wasm-valset_update` event: each list only if non-empty, valopers joined with ",". */
export function valsetUpdateAttributes(u: ValsetUpdate): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (k: string, vs: readonly string[]): void => {
    if (vs.length > 0) out.push([k, vs.join(',')]);
  };
  add('additions', u.additions.map((a) => a.valoper));
  add('removals', u.removals);
  add('updated', u.updated.map((a) => a.valoper));
  add('jailed', u.jailed);
  add('unjailed', u.unjailed);
  add('tombstoned', u.tombstoned);
  add('slashed', u.slashed.map((s) => s.address));
  return out;
}
