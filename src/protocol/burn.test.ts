// distribute_burn with the V21 vectors (spec §6) and the upstream unit tests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { distributeBurn } from './burn.ts';
import { DivideByZeroError } from './uint.ts';

const d = (...xs: Array<[string, number]>): Array<[string, bigint]> => xs.map(([v, a]) => [v, BigInt(a)]);
const b = (...xs: Array<[string, number]>) => xs.map(([validator, a]) => ({ validator, amount: BigInt(a) }));

describe('distributeBurn (V21)', () => {
  it('[(v1,100),(v2,200),(v3,300)], 100 → 34/33/33', () => {
    const r = distributeBurn(d(['v1', 100], ['v2', 200], ['v3', 300]), 100n);
    assert.equal(r.burned, 100n);
    assert.deepEqual(r.burns, b(['v1', 34], ['v2', 33], ['v3', 33]));
  });

  it('one validator', () => {
    const r = distributeBurn(d(['v1', 100]), 100n);
    assert.equal(r.burned, 100n);
    assert.deepEqual(r.burns, b(['v1', 100]));
  });

  it('[(v1,100),(v2,1)], 101 → 100/1', () => {
    const r = distributeBurn(d(['v1', 100], ['v2', 1]), 101n);
    assert.equal(r.burned, 101n);
    assert.deepEqual(r.burns, b(['v1', 100], ['v2', 1]));
  });

  it('[(v1,100),(v2,1)], 102 → only 52 burned', () => {
    const r = distributeBurn(d(['v1', 100], ['v2', 1]), 102n);
    assert.equal(r.burned, 52n);
    assert.deepEqual(r.burns, b(['v1', 51], ['v2', 1]));
  });

  it('[(29),(30),(31),(1)], 91 → only 67 burned (22/22/22/1)', () => {
    const r = distributeBurn(d(['v1', 29], ['v2', 30], ['v3', 31], ['v4', 1]), 91n);
    assert.equal(r.burned, 67n);
    assert.deepEqual(r.burns, b(['v1', 22], ['v2', 22], ['v3', 22], ['v4', 1]));
  });

  it('zero-delegation validators are skipped; empty input panics', () => {
    const r = distributeBurn(d(['v1', 0], ['v2', 10]), 4n);
    assert.deepEqual(r.burns, b(['v2', 4]));
    assert.equal(r.burned, 4n);
    assert.throws(() => distributeBurn([], 1n), DivideByZeroError);
  });
});
