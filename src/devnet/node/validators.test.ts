// The CometBFT view of a bonded set: CometBFT's order (power descending, then address ascending),
// zero power left out, deterministic ed25519 keys whose addresses are SHA-256 of the key, and
// signatures that verify with the key the set publishes.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import { signAs } from '../chain/consensus-key.ts';
import { cometSet, cometValidator } from './validators.ts';

test('cometSet orders by power descending, ties by address ascending, and leaves out zero power', () => {
  const vals = ['a', 'b', 'c', 'd', 'e'].map((operator, i) => ({ operator, power: [5n, 9n, 5n, 0n, 5n][i]! }));
  const set = cometSet('chain-1', vals);
  assert.deepEqual(
    set.map((v) => v.power),
    [9n, 5n, 5n, 5n],
  );
  const tied = set.slice(1).map((v) => v.address);
  assert.deepEqual(tied, [...tied].sort(), 'equal powers in address order');
  assert.equal(new Set(tied).size, 3);
  assert.ok(!set.some((v) => v.operator === 'd'));
});

test('consensus keys are deterministic ed25519 keys; the address is SHA-256 of the key; signatures verify', () => {
  const v = cometValidator('chain-1', 'valoper1x', 10n);
  assert.deepEqual(cometValidator('chain-1', 'valoper1x', 3n).pubKey, v.pubKey, 'same chain and operator, same key');
  assert.notDeepEqual(cometValidator('chain-2', 'valoper1x', 10n).pubKey, v.pubKey);
  assert.equal(v.pubKey.length, 32);
  assert.equal(v.address, createHash('sha256').update(v.pubKey).digest('hex').slice(0, 40).toUpperCase());
  const msg = new TextEncoder().encode('vote');
  const sig = signAs(v.address, msg);
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), v.pubKey]), format: 'der', type: 'spki' });
  assert.equal(sig.length, 64);
  assert.ok(verify(null, msg, key, sig));
  assert.ok(!verify(null, new TextEncoder().encode('other'), key, sig));
  assert.throws(() => signAs('00'.repeat(20), msg), /no consensus key for validator/);
});
