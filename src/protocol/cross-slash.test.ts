import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveSlashRatio, handleSlashing, slashPendingUnbonds, slashStakeRange } from './cross-slash.ts';
import { Decimal } from './decimal.ts';
import { ContractPanic, DEFAULT_STAKE, type Stake, alignmentToWire, pendingReward } from './rewards.ts';
import { range } from './value-range.ts';

const NS = 1_000_000_000n;
const stake = (l: bigint, h = l, pendingUnbonds: Stake['pendingUnbonds'] = []): Stake => ({ ...DEFAULT_STAKE, stake: range(l, h), pendingUnbonds });
const base = { nominalRatio: Decimal.parse('0.1'), infractionTimeSec: 0n, nowNs: 1_000n * NS, unbondingPeriodSec: 100n };

describe('effective slash ratio (spec §4.3.2)', () => {
  it('V2: 9 999 999 of 100 000 000 → 0.09999999 → user slash 9 999 999', () => {
    const eff = effectiveSlashRatio(9_999_999n, 100_000_000n);
    assert.equal(eff.toString(), '0.09999999');
    assert.equal(slashStakeRange(range(100_000_000n), eff).slash, 9_999_999n);
  });

  it('V4: 14 890 511 of 150 000 000 → 0.099270073333333333 (truncated) → 14 890 510', () => {
    const eff = effectiveSlashRatio(14_890_511n, 150_000_000n);
    assert.equal(eff.toString(), '0.099270073333333333');
    assert.equal(slashStakeRange(range(150_000_000n), eff).slash, 14_890_510n);
  });

  it('V5: 21 739 131 of 100 000 000 → 21 739 131', () => {
    assert.equal(slashStakeRange(range(100_000_000n), effectiveSlashRatio(21_739_131n, 100_000_000n)).slash, 21_739_131n);
  });

  it('Σ stake.h = 0 panics (spec §7 item 14)', () => {
    assert.throws(() => effectiveSlashRatio(10n, 0n), (e) => e instanceof ContractPanic && /Denominator must not be zero/.test(e.message));
  });

  it('low saturates, high is cut', () => {
    assert.deepEqual(slashStakeRange(range(0n, 100n), Decimal.parse('0.1')), { slash: 10n, stake: range(0n, 90n) });
    assert.deepEqual(slashStakeRange(range(50n, 100n), Decimal.parse('0.1')), { slash: 10n, stake: range(40n, 90n) });
  });
});

describe('pending unbonds', () => {
  it('cuts unmatured unbonds whose start is after the infraction time, by the nominal ratio', () => {
    const now = 1_000n * NS;
    const pending = [
      { amount: 100n, releaseAt: 900n * NS }, // matured: kept
      { amount: 100n, releaseAt: 1_050n * NS }, // started at 950 s > 0: cut 10
      { amount: 55n, releaseAt: 1_100n * NS }, // cut floor(5.5) = 5
    ];
    const r = slashPendingUnbonds(pending, now, Decimal.parse('0.1'), 100n, 0n);
    assert.equal(r.slashed, 15n);
    assert.deepEqual(r.pending.map((p) => p.amount), [100n, 90n, 50n]);
    // infraction after the unbond started: not cut
    assert.equal(slashPendingUnbonds(pending, now, Decimal.parse('0.1'), 100n, 950n).slashed, 5n);
  });
});

describe('handle_slashing', () => {
  it('no stakers → no vault message', () => {
    assert.equal(handleSlashing({ ...base, users: [], dist: { totalStake: 0n, pointsPerStake: 0n, pointsLeftover: 0n }, slashAmount: 10n }), undefined);
  });

  it('all stakers with stake.h = 0 → division by zero (spec §7 item 14)', () => {
    assert.throws(
      () => handleSlashing({ ...base, users: [{ user: 'a', stake: stake(0n) }], dist: { totalStake: 0n, pointsPerStake: 0n, pointsLeftover: 0n }, slashAmount: 10n }),
      ContractPanic,
    );
  });

  it('spreads the slash by stake.h, lowers total_stake, keeps earned rewards, adds pending cuts', () => {
    const dist = { totalStake: 500n, pointsPerStake: 100_000_000n, pointsLeftover: 0n };
    const users = [
      { user: 'u1', stake: stake(200n) },
      { user: 'u0', stake: stake(0n) },
      { user: 'u2', stake: stake(300n, 300n, [{ amount: 100n, releaseAt: 1_050n * NS }]) },
    ];
    const before = users.map((u) => pendingReward(u.stake, dist));
    const r = handleSlashing({ ...base, users, dist, slashAmount: 50n })!;
    assert.equal(r.eff.toString(), '0.1');
    assert.deepEqual(r.slashes, [{ user: 'u1', slash: 20n }, { user: 'u2', slash: 40n }]);
    assert.deepEqual(r.stakes.map((s) => [s.user, s.stake.stake]), [['u1', range(180n)], ['u2', range(270n)]]);
    assert.equal(r.dist.totalStake, 450n);
    assert.equal(r.stakes[1]!.stake.pendingUnbonds[0]!.amount, 90n);
    // rewards earned before the slash are kept (alignment += s × pps)
    assert.deepEqual([pendingReward(r.stakes[0]!.stake, r.dist), pendingReward(r.stakes[1]!.stake, r.dist)], [before[0], before[2]]);
    assert.equal(alignmentToWire(r.stakes[0]!.stake.pointsAlignment), (2n ** 255n - 1n + 20n * 100_000_000n).toString());
  });

  it('pending stake (l < h) is slashed by h, low saturating (contract unit test)', () => {
    const r = handleSlashing({ ...base, users: [{ user: 'u', stake: stake(0n, 100n) }], dist: { totalStake: 0n, pointsPerStake: 0n, pointsLeftover: 0n }, slashAmount: 10n })!;
    assert.deepEqual(r.slashes, [{ user: 'u', slash: 10n }]);
    assert.deepEqual(r.stakes[0]!.stake.stake, range(0n, 90n));
    assert.equal(r.dist.totalStake, 0n); // saturating
  });
});
