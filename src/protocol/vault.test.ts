// Vault accounting (spec §4.2, §4.3.3) against the §6 vectors V2–V5, V9 and a hand-computed case B.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from './decimal.ts';
import { RangeBoundError, range } from './value-range.ts';
import {
  type Account,
  VaultError,
  bond,
  commitStake,
  emptyAccount,
  freeCollateral,
  lienOf,
  release,
  rollbackStake,
  slash,
  stakeLocal,
  stakeRemote,
  unbond,
} from './vault.ts';

const LOCAL = 'local';
const CROSS = 'xcross';
const M = 1_000_000n;

/** bond, stake_local, then stake_remote + commit for each remote amount (all on one cross lien). */
function setup(collateral: bigint, local: bigint, remote: bigint[], ratio: Decimal): Account {
  let a: Account = emptyAccount();
  a = { ...a, user: bond(a.user, collateral) };
  if (local > 0n) a = stakeLocal(a, LOCAL, local, ratio);
  for (const r of remote) a = commitStake(stakeRemote(a, CROSS, r, ratio), CROSS, r);
  return a;
}

function figures(a: Account) {
  return {
    collateral: a.user.collateral,
    maxLien: a.user.maxLien.l,
    totalSlashable: a.user.totalSlashable.l,
    free: freeCollateral(a.user).l,
  };
}

const amt = (a: Account, h: string) => lienOf(a, h)?.amount;

