import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ContractPanic,
  DEFAULT_STAKE,
  DISTRIBUTION_POINTS_SCALE,
  type Distribution,
  EMPTY_DISTRIBUTION,
  POINTS_ALIGNMENT_OFFSET,
  type Stake,
  alignmentFromWire,
  alignmentToWire,
  calculateReward,
  commitWithdrawn,
  distribute,
  pendingReward,
  weightAdded,
} from './rewards.ts';
import { commitUnstake } from './unbonding.ts';
import { commitAddSaturating, prepareAdd, prepareSub } from './value-range.ts';

/** A tiny model of the contract state: stakes per (user, validator), distributions per validator. */
class Book {
  stakes = new Map<string, Stake>();
  dists = new Map<string, Distribution>();
  private s(u: string, v: string): Stake {
    return this.stakes.get(`${u}/${v}`) ?? DEFAULT_STAKE;
  }
  private d(v: string): Distribution {
    return this.dists.get(v) ?? EMPTY_DISTRIBUTION;
  }
  /** receive_virtual_stake + success ack. */
  stake(u: string, v: string, a: bigint): void {
    const s = this.s(u, v);
    const r = weightAdded({ ...s, stake: commitAddSaturating(prepareAdd(s.stake, a), a) }, this.d(v), a);
    this.stakes.set(`${u}/${v}`, r.stake);
    this.dists.set(v, r.dist);
  }
  /** unstake + success ack. */
  unstake(u: string, v: string, a: bigint): void {
    const s = this.s(u, v);
    const r = commitUnstake({ ...s, stake: prepareSub(s.stake, a) }, this.d(v), a, 0n, 100n, 'active');
    this.stakes.set(`${u}/${v}`, r.stake);
    this.dists.set(v, r.dist);
  }
  distribute(v: string, a: bigint): void {
    this.dists.set(v, distribute(this.d(v), a));
  }
  pending(u: string, v: string): bigint {
    return pendingReward(this.s(u, v), this.d(v));
  }
  /** withdraw_rewards + success ack. */
  withdraw(u: string, v: string): bigint {
    const amount = this.pending(u, v);
    this.stakes.set(`${u}/${v}`, commitWithdrawn(this.s(u, v), amount));
    return amount;
  }
  all(): bigint[] {
    return [this.pending('u1', 'v1'), this.pending('u2', 'v1'), this.pending('u1', 'v2'), this.pending('u2', 'v2')];
  }
}

const setup = (): Book => {
  const b = new Book();
  b.stake('u1', 'v1', 200n);
  b.stake('u1', 'v2', 100n);
  b.stake('u2', 'v1', 300n);
  return b;
};

describe('distribute (spec §4.6)', () => {
  it('scales by 10^9 and keeps the leftover', () => {
    const d = distribute({ totalStake: 3n, pointsPerStake: 0n, pointsLeftover: 0n }, 1n);
    assert.deepEqual(d, { totalStake: 3n, pointsPerStake: 333_333_333n, pointsLeftover: 1n });
    const d2 = distribute(d, 2n);
    assert.deepEqual(d2, { totalStake: 3n, pointsPerStake: 1_000_000_000n, pointsLeftover: 0n });
  });

  it('total_stake 0 is a division by zero (spec §7 item 14)', () => {
    assert.throws(() => distribute(EMPTY_DISTRIBUTION, 10n), (e) => e instanceof ContractPanic && /divide by zero/.test(e.message));
    assert.throws(() => distribute(EMPTY_DISTRIBUTION, 0n), ContractPanic);
  });
});

