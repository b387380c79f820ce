// Release timing of cross-stake unbonding on the provider (spec §4.7; external-staking
// `commit_unstake`, `withdraw_unbonded`, Stake::release_pending). Times are nanoseconds (cosmwasm
// Timestamp), the unbonding period is in seconds.
import { type ValidatorStatus, partitionPoint } from './crdt.ts';
import { type Distribution, type Stake, weightRemoved } from './rewards.ts';
import { commitSub, prepareSub } from './value-range.ts';

export interface PendingUnbond {
  readonly amount: bigint;
  /** Timestamp in nanoseconds; on the wire a string (spec §0.3). */
  readonly releaseAt: bigint;
}

const NS = 1_000_000_000n;

/** release_at of a committed cross unstake: now, if the validator's latest CRDT state is Unbonded or Tombstoned (Jailed is not enough), else now + unbonding period. */
export function unstakeReleaseAt(nowNs: bigint, unbondingPeriodSec: bigint, latest: ValidatorStatus): bigint {
  return latest === 'unbonded' || latest === 'tombstoned' ? nowNs : nowNs + unbondingPeriodSec * NS;
}

/**
 * Success ack of an `unstake` packet: amount = min(tx amount, stake.h) (the stake may have been slashed
 * meanwhile), h −= amount, a pending unbond is queued, the weight leaves the reward distribution.
 */
export function commitUnstake(
  s: Stake,
  d: Distribution,
  txAmount: bigint,
  nowNs: bigint,
  unbondingPeriodSec: bigint,
  latest: ValidatorStatus,
): { stake: Stake; dist: Distribution; unbond: PendingUnbond } {
  const amount = txAmount < s.stake.h ? txAmount : s.stake.h;
  const unbond = { amount, releaseAt: unstakeReleaseAt(nowNs, unbondingPeriodSec, latest) };
  const r = weightRemoved({ ...s, stake: commitSub(s.stake, amount), pendingUnbonds: [...s.pendingUnbonds, unbond] }, d, amount);
  return { ...r, unbond };
}

/**
 * Received `internal_unstake` (zero max cap, spec §2.5): inverted_amount capped at stake.h is removed
 * at once and becomes releasable now. More than the committed (low) stake fails with the range
 * underflow (§7 item 11: error ack, the converter does not unbond).
 */
export function internalUnstake(s: Stake, d: Distribution, invertedAmount: bigint, nowNs: bigint): { stake: Stake; dist: Distribution; amount: bigint } {
  const amount = invertedAmount < s.stake.h ? invertedAmount : s.stake.h;
  const stake = commitSub(prepareSub(s.stake, amount, 0n), amount);
  const r = weightRemoved({ ...s, stake, pendingUnbonds: [...s.pendingUnbonds, { amount, releaseAt: nowNs }] }, d, amount);
  return { ...r, amount };
}

/** Channel CloseInit on the provider (§2.1): the committed (low) stake becomes releasable now, the stake is zeroed. */
export function closeChannelUnbond(s: Stake, d: Distribution, nowNs: bigint): { stake: Stake; dist: Distribution; amount: bigint } {
  const amount = s.stake.l;
  const r = weightRemoved({ ...s, stake: { l: 0n, h: 0n }, pendingUnbonds: [...s.pendingUnbonds, { amount, releaseAt: nowNs }] }, d, amount);
  return { ...r, amount };
}

/**
 * Stake::release_pending: drains the leading entries with release_at ≤ now. The list is assumed
 * time-ordered; when it is not (an immediate unbond queued behind a delayed one), nothing is
 * released until the head matures, and the cut point is Rust's binary-search partition_point.
 */
export function releasePending(pending: readonly PendingUnbond[], nowNs: bigint): { released: bigint; pending: readonly PendingUnbond[] } {
  if (pending.length === 0 || pending[0]!.releaseAt > nowNs) return { released: 0n, pending };
  const idx = partitionPoint(pending, (p) => p.releaseAt <= nowNs);
  const released = pending.slice(0, idx).reduce((a, p) => a + p.amount, 0n);
  return { released, pending: pending.slice(idx) };
}

/** withdraw_unbonded over all of a user's stakes (ascending by validator): total released and the changed stakes. */
export function withdrawUnbonded(stakes: ReadonlyArray<readonly [string, Stake]>, nowNs: bigint): { total: bigint; changed: Array<[string, Stake]> } {
  let total = 0n;
  const changed: Array<[string, Stake]> = [];
  for (const [validator, s] of stakes) {
    const r = releasePending(s.pendingUnbonds, nowNs);
    if (r.released === 0n) continue;
    total += r.released;
    changed.push([validator, { ...s, pendingUnbonds: r.pending }]);
  }
  return { total, changed };
}