describe('vault accounting', () => {
  it('stake / commit / rollback / release keep the ranges', () => {
    const r = Decimal.percent(10);
    let a = setup(200n, 0n, [], r);
    a = stakeRemote(a, CROSS, 100n, r);
    assert.deepEqual(amt(a, CROSS), range(0n, 100n));
    assert.deepEqual(a.user.maxLien, range(0n, 100n));
    assert.deepEqual(a.user.totalSlashable, range(0n, 10n));
    assert.deepEqual(freeCollateral(a.user), range(100n, 200n));
    const rolled = rollbackStake(a, CROSS, 100n, r);
    assert.equal(lienOf(rolled, CROSS), undefined, 'lien removed at h = 0');
    assert.deepEqual(rolled.user.maxLien, range(0n));
    assert.deepEqual(rolled.user.totalSlashable, range(0n));
    a = commitStake(a, CROSS, 100n);
    assert.deepEqual(a.user.totalSlashable, range(10n));
    a = release(a, CROSS, 40n);
    assert.deepEqual(amt(a, CROSS), range(60n));
    assert.deepEqual(a.user.totalSlashable, range(6n));
    assert.equal(a.user.collateral, 200n, 'release does not touch collateral');
    assert.equal(lienOf(release(a, CROSS, 60n), CROSS), undefined);
    assert.throws(() => release(a, CROSS, 61n), (e) => e instanceof VaultError && e.message === "The lienholder doesn't have enough claims for the action");
    assert.throws(() => release(a, 'nobody', 1n), (e) => e instanceof VaultError && e.message === "The lienholder doesn't have any claims");
  });

  it('stake checks collateral (InsufficentBalance) and keeps the original lien ratio', () => {
    let a = setup(100n, 0n, [], Decimal.percent(20));
    assert.throws(() => stakeLocal(a, LOCAL, 101n, Decimal.percent(20)), (e) => e instanceof VaultError && e.message === "The address doesn't have sufficient balance for this operation");
    a = stakeLocal(a, LOCAL, 50n, Decimal.percent(20));
    a = stakeLocal(a, LOCAL, 50n, Decimal.percent(90)); // ratio ignored for an existing lien
    assert.equal(lienOf(a, LOCAL)?.slashable.toString(), '0.2');
    assert.deepEqual(a.user.totalSlashable, range(20n));
    // total slashable above collateral is rejected even if every lien fits
    let b = setup(100n, 0n, [], Decimal.percent(60));
    b = stakeLocal(b, 'a', 100n, Decimal.percent(60));
    assert.throws(() => stakeLocal(b, 'b', 100n, Decimal.percent(60)), /sufficient balance/);
  });

  it('unbond needs free.l (ClaimsLocked shows the range Debug form)', () => {
    const a = setup(200n, 190n, [], Decimal.percent(10));
    assert.equal(unbond(a.user, 10n).collateral, 190n);
    assert.throws(
      () => unbond(a.user, 11n),
      (e) => e instanceof VaultError && e.message === 'Claim is locked, only ValueRange { low: Uint128(10), high: Uint128(10) } can be unbonded',
    );
  });

  describe('V9 vault multitest cross_slash scenarios (ratios 10%)', () => {
    const r = Decimal.percent(10);
    it('scenario 1: slash 10 covered by free collateral', () => {
      const a = setup(200n, 190n, [100n, 50n], r);
      assert.deepEqual(figures(a), { collateral: 200n, maxLien: 190n, totalSlashable: 34n, free: 10n });
      const s = slash(a, CROSS, 10n, 'v1');
      assert.equal(s.propagation, undefined);
      assert.deepEqual(s.burns, []);
      assert.deepEqual(amt(s.account, CROSS), range(140n));
      assert.deepEqual(amt(s.account, LOCAL), range(190n));
      assert.deepEqual(figures(s.account), { collateral: 190n, maxLien: 190n, totalSlashable: 33n, free: 0n });
    });
    it('scenario 2: no free collateral → liens 180/180', () => {
      const a = setup(200n, 200n, [200n], r);
      assert.deepEqual(figures(a), { collateral: 200n, maxLien: 200n, totalSlashable: 40n, free: 0n });
      const s = slash(a, CROSS, 20n, 'v1');
      assert.equal(s.propagation, 'A');
      assert.deepEqual(s.burns, [{ holder: LOCAL, amount: 20n }]);
      assert.deepEqual(amt(s.account, CROSS), range(180n));
      assert.deepEqual(amt(s.account, LOCAL), range(180n));
      assert.deepEqual(figures(s.account), { collateral: 180n, maxLien: 180n, totalSlashable: 36n, free: 0n });
    });
    it('scenario 3: some free collateral → total_slashable 33 (incremental flooring)', () => {
      const a = setup(200n, 190n, [150n], r);
      assert.deepEqual(figures(a), { collateral: 200n, maxLien: 190n, totalSlashable: 34n, free: 10n });
      const s = slash(a, CROSS, 15n, 'v1');
      assert.equal(s.claimed, 5n);
      assert.deepEqual(s.burns, [{ holder: LOCAL, amount: 5n }]);
      assert.deepEqual(amt(s.account, CROSS), range(135n));
      assert.deepEqual(amt(s.account, LOCAL), range(185n));
      assert.deepEqual(figures(s.account), { collateral: 185n, maxLien: 185n, totalSlashable: 33n, free: 0n });
    });
  });

  describe('SDK e2e vault figures (ratios 0.20) for the provider slash amounts of §6', () => {
    const r = Decimal.parse('0.20');
    it('V2: slash 9 999 999 → 190 000 001 / 190M / 66 000 001 / free 1', () => {
      const a = setup(200n * M, 190n * M, [100n * M, 50n * M], r);
      assert.deepEqual(figures(a), { collateral: 200n * M, maxLien: 190n * M, totalSlashable: 68n * M, free: 10n * M });
      const s = slash(a, CROSS, 9_999_999n, 'val1');
      assert.deepEqual(s.burns, []);
      assert.deepEqual(figures(s.account), { collateral: 190_000_001n, maxLien: 190n * M, totalSlashable: 66_000_001n, free: 1n });
    });
    it('V3: slash 19 999 999 with liens 200M/200M → case A', () => {
      const a = setup(200n * M, 200n * M, [200n * M], r);
      assert.deepEqual(figures(a), { collateral: 200n * M, maxLien: 200n * M, totalSlashable: 80n * M, free: 0n });
      const s = slash(a, CROSS, 19_999_999n, 'val1');
      assert.equal(s.propagation, 'A');
      assert.equal(s.claimed, 19_999_999n);
      assert.deepEqual(s.burns, [{ holder: LOCAL, amount: 19_999_999n }]);
      assert.deepEqual(amt(s.account, LOCAL), range(180_000_001n));
      assert.deepEqual(figures(s.account), { collateral: 180_000_001n, maxLien: 180_000_001n, totalSlashable: 72_000_002n, free: 0n });
    });
    it('V4: slash 14 890 510 with 10M free → claimed 4 890 510', () => {
      const a = setup(200n * M, 190n * M, [150n * M], r);
      const s = slash(a, CROSS, 14_890_510n, 'val1');
      assert.equal(s.claimed, 4_890_510n);
      assert.deepEqual(amt(s.account, LOCAL), range(185_109_490n));
      assert.deepEqual(figures(s.account), { collateral: 185_109_490n, maxLien: 185_109_490n, totalSlashable: 64_043_796n, free: 0n });
    });
    it('V5: tombstone slash 21 739 131 → claimed 11 739 131', () => {
      const a = setup(200n * M, 190n * M, [100n * M, 50n * M], r);
      const s = slash(a, CROSS, 21_739_131n, 'val1');
      assert.equal(s.claimed, 11_739_131n);
      assert.deepEqual(s.burns, [{ holder: LOCAL, amount: 11_739_131n }]);
      assert.deepEqual(figures(s.account), { collateral: 178_260_869n, maxLien: 178_260_869n, totalSlashable: 61_304_348n, free: 0n });
    });
    it('V6: local slash 10M (100M on val1 + 50M on val2) → no propagation', () => {
      const a = setup(200n * M, 150n * M, [], r);
      assert.deepEqual(figures(a), { collateral: 200n * M, maxLien: 150n * M, totalSlashable: 30n * M, free: 50n * M });
      const s = slash(a, LOCAL, 10n * M, 'val1');
      assert.deepEqual(s.burns, []);
      assert.deepEqual(figures(s.account), { collateral: 190n * M, maxLien: 140n * M, totalSlashable: 28n * M, free: 50n * M });
    });
    it('V7: local slash 10M then release 9 999 999', () => {
      let a = setup(200n * M, 100n * M, [], r);
      a = slash(a, LOCAL, 10n * M, 'val0').account;
      assert.deepEqual(figures(a), { collateral: 190n * M, maxLien: 90n * M, totalSlashable: 18n * M, free: 100n * M });
      a = release(a, LOCAL, 9_999_999n);
      assert.deepEqual(figures(a), { collateral: 190n * M, maxLien: 80_000_001n, totalSlashable: 16_000_001n, free: 109_999_999n });
    });
  });

  it('case B (total slashable adjustment), hand-computed', () => {
    // collateral 100; three liens of 60 at 0.5 → total_slashable 90 > max_lien 60, free 10.
    const half = Decimal.percent(50);
    let a = setup(100n, 0n, [], half);
    for (const h of ['a', 'b', 'c']) a = stakeLocal(a, h, 60n, half);
    assert.deepEqual(figures(a), { collateral: 100n, maxLien: 60n, totalSlashable: 90n, free: 10n });
    // slash 30 on 'a': a 60→30, ts 90−15 = 75, free (old collateral) 100−75 = 25 < 30 → claimed 5;
    // Σ slashable 1.5, inv 0.666666666666666666, cut = ceil(5 × inv) = ceil(3.33…) = 4 from every lien,
    // ts −= 3 × floor(4 × 0.5) = 6 → 69; collateral 70; max_lien 56; free 70 − 69 = 1.
    const s = slash(a, 'a', 30n, 'val9');
    assert.equal(s.propagation, 'B');
    assert.equal(s.claimed, 5n);
    assert.deepEqual(s.burns, [
      { holder: 'a', amount: 4n, validator: 'val9' },
      { holder: 'b', amount: 4n },
      { holder: 'c', amount: 4n },
    ]);
    assert.deepEqual(amt(s.account, 'a'), range(26n));
    assert.deepEqual(amt(s.account, 'b'), range(56n));
    assert.deepEqual(figures(s.account), { collateral: 70n, maxLien: 56n, totalSlashable: 69n, free: 1n });
  });

  it('slash above the lien and case-B cuts above a lien are RangeErrors (Underflow)', () => {
    const r = Decimal.percent(80);
    let a = setup(100n, 0n, [], r);
    a = stakeLocal(a, 'a', 60n, r);
    a = stakeLocal(a, 'b', 60n, r);
    a = stakeLocal(a, 'c', 2n, r);
    assert.deepEqual(figures(a), { collateral: 100n, maxLien: 60n, totalSlashable: 97n, free: 3n });
    const underflow = (e: unknown) => e instanceof RangeBoundError && e.message === 'Underflow minimum value';
    assert.throws(() => slash(a, 'a', 61n, 'v'), underflow);
    // slash 40 on a: ts 97 − 32 = 65 > max 60, free 35 → claimed 5, cut ceil(5 × 0.416…) = 3 > lien c (2)
    assert.throws(() => slash(a, 'a', 40n, 'v'), underflow);
  });
});
