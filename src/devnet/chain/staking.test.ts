import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Journal } from '../state/journal.ts';
import { Bank } from './bank.ts';
import { LegacyDec, dec } from './legacy-dec.ts';
import { Staking, type StakingHooks } from './staking.ts';
import { type Event, ModuleError, nsPerSecond } from './types.ts';
import { acc, attrs, PREFIX, T0, valoper } from './modules.testkit.ts';

const UNBONDING = 1_814_400n;

function setup(maxValidators = 10) {
  const journal = new Journal();
  const bank = new Bank(journal);
  const staking = new Staking(journal, bank, { bondDenom: 'stake', prefix: PREFIX, unbondingTimeSec: UNBONDING, maxValidators });
  return { journal, bank, staking };
}

/** ibc-go testing genesis: 10^6 tokens backed by 1.0 share, so "45 shares" = 45 000 000 tokens. */
function genesisVal(staking: Staking, name: string): string {
  const op = valoper(name);
  staking.initGenesisValidator({ operator: op, delegator: acc('genesis'), tokens: 1_000_000n, shares: LegacyDec.ONE });
  return op;
}

const ofType = (events: Event[], type: string): Event[] => events.filter((e) => e.type === type);

test('V7: slashed 101M validator returns 9 999 999 for a 10 000 000 undelegation', () => {
  const { bank, staking } = setup();
  const val0 = genesisVal(staking, 'val0');
  const proxy = acc('proxy');
  bank.fund(proxy, { denom: 'stake', amount: 100_000_000n });
  staking.delegate(proxy, val0, 100_000_000n);
  assert.equal(staking.validator(val0)!.tokens, 101_000_000n);
  assert.equal(staking.delegation(proxy, val0)!.shares.toString(), '100.000000000000000000');

  // downtime: 10% of power 101
  assert.equal(staking.slash(val0, staking.power(val0), dec('0.1')), 10_100_000n);
  staking.jail(val0);
  staking.endBlock(T0, 10n);
  const v = staking.validator(val0)!;
  assert.equal(v.tokens, 90_900_000n);
  assert.equal(v.status, 'unbonding');
  assert.equal(staking.delegation(proxy, val0)!.tokens, 90_000_000n);

  // not bonded → instant undelegate
  const before = bank.balance(proxy, 'stake');
  const r = staking.instantUndelegate(proxy, val0, 10_000_000n);
  assert.equal(r.returned, 9_999_999n);
  assert.equal(bank.balance(proxy, 'stake') - before, 9_999_999n);
  assert.equal(staking.delegation(proxy, val0)!.shares.toString(), '88.888888888888888889');
  assert.deepEqual(
    r.events.map((e) => e.type),
    ['coin_spent', 'coin_received'],
  );
  assert.equal(attrs(r.events[0]!).spender, staking.notBondedPool);
  assert.equal(attrs(r.events[0]!).amount, '9999999stake');
  staking.checkInvariants();
});

test('V7 through the normal unbonding queue gives the same amount', () => {
  const { bank, staking } = setup();
  const val0 = genesisVal(staking, 'val0');
  const user = acc('user');
  bank.fund(user, { denom: 'stake', amount: 100_000_000n });
  staking.delegate(user, val0, 100_000_000n);
  staking.slash(val0, 101n, dec('0.1'));
  const r = staking.undelegate(user, val0, 10_000_000n, T0, 5n);
  assert.equal(r.returned, 9_999_999n);
  assert.equal(r.completionTime, T0 + UNBONDING * nsPerSecond);
  assert.deepEqual(attrs(r.events.at(-1)!), {
    validator: val0,
    delegator: user,
    amount: '9999999stake',
    completion_time: '2023-12-05T22:13:20Z',
  });
  staking.checkInvariants();
});

