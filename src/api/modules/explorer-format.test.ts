// parseJsonExact keeps u64 integers beyond 2^53 exact (as strings) and leaves everything else as JSON.parse does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonExact } from './explorer-format.ts';

test('u64 tx ids ≥ 2^53 come back as exact decimal strings; safe numbers, decimals and strings are untouched', () => {
  assert.deepEqual(parseJsonExact('{"unstake":{"tx_id":9223372036854775808,"unstake":{"amount":"12345678901234567890"}}}'), {
    unstake: { tx_id: '9223372036854775808', unstake: { amount: '12345678901234567890' } },
  });
  assert.deepEqual(parseJsonExact('[1, -9007199254740993, 9007199254740991, 0.12345678901234567891, 1e5, "a\\"9223372036854775808"]'), [
    1,
    '-9007199254740993',
    9007199254740991,
    0.12345678901234568,
    100000,
    'a"9223372036854775808',
  ]);
});
