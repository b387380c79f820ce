// The staker view's assembly without a database: claimable rewards as spec §4.6 computes them (and
// fails where the contract fails), lien holder kinds, and which vault owns which stakes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DISTRIBUTION_POINTS_SCALE } from '../../protocol/rewards.ts';
import type { ChainSnapshot, CrossStakeRow, LienRow } from './account-snapshot.ts';
import { chainView, lienholderKind, rewardOf } from './account-view.ts';

const time = new Date('2026-01-01T00:00:00Z');
const range = (low: bigint, high = low) => ({ low, high });

function cross(externalStaking: string, validator: string, over: Partial<CrossStakeRow> = {}): CrossStakeRow {
  return {
    externalStaking,
    validator,
    pairingId: null,
    consumerChainId: null,
    stake: range(0n),
    pointsAlignment: 0n,
    withdrawnFunds: 0n,
    distribution: { totalStake: 0n, pointsPerStake: 0n, pointsLeftover: 0n },
    rewardsDenom: 'ujuno',
    height: 1,
    time,
    ...over,
  };
}

function lien(vault: string, lienholder: string, holderKind: string | null, amount = range(10n)): LienRow {
  return { vault, lienholder, holderKind, pairingId: null, consumerChainId: null, amount, slashable: '0.1', height: 1, time };
}

test('claimable rewards: floor((pps × stake.low + alignment) / 10^9) − withdrawn, the contract\'s errors as errors', () => {
  // spec §6 V14 step 2 (derived check): pps 2.42 × 10^8 on a stake of 200 → 48
  const pps = 242_000_000n;
  const s = cross('es', 'v1', { stake: range(200n, 260n), distribution: { totalStake: 500n, pointsPerStake: pps, pointsLeftover: 0n } });
  assert.deepEqual(rewardOf('p', s, 0n), { chainId: 'p', externalStaking: 'es', validator: 'v1', pairingId: null, amount: 48n, error: null, denom: 'ujuno', withdrawing: 0n });
  // stake added after 10^8 points per stake: the alignment takes those points away (spec §4.6)
  const aligned = { ...s, pointsAlignment: -(100n * 100_000_000n) };
  assert.equal(rewardOf('p', aligned, 0n).amount, (pps * 200n - 100n * 100_000_000n) / DISTRIBUTION_POINTS_SCALE);
  // two withdrawals committed for the same rewards (spec §7 Q5): the contract's subtraction underflows
  const raced = rewardOf('p', { ...s, withdrawnFunds: 96n }, 48n);
  assert.equal(raced.amount, null);
  assert.match(raced.error!, /attempt to subtract with overflow/);
  assert.equal(raced.withdrawing, 48n);
});

test('lien holders: native staking is local, an external staking or a pairing external, anything else unknown', () => {
  assert.equal(lienholderKind(lien('vault', 'ns', 'native_staking')), 'LOCAL');
  assert.equal(lienholderKind(lien('vault', 'es', 'external_staking')), 'EXTERNAL');
  assert.equal(lienholderKind({ ...lien('vault', 'es', null), pairingId: 'p/es' }), 'EXTERNAL');
  assert.equal(lienholderKind(lien('vault', 'x', 'price_feed')), 'UNKNOWN');
});

test('two vaults on a chain: each owns the stakes of its own lien holders, zero liens included', () => {
  const snapshot: ChainSnapshot = {
    address: 'alice',
    chainId: 'p',
    indexedHeight: 10,
    indexedTime: time,
    seen: true,
    vaults: ['vaultA', 'vaultB'].map((vault) => ({ vault, collateral: 100n, maxLien: range(10n), totalSlashable: range(1n), free: range(90n), height: 1, time })),
    liens: [lien('vaultA', 'esA', 'external_staking'), lien('vaultA', 'nsA', 'native_staking'), lien('vaultB', 'esB', 'external_staking', range(0n))],
    crossStakes: [cross('esA', 'v1'), cross('esB', 'v2')],
    localStakes: [{ nativeStaking: 'nsA', proxy: 'proxy', validator: 'val0', amount: 5n, height: 1, time }],
    unbondings: [
      { id: 'u1', contract: 'esB', validator: 'v2', amount: 3n, releaseAt: new Date('2025-12-31T00:00:00Z'), kind: 'cross', state: 'pending', height: 1, time, txHash: null, releasedHeight: null, releasedTxHash: null },
      { id: 'u2', contract: 'esA', validator: 'v1', amount: 4n, releaseAt: new Date('2026-02-01T00:00:00Z'), kind: 'cross', state: 'pending', height: 2, time, txHash: null, releasedHeight: null, releasedTxHash: null },
    ],
    pendingTxs: [
      { contract: 'esA', txId: 9n, kind: 'in_flight_transfer_funds', amount: 7n, validator: 'v1', lienholder: null, status: 'pending', createdHeight: 9, createdTime: time, createdTxHash: null },
      { contract: 'vaultB', txId: 2n, kind: 'in_flight_staking', amount: 1n, validator: 'v2', lienholder: 'esB', status: 'pending', createdHeight: 9, createdTime: time, createdTxHash: null },
    ],
  };
  const v = chainView(snapshot);
  const [a, b] = v.vaults;
  assert.deepEqual(a!.liens.map((l) => [l.lienholder, l.kind]), [['esA', 'EXTERNAL'], ['nsA', 'LOCAL']]);
  assert.deepEqual(a!.crossStakes.map((c) => c.validator), ['v1']);
  assert.deepEqual(a!.localStakes.map((l) => l.validator), ['val0']);
  assert.deepEqual(a!.unbondings.map((u) => [u.id, u.releasable]), [['u2', false]]);
  assert.deepEqual(a!.rewards.map((r) => [r.validator, r.withdrawing]), [['v1', 7n]]);
  assert.deepEqual(a!.pendingTxs.map((t) => t.txId), [9n]);
  // vault B's lien is zero (the contract deleted it), yet its stake, due unbonding and pending tx are B's
  assert.deepEqual(b!.liens, []);
  assert.deepEqual(b!.crossStakes.map((c) => c.validator), ['v2']);
  assert.deepEqual(b!.unbondings.map((u) => [u.id, u.releasable]), [['u1', true]]);
  assert.deepEqual(b!.pendingTxs.map((t) => t.txId), [2n]);
  assert.deepEqual(b!.localStakes, []);
  // the chain-wide lists hold everything once
  assert.equal(v.crossStakes.length, 2);
  assert.equal(v.unbondings.length, 2);
});