test('V5: 46M validator slashed 10M; undelegating the truncated tokens leaves 0.000000388888888889 shares', () => {
  const { bank, staking } = setup();
  const val1 = genesisVal(staking, 'val1');
  const contract = acc('virtual-staking');
  bank.fund(contract, { denom: 'stake', amount: 45_000_000n });
  const ev = staking.delegate(contract, val1, 45_000_000n);
  assert.deepEqual(attrs(ofType(ev, 'delegate')[0]!), {
    validator: val1,
    delegator: contract,
    amount: '45000000stake',
    new_shares: '45.000000000000000000',
  });
  assert.equal(staking.validator(val1)!.tokens, 46_000_000n);
  assert.equal(staking.validator(val1)!.delegatorShares.toString(), '46.000000000000000000');

  // double sign, evidence power 100 at fraction 0.1
  assert.equal(staking.slash(val1, 100n, dec('0.1')), 10_000_000n);
  assert.equal(staking.validator(val1)!.tokens, 36_000_000n);
  const d = staking.delegation(contract, val1)!;
  assert.equal(d.tokens, 35_217_391n);
  assert.equal(staking.tokensFromSharesTruncated(val1, d.shares).truncateInt(), 35_217_391n);

  assert.equal(staking.validateUnbondAmount(contract, val1, 35_217_391n).toString(), '44.999999611111111111');
  const r = staking.instantUndelegate(contract, val1, 35_217_391n);
  assert.equal(r.returned, 35_217_390n);
  assert.equal(staking.delegation(contract, val1)!.shares.toString(), '0.000000388888888889');
  staking.checkInvariants();
});

test('V2: downtime slash of a 46M validator burns 4 600 000 from the bonded pool', () => {
  const { bank, staking } = setup();
  const val1 = genesisVal(staking, 'val1');
  const contract = acc('c');
  bank.fund(contract, { denom: 'stake', amount: 45_000_000n });
  staking.delegate(contract, val1, 45_000_000n);
  const supply = bank.totalSupply('stake');
  const r = staking.slashWithEvents(val1, 46n, dec('0.1'));
  assert.equal(r.amount, 4_600_000n);
  assert.deepEqual(
    r.events.map((e) => e.type),
    ['coin_spent', 'burn'],
  );
  assert.equal(attrs(r.events[1]!).burner, staking.bondedPool);
  assert.equal(staking.validator(val1)!.tokens, 41_400_000n);
  assert.equal(bank.totalSupply('stake'), supply - 4_600_000n);
  staking.checkInvariants();
});

test('share math: delegating into a slashed validator issues more shares; full undelegation takes the dust', () => {
  const { bank, staking } = setup();
  const op = genesisVal(staking, 'v');
  const a = acc('a');
  const b = acc('b');
  bank.fund(a, { denom: 'stake', amount: 10_000_000n });
  bank.fund(b, { denom: 'stake', amount: 10_000_000n });
  staking.delegate(a, op, 3_000_000n);
  staking.slash(op, 4n, dec('0.333333333333333333'));
  // 4M × 0.333… = 1 333 333 burned → 2 666 667 tokens for 4 shares
  assert.equal(staking.validator(op)!.tokens, 2_666_667n);
  staking.delegate(b, op, 1_000_000n);
  // 4 × 1 000 000 / 2 666 667 (QuoInt, truncating)
  assert.equal(staking.delegation(b, op)!.shares.toString(), '1.499999812500023437');
  const g = staking.delegation(acc('genesis'), op)!;
  const ra = staking.instantUndelegate(a, op, staking.delegation(a, op)!.tokens);
  assert.equal(ra.returned, 1_999_999n);
  // undelegating a's (truncated) token balance leaves dust shares worth less than a token
  const dust = staking.delegation(a, op)!;
  assert.equal(dust.shares.toString(), '0.000000374999953126');
  assert.equal(dust.tokens, 0n);
  const rg = staking.instantUndelegateShares(acc('genesis'), op, g.shares);
  const rb = staking.instantUndelegateShares(b, op, staking.delegation(b, op)!.shares);
  // the last shares get every remaining token: nothing stays behind
  const rd = staking.instantUndelegateShares(a, op, dust.shares);
  assert.equal(ra.returned + rg.returned + rb.returned + rd.returned, 3_666_667n);
  assert.equal(staking.validator(op)!.tokens, 0n);
  assert.ok(staking.validator(op)!.delegatorShares.isZero());
  staking.checkInvariants();
});

