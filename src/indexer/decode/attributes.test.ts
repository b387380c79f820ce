import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attr, attrs, contractAddress, DecodeError, parseAmount, parseCoin, parseCoins, requireAmount, requireAttr, requireCoin, splitList } from './attributes.ts';

const ev = (type: string, ...kv: Array<[string, string]>) => ({ type, attributes: kv.map(([key, value]) => ({ key, value })) });

test('attributes by key: first value wins, missing ones throw a DecodeError naming event and key', () => {
  const e = ev('wasm', ['_contract_address', 'osmo1vault'], ['action', 'stake_remote'], ['amount', '100'], ['action', 'dup'], ['msg_index', '0']);
  assert.deepEqual([...attrs(e)], [
    ['_contract_address', 'osmo1vault'],
    ['action', 'stake_remote'],
    ['amount', '100'],
    ['msg_index', '0'],
  ]);
  assert.equal(attr(e, 'action'), 'stake_remote');
  assert.equal(attr(e, 'tx_id'), undefined);
  assert.equal(requireAttr(e, 'amount'), '100');
  assert.equal(contractAddress(e), 'osmo1vault');
  assert.equal(contractAddress(ev('message', ['module', 'wasm'])), undefined);
  assert.throws(
    () => requireAttr(e, 'tx_id'),
    (err: unknown) => err instanceof DecodeError && err.eventType === 'wasm' && err.key === 'tx_id' && /wasm event has no "tx_id"/.test(err.message),
  );
  assert.equal(requireAmount(e, 'amount'), 100n);
  assert.throws(() => requireAmount(e, 'action'), /wasm\.action is not an unsigned integer/);
});

test('lists split with "," and ", " alike (spec §1.0)', () => {
  // vault cross_slash users (", ") and converter valset_update jailed (",")
  assert.deepEqual(splitList('osmo1a, osmo1b, osmo1c'), ['osmo1a', 'osmo1b', 'osmo1c']);
  assert.deepEqual(splitList('osmovaloper1x,osmovaloper1y'), ['osmovaloper1x', 'osmovaloper1y']);
  assert.deepEqual(splitList('osmovaloper1x'), ['osmovaloper1x']);
  assert.deepEqual(splitList(''), []);
  assert.deepEqual(splitList(undefined), []);
});

test('coin strings: one coin, several, ibc and factory denoms; anything else is a DecodeError', () => {
  assert.deepEqual(parseCoin('100uosmo'), { amount: 100n, denom: 'uosmo' });
  assert.deepEqual(parseCoin('340282366920938463463374607431768211455stake'), { amount: 2n ** 128n - 1n, denom: 'stake' });
  assert.deepEqual(parseCoins('100uatom,5ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2,7factory/osmo1x/sub.denom-1'), [
    { amount: 100n, denom: 'uatom' },
    { amount: 5n, denom: 'ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2' },
    { amount: 7n, denom: 'factory/osmo1x/sub.denom-1' },
  ]);
  // converter valset_update amounts: "4500000stake" items joined with ","
  assert.deepEqual(parseCoins('4500000stake,10stake'), [
    { amount: 4_500_000n, denom: 'stake' },
    { amount: 10n, denom: 'stake' },
  ]);
  assert.deepEqual(parseCoins(''), []);
  for (const bad of ['', 'uosmo', '100', '1.5uosmo', '-1uosmo', '100 uosmo', '1u']) assert.throws(() => parseCoin(bad), DecodeError, bad);
  assert.equal(parseAmount('0'), 0n);
  assert.throws(() => parseAmount('1e3'), DecodeError);
  assert.deepEqual(requireCoin(ev('burn_virtual_stake', ['amount', '2uosmo']), 'amount'), { amount: 2n, denom: 'uosmo' });
  assert.throws(() => requireCoin(ev('x', ['amount', '2']), 'amount'), /x\.amount is not a coin: "2"/);
});