describe('points alignment', () => {
  it('wire form is offset by U256::MAX >> 1', () => {
    assert.equal(alignmentToWire(0n), '57896044618658097711785492504343953926634992332820282019728792003956564819967');
    assert.equal(alignmentFromWire(alignmentToWire(-42n)), -42n);
    assert.equal(POINTS_ALIGNMENT_OFFSET, 2n ** 255n - 1n);
  });

  it('pending = floor((pps × l + alignment) / 10^9) − withdrawn', () => {
    assert.equal(calculateReward(242_000_000n, 200n, 0n, 0n), 48n);
    assert.equal(calculateReward(282_000_000n, 200n, 100n * 282_000_000n, 72n), 12n);
    assert.equal(DISTRIBUTION_POINTS_SCALE, 1_000_000_000n);
  });

  it('a second committed withdrawal of the same amount underflows (spec §7 item 5)', () => {
    const b = setup();
    b.distribute('v1', 50n);
    const s = b.stakes.get('u1/v1')!;
    const d = b.dists.get('v1')!;
    // Two withdraw_rewards sent before the first ack: both carry the full pending amount.
    const first = pendingReward(s, d);
    const second = pendingReward(s, d);
    assert.equal(first, 20n);
    assert.equal(second, 20n);
    const twice = commitWithdrawn(commitWithdrawn(s, first), second);
    assert.throws(() => pendingReward(twice, d), /attempt to subtract with overflow/);
  });
});

describe('V14 — multitest `distribution`', () => {
  it('reproduces every step', () => {
    const b = setup();
    // 1.
    b.distribute('v1', 50n);
    assert.equal(b.dists.get('v1')!.pointsPerStake, 100_000_000n);
    assert.deepEqual([b.pending('u1', 'v1'), b.pending('u2', 'v1')], [20n, 30n]);
    b.distribute('v2', 30n);
    assert.deepEqual([b.pending('u1', 'v2'), b.pending('u2', 'v2')], [30n, 0n]);
    // 2.
    b.distribute('v1', 71n);
    assert.equal(b.dists.get('v1')!.pointsPerStake, 242_000_000n);
    assert.deepEqual(b.all(), [48n, 72n, 30n, 0n]);
    // 3. withdraw everything
    assert.equal(b.withdraw('u1', 'v1'), 48n);
    assert.equal(b.withdraw('u2', 'v1'), 72n);
    assert.equal(b.withdraw('u1', 'v2'), 30n);
    assert.equal(b.pending('u2', 'v2'), 0n); // NoRewards: no tx
    assert.deepEqual(b.all(), [0n, 0n, 0n, 0n]);
    // 4.
    b.distribute('v1', 9n);
    assert.deepEqual([b.pending('u1', 'v1'), b.pending('u2', 'v1')], [4n, 6n]);
    // 5.
    b.distribute('v1', 11n);
    b.distribute('v2', 11n);
    b.unstake('u2', 'v1', 100n);
    b.stake('u2', 'v2', 300n);
    assert.deepEqual(b.all(), [8n, 12n, 11n, 0n]);
    // 6.
    b.distribute('v1', 20n);
    b.distribute('v2', 40n);
    assert.deepEqual(b.all(), [18n, 22n, 21n, 30n]);
    b.distribute('v1', 5n);
    assert.deepEqual([b.pending('u1', 'v1'), b.pending('u2', 'v1')], [20n, 25n]);
    // 7.
    b.unstake('u1', 'v1', 50n);
    b.unstake('u2', 'v1', 100n);
    b.distribute('v1', 12n);
    assert.deepEqual([b.pending('u1', 'v1'), b.pending('u2', 'v1')], [28n, 29n]);
    // 8. user1 withdraws both (commit); user2's withdrawal is rolled back (no state change)
    b.withdraw('u1', 'v1');
    b.withdraw('u1', 'v2');
    assert.deepEqual(b.all(), [0n, 29n, 0n, 30n]);
    assert.deepEqual(
      ['u1/v1', 'u2/v1', 'u1/v2', 'u2/v2'].map((k) => b.stakes.get(k)!.stake.l),
      [150n, 100n, 100n, 300n],
    );
    // 9.
    b.distribute('v1', 10n);
    b.distribute('v2', 10n);
    assert.deepEqual(b.all(), [6n, 33n, 2n, 37n]);
  });
});

describe('V15 — multitest `batch_distribution`', () => {
  it('batches are per-validator distributions in order', () => {
    const b = setup();
    for (const [v, a] of [['v1', 50n], ['v2', 30n]] as const) b.distribute(v, a);
    assert.deepEqual(b.all(), [20n, 30n, 30n, 0n]);
    for (const [v, a] of [['v1', 100n], ['v2', 30n]] as const) b.distribute(v, a);
    assert.deepEqual(b.all(), [60n, 90n, 60n, 0n]);
  });
});