test('delegate: events, pool by status, errors', () => {
  const { bank, staking } = setup();
  const op = genesisVal(staking, 'v');
  const u = acc('u');
  bank.fund(u, { denom: 'stake', amount: 5n });
  assert.throws(
    () => staking.delegate(u, op, 10n),
    (e: unknown) => e instanceof ModuleError && e.codespace === 'sdk' && e.code === 5 && e.message === 'failed to delegate; 5stake is smaller than 10stake: insufficient funds',
  );
  assert.throws(() => staking.delegate(u, valoper('nobody'), 1n), /validator does not exist/);
  assert.throws(() => staking.delegate(u, op, 0n), /invalid delegation amount: invalid request/);
  const ev = staking.delegate(u, op, 5n);
  assert.deepEqual(
    ev.map((e) => e.type),
    ['coin_spent', 'coin_received', 'delegate'],
  );
  assert.equal(attrs(ev[1]!).receiver, staking.bondedPool);
  assert.equal(bank.balance(staking.bondedPool, 'stake'), 1_000_005n);
  staking.checkInvariants();
});

test('undelegate errors follow ValidateUnbondAmount and roll back', () => {
  const { bank, staking } = setup();
  const op = genesisVal(staking, 'v');
  const u = acc('u');
  bank.fund(u, { denom: 'stake', amount: 1_000n });
  staking.delegate(u, op, 1_000n);
  assert.throws(
    () => staking.undelegate(acc('x'), op, 1n, T0, 1n),
    (e: unknown) => e instanceof ModuleError && e.codespace === 'staking' && e.code === 19,
  );
  assert.throws(() => staking.undelegate(u, op, 1_001n, T0, 1n), /invalid shares amount: invalid request/);
  for (let i = 0; i < 7; i++) staking.undelegate(u, op, 1n, T0 + BigInt(i), 1n);
  assert.throws(() => staking.undelegate(u, op, 1n, T0 + 10n, 1n), /too many unbonding delegation entries/);
  assert.equal(staking.unbondingDelegations(u).length, 7);
  assert.equal(staking.delegation(u, op)!.tokens, 993n);
  staking.checkInvariants();
});

test('unbonding queue pays out at completion with complete_unbonding', () => {
  const { bank, staking } = setup();
  const op = genesisVal(staking, 'v');
  const u = acc('u');
  bank.fund(u, { denom: 'stake', amount: 1_000n });
  staking.delegate(u, op, 1_000n);
  const r1 = staking.undelegate(u, op, 300n, T0, 2n);
  staking.undelegate(u, op, 200n, T0, 2n); // same height + completion → merged entry, second queue slot
  const r3 = staking.undelegate(u, op, 100n, T0 + 5n * nsPerSecond, 3n);
  assert.equal(staking.unbondingDelegations(u).length, 2);
  assert.equal(bank.balance(u, 'stake'), 0n);
  staking.checkInvariants();

  assert.deepEqual(staking.endBlock(r1.completionTime - 1n, 10n), []);
  const ev = staking.endBlock(r1.completionTime, 11n);
  // first slot pays 500; second slot finds the UBD still there (later entry) and reports ""
  assert.deepEqual(
    ev.map((e) => e.type),
    ['coin_spent', 'coin_received', 'complete_unbonding', 'complete_unbonding'],
  );
  assert.deepEqual(attrs(ev[2]!), { amount: '500stake', validator: op, delegator: u });
  assert.equal(attrs(ev[3]!).amount, '');
  assert.equal(bank.balance(u, 'stake'), 500n);
  const ev2 = staking.endBlock(r3.completionTime, 12n);
  assert.deepEqual(attrs(ev2.at(-1)!), { amount: '100stake', validator: op, delegator: u });
  assert.equal(bank.balance(u, 'stake'), 600n);
  assert.equal(staking.unbondingDelegations(u).length, 0);
  staking.checkInvariants();
});

