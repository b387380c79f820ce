import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Journal } from '../state/journal.ts';
import { Bank } from './bank.ts';
import { Distribution } from './distribution.ts';
import { LegacyDec, dec } from './legacy-dec.ts';
import { Staking } from './staking.ts';
import { type Event, ModuleError } from './types.ts';
import { acc, attrs, PREFIX, T0, valoper } from './modules.testkit.ts';


function setup() {
  const journal = new Journal();
  const bank = new Bank(journal);
  const staking = new Staking(journal, bank, { bondDenom: 'stake', prefix: PREFIX, unbondingTimeSec: 100n, maxValidators: 10 });
  // before genesis, so it sees the genesis hooks
  const distr = new Distribution(journal, bank, staking);
  const valA = valoper('a');
  staking.initGenesisValidator({ operator: valA, delegator: acc('g'), tokens: 1_000_000n, shares: LegacyDec.ONE });
  /** Puts `amount` in the module account and allocates it to `op`. */
  const reward = (op: string, amount: bigint): Event[] => {
    bank.fund(distr.moduleAddress, { denom: 'stake', amount });
    return distr.allocate(op, amount);
  };
  /** Module balance = Σ outstanding + community pool, exactly. */
  const checkBooks = (): void => {
    const owed = staking
      .validators()
      .reduce((s, v) => s.add(distr.outstanding(v.operator)), distr.communityPool());
    assert.equal(LegacyDec.fromInt(bank.balance(distr.moduleAddress, 'stake')).toString(), owed.toString());
  };
  return { journal, bank, staking, distr, valA, reward, checkBooks };
}

function delegator(bank: Bank, staking: Staking, name: string, op: string, amount: bigint): string {
  const a = acc(name);
  bank.fund(a, { denom: 'stake', amount });
  staking.delegate(a, op, amount);
  return a;
}

test('rewards split by shares; withdraw pays and emits withdraw_rewards', () => {
  const { bank, staking, distr, valA, reward, checkBooks } = setup();
  const x = delegator(bank, staking, 'x', valA, 3_000_000n); // 3 shares next to genesis' 1
  const ev = reward(valA, 1_000n);
  assert.deepEqual(ev.map(attrs), [
    { amount: '', validator: valA },
    { amount: '1000.000000000000000000stake', validator: valA },
  ]);
  assert.equal(distr.pending(x, valA), 750n);
  assert.equal(distr.pending(acc('g'), valA), 250n);

  const w = distr.withdraw(x, valA);
  assert.equal(w.amount, 750n);
  assert.deepEqual(
    w.events.map((e) => e.type),
    ['coin_spent', 'coin_received', 'transfer', 'message', 'withdraw_rewards'],
  );
  assert.deepEqual(attrs(w.events.at(-1)!), { amount: '750stake', validator: valA, delegator: x });
  assert.equal(bank.balance(x, 'stake'), 750n);
  // nothing left: a zero coin, no transfer
  const w2 = distr.withdraw(x, valA);
  assert.deepEqual(w2.events.map(attrs), [{ amount: '0stake', validator: valA, delegator: x }]);
  assert.throws(
    () => distr.withdraw(acc('nobody'), valA),
    (e: unknown) => e instanceof ModuleError && e.codespace === 'distribution' && e.message === 'no delegation distribution info',
  );
  checkBooks();
});

test('truncated remainders go to the community pool', () => {
  const { bank, staking, distr, valA, reward, checkBooks } = setup();
  const x = delegator(bank, staking, 'x', valA, 2_000_000n); // 2 of 3 shares
  reward(valA, 1_000n);
  assert.equal(distr.pendingDec(x, valA).toString(), '666.666666666666666666');
  assert.equal(distr.withdraw(x, valA).amount, 666n);
  assert.equal(distr.withdraw(acc('g'), valA).amount, 333n);
  assert.equal(distr.communityPool().toString(), '0.999999999999999999');
  assert.equal(distr.outstanding(valA).toString(), '0.000000000000000001');
  checkBooks();
});

test('a delegation change settles rewards first; newcomers get nothing retroactively', () => {
  const { bank, staking, distr, valA, reward, checkBooks } = setup();
  const x = delegator(bank, staking, 'x', valA, 1_000_000n);
  reward(valA, 1_000n);
  bank.fund(x, { denom: 'stake', amount: 2_000_000n });
  const ev = staking.delegate(x, valA, 2_000_000n);
  assert.deepEqual(
    ev.map((e) => e.type),
    ['coin_spent', 'coin_received', 'transfer', 'message', 'withdraw_rewards', 'coin_spent', 'coin_received', 'delegate'],
  );
  assert.equal(attrs(ev[4]!).amount, '500stake');
  const y = delegator(bank, staking, 'y', valA, 4_000_000n);
  assert.equal(distr.pending(y, valA), 0n);
  assert.equal(distr.pending(x, valA), 0n);
  reward(valA, 800n); // shares: g 1, x 3, y 4
  assert.equal(distr.pending(acc('g'), valA), 600n); // 500 from the first round
  assert.equal(distr.pending(x, valA), 300n);
  assert.equal(distr.pending(y, valA), 400n);
  // full undelegation withdraws too, and the delegation's record is gone afterwards
  const r = staking.instantUndelegate(y, valA, 4_000_000n);
  assert.equal(attrs(r.events.find((e) => e.type === 'withdraw_rewards')!).amount, '400stake');
  assert.equal(staking.delegation(y, valA), undefined);
  reward(valA, 400n);
  assert.equal(distr.pending(x, valA), 600n);
  checkBooks();
});

