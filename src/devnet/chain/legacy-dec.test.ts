import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LegacyDec, dec } from './legacy-dec.ts';

test('parse and format in Go layout', () => {
  assert.equal(dec('0.1').toString(), '0.100000000000000000');
  assert.equal(dec('5').toString(), '5.000000000000000000');
  assert.equal(dec('-1.5').toString(), '-1.500000000000000000');
  assert.equal(dec('0.000000000000000001').toString(), '0.000000000000000001');
  assert.equal(dec('123456789.123456789123456789').toString(), '123456789.123456789123456789');
  assert.equal(LegacyDec.ZERO.toString(), '0.000000000000000000');
  assert.equal(LegacyDec.fromInt(46_000_000n).toString(), '46000000.000000000000000000');
  assert.equal(JSON.stringify({ r: dec('0.2') }), '{"r":"0.200000000000000000"}');
  assert.equal(dec('007.50').toString(), '7.500000000000000000');
});

test('parse rejects what NewDecFromStr rejects', () => {
  assert.throws(() => dec(''), /cannot be empty/);
  assert.throws(() => dec('-'), /cannot be empty/);
  assert.throws(() => dec('.5'), /invalid decimal length/);
  assert.throws(() => dec('5.'), /invalid decimal length/);
  assert.throws(() => dec('1.2.3'), /invalid decimal string/);
  assert.throws(() => dec('0.0000000000000000001'), /exceeds max precision by 1 decimal places/);
  assert.throws(() => dec('1e5'), /base 10/);
  assert.throws(() => dec('1'.repeat(100)), /out of range/);
});

test('mul rounds half to even, mulTruncate truncates', () => {
  const tiny = dec('0.000000000000000001');
  // 1e-18 × 0.5 = 5e-19 → ties to even 0; 3e-18 × 0.5 = 1.5e-18 → 2e-18
  assert.equal(tiny.mul(dec('0.5')).toString(), '0.000000000000000000');
  assert.equal(dec('0.000000000000000003').mul(dec('0.5')).toString(), '0.000000000000000002');
  assert.equal(dec('0.000000000000000001').mul(dec('0.6')).toString(), '0.000000000000000001');
  assert.equal(dec('0.000000000000000001').mulTruncate(dec('0.9')).toString(), '0.000000000000000000');
  assert.equal(dec('0.000000000000000001').mulRoundUp(dec('0.1')).toString(), '0.000000000000000001');
  assert.equal(dec('-0.000000000000000003').mul(dec('0.5')).toString(), '-0.000000000000000002');
  assert.equal(dec('1.5').mulInt(3n).toString(), '4.500000000000000000');
});

test('quo rounds, quoTruncate / quoInt truncate', () => {
  assert.equal(dec('2').quo(dec('3')).toString(), '0.666666666666666667');
  assert.equal(dec('2').quoTruncate(dec('3')).toString(), '0.666666666666666666');
  assert.equal(dec('2').quoRoundUp(dec('3')).toString(), '0.666666666666666667');
  assert.equal(dec('1').quoRoundUp(dec('3')).toString(), '0.333333333333333334');
  assert.equal(dec('2').quoInt(3n).toString(), '0.666666666666666666');
  assert.equal(dec('-2').quo(dec('3')).toString(), '-0.666666666666666667');
  assert.equal(dec('-2').quoTruncate(dec('3')).toString(), '-0.666666666666666666');
  assert.throws(() => dec('1').quo(LegacyDec.ZERO), /division by zero/);
});

test('truncateInt and banker roundInt', () => {
  assert.equal(dec('2.5').roundInt(), 2n);
  assert.equal(dec('3.5').roundInt(), 4n);
  assert.equal(dec('3.4999').roundInt(), 3n);
  assert.equal(dec('-2.5').roundInt(), -2n);
  assert.equal(dec('-3.5').roundInt(), -4n);
  assert.equal(dec('9.99').truncateInt(), 9n);
  assert.equal(dec('-9.99').truncateInt(), -9n);
  assert.equal(dec('9.01').ceilInt(), 10n);
  assert.equal(dec('9').ceilInt(), 9n);
});

test('add, sub, cmp', () => {
  assert.equal(dec('45').sub(dec('44.999999611111111111')).toString(), '0.000000388888888889');
  assert.equal(dec('0.1').add(dec('0.2')).toString(), '0.300000000000000000');
  assert.equal(dec('1').cmp(dec('2')), -1);
  assert.equal(dec('2').cmp(dec('2.000')), 0);
  assert.ok(dec('2').gt(dec('1.999999999999999999')));
  assert.equal(LegacyDec.min(dec('1'), dec('2')).toString(), '1.000000000000000000');
  assert.equal(LegacyDec.withPrec(1, 1).toString(), '0.100000000000000000');
});

test('SDK slash amount: tokens × fraction, truncated', () => {
  // V5: power 100 × 10^6 × 0.1
  assert.equal(LegacyDec.fromInt(100_000_000n).mul(dec('0.1')).truncateInt(), 10_000_000n);
  // V2: power 46
  assert.equal(LegacyDec.fromInt(46_000_000n).mul(dec('0.1')).truncateInt(), 4_600_000n);
});