test('validator set: top maxValidators by power bond, jailed ones leave, hooks fire', () => {
  const { bank, staking } = setup(2);
  const calls: string[] = [];
  const hooks: StakingHooks = {
    afterValidatorBonded: (op) => {
      calls.push(`bonded ${op}`);
      return [{ type: 'hook', attributes: [{ key: 'bonded', value: op }] }];
    },
    afterValidatorBeginUnbonding: (op) => void calls.push(`unbonding ${op}`),
    afterValidatorCreated: (op) => void calls.push(`created ${op}`),
  };
  staking.setHooks(hooks);
  const [a, b, c] = ['a', 'b', 'c'].map((n) => {
    bank.fund(acc(n), { denom: 'stake', amount: 100_000_000n });
    return valoper(n);
  }) as [string, string, string];
  staking.createValidator(a, acc('a'), 3_000_000n);
  staking.createValidator(b, acc('b'), 2_000_000n);
  const ev = staking.createValidator(c, acc('c'), 1_000_000n, { rate: '0.05', maxRate: '0.1', maxChangeRate: '0.01' });
  assert.deepEqual(attrs(ev.at(-1)!), { validator: c, amount: '1000000stake' });
  assert.equal(staking.validator(c)!.commission.rate, '0.050000000000000000');
  assert.equal(staking.validator(a)!.status, 'unbonded');
  staking.checkInvariants();

  const e1 = staking.endBlock(T0, 1n);
  assert.equal(ofType(e1, 'hook').length, 2);
  // a and b bond: their 5M move to the bonded pool in one module-to-module send (pool.go), with x/bank's events
  assert.deepEqual(
    e1.filter((e) => e.type !== 'hook').map((e) => [e.type, ...e.attributes.map((x) => x.value)]),
    [
      ['coin_spent', staking.notBondedPool, '5000000stake'],
      ['coin_received', staking.bondedPool, '5000000stake'],
      ['transfer', staking.bondedPool, staking.notBondedPool, '5000000stake'],
      ['message', staking.notBondedPool],
    ],
  );
  assert.deepEqual(
    staking.bondedValidators().map((v) => v.operator),
    [a, b],
  );
  assert.equal(staking.validator(c)!.status, 'unbonded');
  staking.checkInvariants();

  staking.jail(a);
  // a (3M) leaves, c (1M) joins: one send of the difference, bonded → not bonded
  const e2 = staking.endBlock(T0 + 1n, 2n);
  assert.deepEqual(ofType(e2, 'transfer').map((e) => e.attributes.map((x) => x.value)), [[staking.notBondedPool, staking.bondedPool, '2000000stake']]);
  assert.deepEqual(
    staking.bondedValidators().map((v) => v.operator),
    [b, c],
  );
  assert.equal(staking.validator(a)!.status, 'unbonding');
  assert.equal(staking.validator(a)!.unbondingTime, T0 + 1n + UNBONDING * nsPerSecond);
  staking.checkInvariants();

  staking.endBlock(T0 + 1n + UNBONDING * nsPerSecond, 3n);
  assert.equal(staking.validator(a)!.status, 'unbonded');
  staking.unjail(a);
  staking.endBlock(T0 + 2n + UNBONDING * nsPerSecond, 4n);
  assert.deepEqual(
    staking.bondedValidators().map((v) => v.operator),
    [a, b],
  );
  assert.deepEqual(calls, [
    `created ${a}`,
    `created ${b}`,
    `created ${c}`,
    `bonded ${a}`,
    `bonded ${b}`,
    `bonded ${c}`,
    `unbonding ${a}`,
    `bonded ${a}`,
    `unbonding ${c}`,
  ]);
  assert.deepEqual(
    staking.lastValidatorPowers().map((p) => p.power).sort(),
    [2n, 3n],
  );
  staking.checkInvariants();
});

test('slash reaches unbonding entries created at or after the infraction height', () => {
  const { bank, staking } = setup();
  const op = genesisVal(staking, 'v');
  const u = acc('u');
  bank.fund(u, { denom: 'stake', amount: 10_000_000n });
  staking.delegate(u, op, 10_000_000n);
  staking.undelegate(u, op, 1_000_000n, T0, 8n); // before the infraction: untouched
  staking.undelegate(u, op, 2_000_000n, T0, 10n); // after: loses 10% of 2M
  const r = staking.slashWithEvents(op, 11n, dec('0.1'), { infractionHeight: 9n, height: 12n, now: T0 + 1n });
  // 1.1M total: 200k from the unbonding entry, 900k from the validator
  assert.equal(r.amount, 900_000n);
  assert.deepEqual(
    staking.unbondingDelegations(u).map((e) => e.balance),
    [1_000_000n, 1_800_000n],
  );
  assert.equal(staking.validator(op)!.tokens, 8_000_000n - 900_000n);
  staking.checkInvariants();
});

