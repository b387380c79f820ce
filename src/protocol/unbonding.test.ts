import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_STAKE, EMPTY_DISTRIBUTION, type Stake } from './rewards.ts';
import { EXTERNAL_STAKING_FIRST_TX_ID, nextExternalStakingTxId, nextVaultTxId, txIdIssuer, u64Json } from './tx-ids.ts';
import { closeChannelUnbond, commitUnstake, internalUnstake, releasePending, unstakeReleaseAt, withdrawUnbonded } from './unbonding.ts';
import { RangeBoundError, range } from './value-range.ts';

const NS = 1_000_000_000n;
const NOW = 1_700_000_000n * NS;
const PERIOD = 1_814_400n;
const stake = (l: bigint, h = l, pendingUnbonds: Stake['pendingUnbonds'] = []): Stake => ({ ...DEFAULT_STAKE, stake: range(l, h), pendingUnbonds });
const dist = (totalStake: bigint) => ({ ...EMPTY_DISTRIBUTION, totalStake });

describe('release timing (spec §4.7)', () => {
  it('unstake ack: now + unbonding period, or now if the latest state is Unbonded/Tombstoned', () => {
    assert.equal(unstakeReleaseAt(NOW, PERIOD, 'active'), NOW + PERIOD * NS);
    assert.equal(unstakeReleaseAt(NOW, PERIOD, 'jailed'), NOW + PERIOD * NS); // jailed is not enough
    assert.equal(unstakeReleaseAt(NOW, PERIOD, 'unknown'), NOW + PERIOD * NS);
    assert.equal(unstakeReleaseAt(NOW, PERIOD, 'unbonded'), NOW);
    assert.equal(unstakeReleaseAt(NOW, PERIOD, 'tombstoned'), NOW);
  });

  it('commit_unstake: amount = min(tx amount, stake.h), V1 step 6 (80M − 30M)', () => {
    const r = commitUnstake(stake(50_000_000n, 80_000_000n), dist(80_000_000n), 30_000_000n, NOW, PERIOD, 'active');
    assert.deepEqual(r.stake.stake, range(50_000_000n));
    assert.deepEqual(r.stake.pendingUnbonds, [{ amount: 30_000_000n, releaseAt: NOW + PERIOD * NS }]);
    assert.equal(r.dist.totalStake, 50_000_000n);
    // slashed meanwhile: only what is left of h
    const s = commitUnstake(stake(0n, 20n), dist(20n), 30n, NOW, PERIOD, 'active');
    assert.equal(s.unbond.amount, 20n);
    assert.deepEqual(s.stake.stake, range(0n));
  });

  it('internal unstake: capped at stake.h, releasable now; more than low fails', () => {
    const r = internalUnstake(stake(50n), dist(50n), 49n, NOW);
    assert.deepEqual([r.amount, r.stake.stake, r.stake.pendingUnbonds], [49n, range(1n), [{ amount: 49n, releaseAt: NOW }]]);
    assert.equal(internalUnstake(stake(50n), dist(50n), 70n, NOW).amount, 50n);
    assert.throws(() => internalUnstake(stake(40n, 50n), dist(40n), 70n, NOW), RangeBoundError); // §7 item 11
  });

  it('channel close: the low stake becomes releasable now, stake zeroed', () => {
    const r = closeChannelUnbond(stake(40n, 50n), dist(40n), NOW);
    assert.deepEqual([r.amount, r.stake.stake, r.stake.pendingUnbonds, r.dist.totalStake], [40n, range(0n), [{ amount: 40n, releaseAt: NOW }], 0n]);
  });

  it('withdraw_unbonded releases release_at ≤ now across validators', () => {
    const p = [
      { amount: 10n, releaseAt: NOW - 1n },
      { amount: 20n, releaseAt: NOW },
      { amount: 30n, releaseAt: NOW + 1n },
    ];
    assert.deepEqual(releasePending(p, NOW), { released: 30n, pending: [p[2]] });
    const r = withdrawUnbonded(
      [
        ['v1', stake(0n, 0n, p)],
        ['v2', stake(0n, 0n, [{ amount: 5n, releaseAt: NOW + 1n }])],
        ['v3', stake(0n, 0n, [{ amount: 7n, releaseAt: 0n }])],
      ],
      NOW,
    );
    assert.equal(r.total, 37n);
    assert.deepEqual(r.changed.map(([v]) => v), ['v1', 'v3']);
  });

  it('an immediate unbond queued behind a delayed one waits for the head (list assumed time-ordered)', () => {
    const p = [
      { amount: 10n, releaseAt: NOW + PERIOD * NS },
      { amount: 20n, releaseAt: NOW },
    ];
    assert.equal(releasePending(p, NOW).released, 0n);
    assert.equal(releasePending(p, NOW + PERIOD * NS).released, 30n);
  });
});

describe('tx ids (spec §4.9)', () => {
  it('vault from 1, external-staking from 2^63', () => {
    assert.equal(nextVaultTxId(undefined), 1n);
    assert.equal(nextVaultTxId(1n), 2n);
    assert.equal(nextExternalStakingTxId(undefined), 9223372036854775808n);
    assert.equal(nextExternalStakingTxId(EXTERNAL_STAKING_FIRST_TX_ID), 9223372036854775809n);
    assert.equal(txIdIssuer(3n), 'vault');
    assert.equal(txIdIssuer(2n ** 63n), 'external-staking');
    assert.equal(u64Json(5n), 5);
    assert.equal(u64Json(2n ** 63n), 2n ** 63n);
  });
});
