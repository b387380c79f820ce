import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { intArg } from './cli-args.ts';

test('intArg accepts a whole number in range and names what it expected otherwise', () => {
  const port = intArg('a port number 0–65535', 0, 65535);
  assert.equal(port('0'), 0);
  assert.equal(port(' 26657 '), 26657);
  assert.equal(port('65535'), 65535);
  for (const bad of ['', ' ', '-1', '65536', '1.5', '1e3x', 'abc']) {
    assert.throws(() => port(bad), (e: unknown) => e instanceof InvalidArgumentError && e.message === 'expected a port number 0–65535', bad);
  }
  assert.throws(() => intArg('a block count ≥ 100', 100)('99'), /expected a block count ≥ 100/);
  assert.equal(intArg('a non-negative integer')(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
});