test('self-delegation under the minimum jails the validator', () => {
  const { bank, staking } = setup();
  const op = valoper('self');
  bank.fund(acc('self'), { denom: 'stake', amount: 5_000_000n });
  staking.createValidator(op, acc('self'), 5_000_000n);
  staking.endBlock(T0, 1n);
  staking.undelegate(acc('self'), op, 5_000_000n, T0, 2n);
  assert.equal(staking.validator(op)!.jailed, true);
  assert.ok(staking.validator(op)!.delegatorShares.isZero());
  staking.endBlock(T0 + 1n, 3n);
  assert.equal(staking.validator(op)!.status, 'unbonding');
  // once unbonded with no shares left, the validator is removed
  staking.endBlock(T0 + 1n + UNBONDING * nsPerSecond, 4n);
  assert.equal(staking.validator(op), undefined);
  staking.endBlock(T0 + UNBONDING * nsPerSecond * 2n, 5n);
  assert.equal(bank.balance(acc('self'), 'stake'), 5_000_000n);
  staking.checkInvariants();
});

test('redelegate moves shares and tokens between pools', () => {
  const { bank, staking } = setup(1);
  const a = genesisVal(staking, 'a');
  const b = valoper('b');
  bank.fund(acc('b'), { denom: 'stake', amount: 500_000n });
  staking.createValidator(b, acc('b'), 500_000n);
  staking.endBlock(T0, 1n); // b stays unbonded (maxValidators 1)
  const u = acc('u');
  bank.fund(u, { denom: 'stake', amount: 2_000_000n });
  staking.delegate(u, a, 2_000_000n);
  const r = staking.redelegate(u, a, b, 1_000_000n, T0);
  assert.deepEqual(attrs(r.events.at(-1)!), {
    source_validator: a,
    destination_validator: b,
    amount: '1000000stake',
    completion_time: '2023-12-05T22:13:20Z',
  });
  assert.equal(staking.delegation(u, b)!.tokens, 1_000_000n);
  assert.equal(staking.delegation(u, a)!.shares.toString(), '1.000000000000000000');
  assert.throws(() => staking.redelegate(u, a, a, 1n, T0), /cannot redelegate to the same validator/);
  staking.checkInvariants();
});

test('journal: a failing hook rolls the whole delegation back', () => {
  const { bank, staking, journal } = setup();
  const op = genesisVal(staking, 'v');
  const u = acc('u');
  bank.fund(u, { denom: 'stake', amount: 100n });
  staking.setHooks({
    afterDelegationModified: () => {
      throw new Error('hook failed');
    },
  });
  assert.throws(() => staking.delegate(u, op, 100n), /hook failed/);
  assert.equal(bank.balance(u, 'stake'), 100n);
  assert.equal(staking.delegation(u, op), undefined);
  assert.equal(staking.validator(op)!.tokens, 1_000_000n);
  staking.setHooks();
  // outer scope revert also undoes a successful call
  const cp = journal.checkpoint();
  staking.delegate(u, op, 100n);
  journal.revert(cp);
  assert.equal(staking.delegation(u, op), undefined);
  staking.checkInvariants();
});

test('editValidator: limits and beforeValidatorModified', () => {
  const { bank, staking } = setup();
  const op = valoper('e');
  bank.fund(acc('e'), { denom: 'stake', amount: 1_000_000n });
  staking.createValidator(op, acc('e'), 1_000_000n);
  const seen: string[] = [];
  staking.setHooks({ beforeValidatorModified: (v) => void seen.push(v) });
  assert.throws(() => staking.editValidator(op, '0.12', T0), /max change rate/);
  const ev = staking.editValidator(op, '0.11', T0);
  assert.equal(attrs(ev[0]!).commission_rate, '0.110000000000000000');
  assert.throws(() => staking.editValidator(op, '0.1', T0 + 1n), /once in 24h/);
  assert.deepEqual(seen, [op]);
});
