// ValueRange ops of spec §4.1 (ms:packages/sync/src/range.rs), incl. the upstream unit-test figures.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  RangeBoundError,
  RangePanic,
  addRange,
  commitAdd,
  commitAddSaturating,
  commitSub,
  commitSubSaturating,
  isOverMin,
  isUnderMax,
  maxRange,
  minRange,
  prepareAdd,
  prepareSub,
  range,
  rangeDebug,
  rangeToJson,
  rangeVal,
  reduceMaxRange,
  rollbackAdd,
  rollbackAddSaturating,
  rollbackSub,
  rollbackSubSaturating,
  subRange,
  sumRanges,
} from './value-range.ts';

const err = (kind: string, msg: string) => (e: unknown) => e instanceof RangeBoundError && e.kind === kind && e.message === msg;
const panic = (msg: string) => (e: unknown) => e instanceof RangePanic && e.payload === msg && e.message === `panicked at '${msg}'`;

describe('ValueRange', () => {
  it('prepare / commit / rollback add', () => {
    const r = prepareAdd(range(80n), 40n);
    assert.deepEqual(r, range(80n, 120n));
    assert.deepEqual(commitAdd(r, 40n), range(120n, 120n));
    assert.deepEqual(rollbackAdd(r, 40n), range(80n, 80n));
    assert.throws(() => prepareAdd(range(5n), 6n, 10n), err('Overflow', 'Overflow maximum value'));
    assert.deepEqual(prepareAdd(range(5n), 5n, 10n), range(5n, 10n)); // h + v == max is fine
  });

  it('prepare / commit / rollback sub', () => {
    const r = prepareSub(range(200n), 100n, 0n);
    assert.deepEqual(r, range(100n, 200n));
    assert.deepEqual(commitSub(r, 100n), range(100n, 100n));
    assert.deepEqual(rollbackSub(r, 100n), range(200n, 200n));
    assert.throws(() => prepareSub(range(5n), 6n, 0n), err('Underflow', 'Underflow minimum value'));
    assert.throws(() => prepareSub(range(15n), 6n, 10n), err('Underflow', 'Underflow minimum value'));
    assert.throws(() => prepareSub(range(5n), 6n), panic('attempt to subtract with overflow'));
  });

  it('add / sub are prepare + commit', () => {
    assert.deepEqual(addRange(range(80n, 120n), 40n), range(120n, 160n));
    assert.deepEqual(subRange(range(100n, 200n), 10n, 0n), range(90n, 190n));
    assert.throws(() => addRange(range(0n), 11n, 10n), err('Overflow', 'Overflow maximum value'));
    assert.throws(() => subRange(range(3n, 9n), 4n, 0n), err('Underflow', 'Underflow minimum value'));
  });

  it('commit/rollback misuse panics like the Rust asserts', () => {
    assert.throws(() => commitAdd(range(10n), 1n), panic('assertion failed: self.low <= self.high'));
    assert.throws(() => rollbackAdd(range(10n), 11n), panic('attempt to subtract with overflow'));
    assert.throws(() => rollbackSub(range(10n), 1n), panic('assertion failed: self.low <= self.high'));
    assert.throws(() => commitSub(range(5n, 10n), 6n), panic('assertion failed: self.low <= self.high'));
  });

  it('saturating variants keep l <= h after a slash', () => {
    // commit_add_saturating: l += v; h = max(h, l)
    assert.deepEqual(commitAddSaturating(range(50n, 60n), 20n), range(70n, 70n));
    assert.deepEqual(commitAddSaturating(range(50n, 90n), 20n), range(70n, 90n));
    // rollback_add_saturating: h -= v; h = max(h, l)
    assert.deepEqual(rollbackAddSaturating(range(50n, 60n), 20n), range(50n, 50n));
    assert.deepEqual(rollbackAddSaturating(range(50n, 90n), 20n), range(50n, 70n));
    assert.throws(() => rollbackAddSaturating(range(0n, 10n), 11n), panic('attempt to subtract with overflow'));
    // rollback_sub_saturating: l = min(l + v, h)
    assert.deepEqual(rollbackSubSaturating(range(50n, 60n), 20n), range(60n, 60n));
    assert.deepEqual(rollbackSubSaturating(range(30n, 60n), 20n), range(50n, 60n));
    // commit_sub_saturating: v > h → h = l, else h -= v
    assert.deepEqual(commitSubSaturating(range(5n, 10n), 11n), range(5n, 5n));
    assert.deepEqual(commitSubSaturating(range(5n, 10n), 5n), range(5n, 5n));
    assert.throws(() => commitSubSaturating(range(5n, 10n), 6n), panic('assertion failed: self.low <= self.high'));
  });

  it('max/min/sum/reduce (upstream sums and min_max tests)', () => {
    const rs = [range(100n), range(0n, 250n), range(200n), range(170n, 380n)];
    assert.deepEqual(sumRanges(rs), range(470n, 930n));
    const rs2 = [range(100n), range(40n, 250n), range(200n), range(170n, 380n)];
    assert.deepEqual(reduceMaxRange(rs2), range(200n, 380n));
    assert.deepEqual(reduceMaxRange([]), range(0n));
    assert.deepEqual(maxRange(range(1n, 9n), range(3n, 4n)), range(3n, 9n));
    assert.deepEqual(minRange(range(1n, 9n), range(3n, 4n)), range(1n, 4n));
  });

  it('val / comparisons / formats', () => {
    assert.equal(rangeVal(range(80n)), 80n);
    assert.throws(() => rangeVal(range(190n, 200n)), err('NotOneValue', 'Range is not one value'));
    const r = range(50n, 80n);
    assert.ok(!isUnderMax(r, 60n) && !isOverMin(r, 60n));
    assert.ok(isUnderMax(r, 81n) && isOverMin(r, 49n));
    assert.deepEqual(rangeToJson(range(150n, 200n)), { l: '150', h: '200' });
    assert.equal(rangeDebug(range(30n)), 'ValueRange { low: Uint128(30), high: Uint128(30) }');
  });

  it('upstream real_world_usage flow', () => {
    let collateral = 10_000n;
    let lien = range(0n);
    lien = prepareAdd(lien, 2_000n, collateral);
    lien = prepareAdd(lien, 5_000n, collateral);
    assert.throws(() => prepareAdd(lien, 3_500n, collateral), err('Overflow', 'Overflow maximum value'));
    lien = commitAdd(lien, 5_000n);
    assert.deepEqual(lien, range(5_000n, 7_000n));
    collateral -= 2_000n;
    lien = prepareSub(lien, 3_000n, 0n);
    assert.throws(() => prepareAdd(lien, 1_500n, collateral), err('Overflow', 'Overflow maximum value'));
  });
});
