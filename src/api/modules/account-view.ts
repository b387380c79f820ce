// The staker view assembled from account snapshots (account-snapshot.ts), without I/O: positions
// grouped per vault, each lien holder's kind, and the claimable rewards computed exactly as the
// external-staking contract answers `pending_rewards` (spec §4.6).
import { calculateReward } from '../../protocol/rewards.ts';
import type { ChainSnapshot, CrossStakeRow, LienRow, LocalStakeRow, PendingTxRow, UnbondingRow, VaultRow } from './account-snapshot.ts';

export type LienholderKind = 'LOCAL' | 'EXTERNAL' | 'UNKNOWN';

export interface RewardView {
  chainId: string;
  externalStaking: string;
  validator: string;
  pairingId: string | null;
  /** The contract's pending_rewards answer; null when that query fails (then `error` says why). */
  amount: bigint | null;
  error: string | null;
  denom: string | null;
  /** withdraw_rewards still in flight for this validator (spec §7 Q5: the contract does not subtract them). */
  withdrawing: bigint;
}

export interface CrossStakeView extends CrossStakeRow {
  chainId: string;
  reward: RewardView;
  pendingUnbondings: UnbondingView[];
  pendingTxs: PendingTxRow[];
}

export interface LienView extends LienRow {
  chainId: string;
  kind: LienholderKind;
  pendingTxs: PendingTxRow[];
}

export interface UnbondingView extends UnbondingRow {
  chainId: string;
  /** Pending and due by the chain's last indexed block time (withdraw_unbonded would release it, spec §4.7). */
  releasable: boolean;
}

export interface VaultView extends VaultRow {
  chainId: string;
  indexedHeight: number;
  liens: LienView[];
  crossStakes: CrossStakeView[];
  localStakes: Array<LocalStakeRow & { chainId: string }>;
  unbondings: UnbondingView[];
  rewards: RewardView[];
  pendingTxs: Array<PendingTxRow & { chainId: string }>;
}

export interface ChainView {
  chainId: string;
  indexedHeight: number;
  indexedTime: Date | null;
  vaults: VaultView[];
  crossStakes: CrossStakeView[];
  localStakes: Array<LocalStakeRow & { chainId: string }>;
  unbondings: UnbondingView[];
  rewards: RewardView[];
  pendingTxs: Array<PendingTxRow & { chainId: string }>;
}

/** spec §4.6: floor((pps × stake.l + alignment) / 10^9) − withdrawn_funds, failing where the contract fails. */
export function rewardOf(chainId: string, s: CrossStakeRow, withdrawing: bigint): RewardView {
  let amount: bigint | null = null;
  let error: string | null = null;
  try {
    amount = calculateReward(s.distribution.pointsPerStake, s.stake.low, s.pointsAlignment, s.withdrawnFunds);
  } catch (e) {
    error = (e as Error).message;
  }
  return { chainId, externalStaking: s.externalStaking, validator: s.validator, pairingId: s.pairingId, amount, error, denom: s.rewardsDenom, withdrawing };
}

export function lienholderKind(l: LienRow): LienholderKind {
  if (l.holderKind === 'native_staking') return 'LOCAL';
  if (l.holderKind === 'external_staking' || l.pairingId !== null) return 'EXTERNAL';
  return 'UNKNOWN';
}

export const isReleasable = (u: Pick<UnbondingRow, 'state' | 'releaseAt'>, indexedTime: Date | null): boolean =>
  u.state === 'pending' && indexedTime !== null && u.releaseAt.getTime() <= indexedTime.getTime();

const tag = <T>(chainId: string, rows: T[]): Array<T & { chainId: string }> => rows.map((r) => ({ ...r, chainId }));

/** One chain's positions of the address, grouped per vault by the vault's lien holders. */
export function chainView(s: ChainSnapshot): ChainView {
  const { chainId } = s;
  const withdrawing = new Map<string, bigint>();
  for (const t of s.pendingTxs) {
    if (t.kind !== 'in_flight_transfer_funds' || t.validator === null) continue;
    const k = `${t.contract}/${t.validator}`;
    withdrawing.set(k, (withdrawing.get(k) ?? 0n) + t.amount);
  }
  const unbondings: UnbondingView[] = s.unbondings.map((u) => ({ ...u, chainId, releasable: isReleasable(u, s.indexedTime) }));
  const crossStakes: CrossStakeView[] = s.crossStakes.map((c) => ({
    ...c,
    chainId,
    reward: rewardOf(chainId, c, withdrawing.get(`${c.externalStaking}/${c.validator}`) ?? 0n),
    pendingUnbondings: unbondings.filter((u) => u.contract === c.externalStaking && u.validator === c.validator),
    pendingTxs: s.pendingTxs.filter((t) => t.contract === c.externalStaking && t.validator === c.validator),
  }));
  const localStakes = tag(chainId, s.localStakes);
  const pendingTxs = tag(chainId, s.pendingTxs);
  const vaults = s.vaults.map((v): VaultView => {
    // The contract deletes a lien at zero (spec §4.2); the indexer keeps the row for history.
    const liens: LienView[] = s.liens
      .filter((l) => l.vault === v.vault && (l.amount.low !== 0n || l.amount.high !== 0n))
      .map((l) => ({ ...l, chainId, kind: lienholderKind(l), pendingTxs: s.pendingTxs.filter((t) => t.contract === v.vault && t.lienholder === l.lienholder) }));
    // A vault owns the stakes of its lien holders, zero liens included (rewards outlive the lien).
    // With one vault on the chain (every deployment so far) everything on the chain is its own.
    const holders = new Set(s.liens.filter((l) => l.vault === v.vault).map((l) => l.lienholder));
    const mine = (contract: string) => s.vaults.length === 1 || holders.has(contract);
    const localHolder = liens.some((l) => l.kind === 'LOCAL');
    const stakes = crossStakes.filter((c) => mine(c.externalStaking));
    return {
      ...v,
      chainId,
      indexedHeight: s.indexedHeight,
      liens,
      crossStakes: stakes,
      // an unknown native-staking address ('') belongs to the vault with a local lien
      localStakes: localStakes.filter((l) => mine(l.nativeStaking) || (l.nativeStaking === '' && localHolder)),
      unbondings: unbondings.filter((u) => mine(u.contract)),
      rewards: stakes.map((c) => c.reward),
      pendingTxs: pendingTxs.filter((t) => t.contract === v.vault || mine(t.contract)),
    };
  });
  return { chainId, indexedHeight: s.indexedHeight, indexedTime: s.indexedTime, vaults, crossStakes, localStakes, unbondings, rewards: crossStakes.map((c) => c.reward), pendingTxs };
}
