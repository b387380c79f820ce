// Transaction ids of the two-phase cross-chain operations (spec §4.9). The vault counts from 1; the
// external-staking contract counts from (u64::MAX >> 1) + 1 = 2^63 so the ranges never overlap.
// Both travel as JSON numbers (u64), so ids ≥ 2^53 must be kept as bigint on the wire.
import { UINT64_MAX } from './uint.ts';

export const VAULT_FIRST_TX_ID = 1n;
export const EXTERNAL_STAKING_FIRST_TX_ID = (UINT64_MAX >> 1n) + 1n; // 9223372036854775808

/** vault `next_tx_id`: tx_count (default 0) + 1. */
export function nextVaultTxId(last: bigint | undefined): bigint {
  return (last ?? 0n) + 1n;
}

/** external-staking `next_tx_id`: tx_count (default u64::MAX >> 1) + 1. */
export function nextExternalStakingTxId(last: bigint | undefined): bigint {
  return (last ?? UINT64_MAX >> 1n) + 1n;
}

/** Which contract issued an id (stake packets carry vault ids, unstake/transfer_rewards carry ours). */
export function txIdIssuer(id: bigint): 'vault' | 'external-staking' {
  return id >= EXTERNAL_STAKING_FIRST_TX_ID ? 'external-staking' : 'vault';
}

/** u64 as a JSON number value: number while exact, bigint above 2^53 (spec §0.3). */
export function u64Json(n: bigint): number | bigint {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}
