// Reward points of external-staking (spec §4.6; ms:contracts/provider/external-staking/src/
// {contract,state,points_alignment}.rs). Per validator a Distribution {total_stake, points_per_stake,
// points_leftover}; per (user, validator) a signed points alignment and the withdrawn amount.
// Pure functions on immutable values, shared by the devnet contract and the indexer.
import type { PendingUnbond } from './unbonding.ts';
import { ContractPanic, UINT128_MAX, UINT256_MAX } from './uint.ts';
import { type ValueRange, ZERO_RANGE } from './value-range.ts';

export const DISTRIBUTION_POINTS_SCALE = 1_000_000_000n;
/** PointsAlignment is a Uint256 shifted by U256::MAX >> 1, so the stored default means 0. */
export const POINTS_ALIGNMENT_OFFSET = UINT256_MAX >> 1n;

export { ContractPanic } from './uint.ts';

export interface Distribution {
  readonly totalStake: bigint;
  readonly pointsPerStake: bigint;
  readonly pointsLeftover: bigint;
}

export const EMPTY_DISTRIBUTION: Distribution = { totalStake: 0n, pointsPerStake: 0n, pointsLeftover: 0n };

/** One (user, validator) stake record (`state.rs` Stake). `pointsAlignment` is the signed value. */
export interface Stake {
  readonly stake: ValueRange;
  readonly pendingUnbonds: readonly PendingUnbond[];
  readonly pointsAlignment: bigint;
  readonly withdrawnFunds: bigint;
}

export const DEFAULT_STAKE: Stake = { stake: ZERO_RANGE, pendingUnbonds: [], pointsAlignment: 0n, withdrawnFunds: 0n };

const u256 = (v: bigint, op: 'add' | 'subtract' | 'multiply'): bigint => {
  if (v < 0n || v > UINT256_MAX) throw new ContractPanic(`attempt to ${op} with overflow`);
  return v;
};
const u128 = (v: bigint, op: 'add' | 'subtract'): bigint => {
  if (v < 0n || v > UINT128_MAX) throw new ContractPanic(`attempt to ${op} with overflow`);
  return v;
};

/**
 * distribute_rewards_unchecked: P = R × 10^9 + leftover; pps += P / total; leftover = P mod total.
 * total_stake = 0 is an integer division by zero: the contract aborts (spec §7 item 14).
 */
export function distribute(d: Distribution, amount: bigint): Distribution {
  const points = amount * DISTRIBUTION_POINTS_SCALE + d.pointsLeftover;
  if (d.totalStake === 0n) throw new ContractPanic('attempt to divide by zero');
  const inc = points / d.totalStake;
  return { totalStake: d.totalStake, pointsPerStake: u256(d.pointsPerStake + inc, 'add'), pointsLeftover: points - inc * d.totalStake };
}

/** PointsAlignment::stake_increased: alignment −= amount × pps (new stake must not earn old points). */
export function stakeIncreased(alignment: bigint, amount: bigint, pps: bigint): bigint {
  const a = alignment - amount * pps;
  u256(a + POINTS_ALIGNMENT_OFFSET, 'subtract');
  return a;
}

/** PointsAlignment::stake_decreased: alignment += amount × pps (removed stake keeps its earned points). */
export function stakeDecreased(alignment: bigint, amount: bigint, pps: bigint): bigint {
  const a = alignment + amount * pps;
  u256(a + POINTS_ALIGNMENT_OFFSET, 'add');
  return a;
}

/** The wire form of PointsAlignment: the shifted Uint256 as a decimal string. */
export const alignmentToWire = (a: bigint): string => (a + POINTS_ALIGNMENT_OFFSET).toString();
export const alignmentFromWire = (s: string): bigint => BigInt(s) - POINTS_ALIGNMENT_OFFSET;

/**
 * calculate_reward: floor((pps × stake.l + alignment) / 10^9) − withdrawn_funds. Only the committed
 * (low) stake earns. In-flight transfer_rewards are NOT subtracted (spec §7 item 5): after two
 * withdrawals of the same amount both commit, and the subtraction underflows (a contract panic).
 */
export function calculateReward(pps: bigint, stakeLow: bigint, alignment: bigint, withdrawnFunds: bigint): bigint {
  const points = u256(pps * stakeLow, 'multiply');
  const aligned = points + alignment;
  if (aligned < 0n) throw new ContractPanic('attempt to subtract with overflow');
  const total = aligned / DISTRIBUTION_POINTS_SCALE;
  // Uint128::try_from → ContractError::Conversion (a returned error, not a panic).
  if (total > UINT128_MAX) throw new Error('Error converting Uint256 to Uint128');
  if (total < withdrawnFunds) throw new ContractPanic('attempt to subtract with overflow');
  return total - withdrawnFunds;
}

export const pendingReward = (s: Stake, d: Distribution): bigint => calculateReward(d.pointsPerStake, s.stake.l, s.pointsAlignment, s.withdrawnFunds);

// ---- stake-weight changes: alignment and the validator's total_stake move together ----------

/** Stake weight added (commit of a stake): alignment and `total_stake += amount`. */
export function weightAdded(s: Stake, d: Distribution, amount: bigint): { stake: Stake; dist: Distribution } {
  return {
    stake: { ...s, pointsAlignment: stakeIncreased(s.pointsAlignment, amount, d.pointsPerStake) },
    dist: { ...d, totalStake: u128(d.totalStake + amount, 'add') },
  };
}

/**
 * Stake weight removed (commit of an unstake, burn, slash, internal unstake, channel close).
 * `saturating` mirrors the places where the contract uses saturating_sub (slashing) instead of `-=`.
 */
export function weightRemoved(s: Stake, d: Distribution, amount: bigint, saturating = false): { stake: Stake; dist: Distribution } {
  const total = d.totalStake - amount;
  return {
    stake: { ...s, pointsAlignment: stakeDecreased(s.pointsAlignment, amount, d.pointsPerStake) },
    dist: { ...d, totalStake: saturating ? (total < 0n ? 0n : total) : u128(total, 'subtract') },
  };
}

/** commit_withdraw_rewards: withdrawn_funds += amount (only on the success ack). */
export function commitWithdrawn(s: Stake, amount: bigint): Stake {
  return { ...s, withdrawnFunds: u128(s.withdrawnFunds + amount, 'add') };
}
