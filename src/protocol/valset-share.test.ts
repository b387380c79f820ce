import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chopPrecisionAndRound, contractSlashShare, formatLegacyDec, legacyQuo, parseLegacyDec } from './valset-share.ts';

const dec = parseLegacyDec;

test('contract share of a slash: V2, V3, V4, V5 (spec §6)', () => {
  // V2: contract 45 shares of 46 (genesis self-bond = 1 share), downtime slash 4 600 000
  assert.equal(contractSlashShare(dec('45'), dec('46'), 4_600_000n), 4_500_000n);
  // V3: 90 of 91, slash 9 100 000
  assert.equal(contractSlashShare(dec('90'), dec('91'), 9_100_000n), 9_000_000n);
  // V4: 67.5 of 68.5, slash 6 800 000 (power 68 × 10^6 × 0.1)
  assert.equal(contractSlashShare(dec('67.5'), dec('68.5'), 6_800_000n), 6_700_730n);
  // V5: double sign with evidence power 100 → slash 10 000 000
  assert.equal(contractSlashShare(dec('45'), dec('46'), 10_000_000n), 9_782_609n);
});

test('no delegation or no validator shares → 0', () => {
  assert.equal(contractSlashShare(0n, dec('46'), 4_600_000n), 0n);
  assert.equal(contractSlashShare(dec('1'), 0n, 4_600_000n), 0n);
  assert.equal(contractSlashShare(dec('45'), dec('46'), 0n), 0n);
});

test('Quo rounds its 18th digit, RoundInt rounds half to even', () => {
  // 45/46 = 0.978260869565217391|304… → 0.978260869565217391
  assert.equal(formatLegacyDec(legacyQuo(dec('45'), dec('46'))), '0.978260869565217391');
  // 2/3 = 0.666…6|66 → rounded up in the 18th digit
  assert.equal(formatLegacyDec(legacyQuo(dec('2'), dec('3'))), '0.666666666666666667');
  // ties: 0.5 → 0, 1.5 → 2, 2.5 → 2
  assert.equal(chopPrecisionAndRound(dec('0.5')), 0n);
  assert.equal(chopPrecisionAndRound(dec('1.5')), 2n);
  assert.equal(chopPrecisionAndRound(dec('2.5')), 2n);
  assert.equal(chopPrecisionAndRound(dec('2.500000000000000001')), 3n);
  assert.equal(contractSlashShare(dec('1'), dec('2'), 1n), 0n); // 0.5 → 0
  assert.equal(contractSlashShare(dec('1'), dec('2'), 3n), 2n); // 1.5 → 2
  assert.equal(contractSlashShare(dec('1'), dec('2'), 5n), 2n); // 2.5 → 2
  // a tie inside Quo: 1e-18 / 2 = 0.5e-18 → 0; 3e-18 / 2 → 2e-18
  assert.equal(legacyQuo(1n, dec('2')), 0n);
  assert.equal(legacyQuo(3n, dec('2')), 2n);
});

test('LegacyDec text round trip', () => {
  assert.equal(formatLegacyDec(dec('0.000000388888888889')), '0.000000388888888889');
  assert.equal(formatLegacyDec(dec('22.5')), '22.500000000000000000');
  assert.equal(formatLegacyDec(dec('-1.25')), '-1.250000000000000000');
  assert.throws(() => dec('1.0000000000000000001'));
});
