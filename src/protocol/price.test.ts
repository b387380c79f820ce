import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from './decimal.ts';
import { INVALID_DISCOUNT, INVALID_PRICE, PriceError, invertAmount, normalizeAmount, priceAdjustment } from './price.ts';

const d = (s: string) => Decimal.parse(s);
// SDK e2e setup (spec §6): price 0.5, discount 0.1.
const e2e = { price: d('0.5'), adj: priceAdjustment(d('0.1')) };

test('adjustment = 1 − discount; discount ≥ 1 is InvalidDiscount', () => {
  assert.equal(e2e.adj.toString(), '0.9');
  assert.equal(priceAdjustment(d('0.4')).toString(), '0.6');
  assert.equal(priceAdjustment(d('0')).toString(), '1');
  assert.throws(() => priceAdjustment(d('1')), new PriceError(INVALID_DISCOUNT));
  assert.throws(() => priceAdjustment(d('1.5')), new PriceError(INVALID_DISCOUNT));
});

test('normalize (provider → consumer): spec §4.4 examples, V1, V2, V8, V19', () => {
  assert.equal(normalizeAmount(80_000_000n, e2e.price, e2e.adj), 36_000_000n); // V1
  assert.equal(normalizeAmount(30_000_000n, e2e.price, e2e.adj), 13_500_000n); // V1 unstake: 36M − 13.5M = 22.5M
  assert.equal(normalizeAmount(100_000_000n, e2e.price, e2e.adj), 45_000_000n); // V2 val1
  assert.equal(normalizeAmount(50_000_000n, e2e.price, e2e.adj), 22_500_000n); // V2 val2, V8 val1
  assert.equal(normalizeAmount(20_000_000n, e2e.price, e2e.adj), 9_000_000n); // V8 val2
  assert.equal(normalizeAmount(150_000_000n, e2e.price, e2e.adj), 67_500_000n); // V4
  // V19: price 0.5, discount 0.4
  const adj = priceAdjustment(d('0.4'));
  assert.equal(normalizeAmount(1000n, d('0.5'), adj), 300n);
  assert.equal(normalizeAmount(4000n, d('0.5'), adj), 1200n);
  assert.equal(normalizeAmount(2000n, d('0.5'), adj), 600n);
  // each step floors: 3 × 0.5 = 1 (floor), 1 × 0.9 = 0
  assert.equal(normalizeAmount(3n, e2e.price, e2e.adj), 0n);
  assert.equal(normalizeAmount(5n, e2e.price, e2e.adj), 1n);
});

test('invert (consumer → provider) truncates inv() and floors each step: loses a unit', () => {
  assert.equal(d('0.9').inv()!.toString(), '1.111111111111111111');
  assert.equal(invertAmount(22_500_000n, e2e.price, e2e.adj), 49_999_999n); // V8 val1
  assert.equal(invertAmount(9_000_000n, e2e.price, e2e.adj), 19_999_999n); // V8 val2, V3
  assert.equal(invertAmount(4_500_000n, e2e.price, e2e.adj), 9_999_999n); // V2
  assert.equal(invertAmount(6_700_730n, e2e.price, e2e.adj), 14_890_511n); // V4
  assert.equal(invertAmount(9_782_609n, e2e.price, e2e.adj), 21_739_131n); // V5
  assert.equal(invertAmount(0n, e2e.price, e2e.adj), 0n);
  // adj = 1 → inv exact; price 2 → inv 0.5
  assert.equal(invertAmount(7n, d('2'), Decimal.one), 3n);
});

test('invert: zero price is InvalidPrice', () => {
  assert.throws(() => invertAmount(1n, d('0'), e2e.adj), new PriceError(INVALID_PRICE));
});

test('round trip provider → consumer → provider is not the identity', () => {
  const consumer = normalizeAmount(50_000_000n, e2e.price, e2e.adj);
  assert.equal(invertAmount(consumer, e2e.price, e2e.adj), 49_999_999n);
});