test('commission: split with Dec.Mul, withdrawn to the operator account', () => {
  const { bank, staking, distr, reward, checkBooks } = setup();
  const valB = valoper('b');
  bank.fund(acc('b'), { denom: 'stake', amount: 1_000_000n });
  staking.createValidator(valB, acc('b'), 1_000_000n, { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' });
  staking.endBlock(T0, 1n);
  const ev = reward(valB, 1_005n);
  assert.equal(attrs(ev[0]!).amount, '100.500000000000000000stake');
  assert.equal(distr.pending(acc('b'), valB), 904n);
  assert.throws(() => distr.withdrawCommission(valoper('a')), /no validator commission to withdraw/);
  const before = bank.balance(acc('b'), 'stake');
  const w = distr.withdrawCommission(valB);
  assert.equal(w.amount, 100n);
  assert.deepEqual(attrs(w.events.at(-1)!), { amount: '100stake' });
  assert.equal(bank.balance(acc('b'), 'stake') - before, 100n);
  assert.equal(distr.accumulatedCommission(valB).toString(), '0.500000000000000000');
  checkBooks();
});

test('fundAndAllocateByPower mints and splits by power, remainder to the first', () => {
  const { bank, staking, distr, valA, checkBooks } = setup();
  const valB = valoper('b');
  bank.fund(acc('b'), { denom: 'stake', amount: 3_000_000n });
  staking.createValidator(valB, acc('b'), 3_000_000n, { rate: '0', maxRate: '0', maxChangeRate: '0' });
  staking.endBlock(T0, 1n);
  const supply = bank.totalSupply('stake');
  const ev = distr.fundAndAllocateByPower(10n);
  assert.equal(bank.totalSupply('stake'), supply + 10n);
  assert.deepEqual(
    ev.map((e) => e.type),
    ['coin_received', 'coinbase', 'commission', 'rewards', 'commission', 'rewards'],
  );
  // powers 3 (b) and 1 (a): floor 7 and 2, remainder 1 to b
  assert.equal(distr.outstanding(valB).toString(), '8.000000000000000000');
  assert.equal(distr.outstanding(valA).toString(), '2.000000000000000000');
  checkBooks();
});

test('withdraw address and blocked module accounts', () => {
  const { bank, staking, distr, valA, reward } = setup();
  const x = delegator(bank, staking, 'x', valA, 1_000_000n);
  const ev = distr.setWithdrawAddress(x, acc('cold'));
  assert.deepEqual(ev.map(attrs), [{ withdraw_address: acc('cold') }]);
  assert.throws(() => distr.setWithdrawAddress(x, staking.bondedPool), /is not allowed to receive external funds/);
  reward(valA, 100n);
  distr.withdraw(x, valA);
  assert.equal(bank.balance(acc('cold'), 'stake'), 50n);
  assert.equal(distr.withdrawAddress(x), acc('cold'));
});

test('slashing leaves the per-share split intact', () => {
  const { bank, staking, distr, valA, reward, checkBooks } = setup();
  const x = delegator(bank, staking, 'x', valA, 3_000_000n);
  staking.slash(valA, 4n, dec('0.5'));
  reward(valA, 1_000n);
  assert.equal(distr.pending(x, valA), 750n);
  assert.equal(distr.pending(acc('g'), valA), 250n);
  checkBooks();
});

test('rewards of a validator without shares go to the community pool when the period ends', () => {
  const { bank, staking, distr, reward, checkBooks } = setup();
  const valB = valoper('b');
  bank.fund(acc('b'), { denom: 'stake', amount: 1_000_000n });
  staking.createValidator(valB, acc('b'), 1_000_000n, { rate: '0', maxRate: '0', maxChangeRate: '0' });
  staking.endBlock(T0, 1n);
  reward(valB, 1_000n);
  staking.undelegate(acc('b'), valB, 1_000_000n, T0, 2n); // withdraws the 1000 first
  assert.equal(bank.balance(acc('b'), 'stake'), 1_000n);
  reward(valB, 500n);
  // nobody holds shares: the next delegation ends the period and sends the 500 to the pool
  delegator(bank, staking, 'late', valB, 10n);
  assert.equal(distr.communityPool().toString(), '500.000000000000000000');
  checkBooks();
});

test('journal: a failed withdraw-triggering delegation keeps rewards in place', () => {
  const { journal, bank, staking, distr, valA, reward } = setup();
  const x = delegator(bank, staking, 'x', valA, 1_000_000n);
  reward(valA, 100n);
  const cp = journal.checkpoint();
  bank.fund(x, { denom: 'stake', amount: 1n });
  staking.delegate(x, valA, 1n);
  assert.equal(bank.balance(x, 'stake'), 50n);
  journal.revert(cp);
  assert.equal(bank.balance(x, 'stake'), 0n);
  assert.equal(distr.pending(x, valA), 50n);
});

test('fundAndAllocate mints for one validator', () => {
  const { bank, distr, valA, checkBooks } = setup();
  const ev = distr.fundAndAllocate(valA, 7n);
  assert.deepEqual(
    ev.map((e) => e.type),
    ['coin_received', 'coinbase', 'commission', 'rewards'],
  );
  assert.equal(distr.pending(acc('g'), valA), 7n);
  assert.equal(bank.balance(distr.moduleAddress, 'stake'), 7n);
  assert.throws(() => distr.fundAndAllocate(valoper('nobody'), 1n), /no validator distribution info/);
  checkBooks();
});
