// x/bank balances (kept per denom, then address): reads at a past height, AllBalances in denom order
// with denoms created later absent, and a failed send of a denom nobody holds leaving nothing behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Journal } from '../state/journal.ts';
import { Bank } from './bank.ts';
import { ModuleError } from './types.ts';
import { acc } from './modules.testkit.ts';

test('balances per denom: past heights, AllBalances order, and a failed send of an unheld denom', () => {
  const j = new Journal();
  const bank = new Bank(j);
  const [alice, bob] = [acc('alice'), acc('bob')];
  bank.fund(alice, { denom: 'ustake', amount: 100n });
  j.commitBlock(1n);
  bank.fund(alice, { denom: 'uatom', amount: 7n });
  bank.send(alice, bob, [{ denom: 'ustake', amount: 40n }]);
  j.commitBlock(2n);

  assert.deepEqual(bank.allBalances(alice), [
    { denom: 'uatom', amount: 7n },
    { denom: 'ustake', amount: 60n },
  ]);
  assert.deepEqual(bank.allBalances(bob), [{ denom: 'ustake', amount: 40n }]);
  // after block 1 the uatom map did not hold anything yet, and the send had not happened
  assert.deepEqual(
    j.readAt(1n, () => bank.allBalances(alice)),
    [{ denom: 'ustake', amount: 100n }],
  );
  assert.equal(j.readAt(1n, () => bank.balance(bob, 'ustake')), 0n);
  assert.equal(bank.totalSupply('ustake'), 100n);

  // a denom nobody holds: insufficient funds, and no empty map left for it
  const before = bank.allBalances(bob);
  assert.throws(
    () => j.atomic(() => bank.send(bob, alice, [{ denom: 'unone', amount: 1n }])),
    (e: unknown) => e instanceof ModuleError && e.code === 5 && e.message.includes('spendable balance 0unone is smaller than 1unone'),
  );
  assert.deepEqual(bank.allBalances(bob), before);
  assert.equal((bank as unknown as { balances: Map<string, unknown> }).balances.has('unone'), false);
});
