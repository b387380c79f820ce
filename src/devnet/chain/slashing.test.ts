import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Journal } from '../state/journal.ts';
import { Bank } from './bank.ts';
import { LegacyDec, dec } from './legacy-dec.ts';
import { DOUBLE_SIGN_JAIL_END_TIME, Slashing, type SlashingHooks } from './slashing.ts';
import { Staking } from './staking.ts';
import { valconsAddress } from './consensus-key.ts';
import { ModuleError, nsPerSecond } from './types.ts';
import { acc, attrs, PREFIX, T0, valoper } from './modules.testkit.ts';


/** SDK e2e consumer setup (V2/V5): val1 = 1M genesis tokens (1 share) + 45M from the virtual-staking contract. */
function setup() {
  const journal = new Journal();
  const bank = new Bank(journal);
  const staking = new Staking(journal, bank, { bondDenom: 'stake', prefix: PREFIX, unbondingTimeSec: 1_814_400n, maxValidators: 10 });
  const slashing = new Slashing(journal, staking, {
    slashFractionDowntime: dec('0.1'),
    slashFractionDoubleSign: dec('0.1'),
    downtimeJailDurationSec: 600n,
    consAddress: (op) => valconsAddress(PREFIX, 'slashing-test-1', op),
  });
  const val1 = valoper('val1');
  const self = acc('val1');
  staking.initGenesisValidator({ operator: val1, delegator: self, tokens: 1_000_000n, shares: LegacyDec.ONE });
  const contract = acc('virtual-staking');
  bank.fund(contract, { denom: 'stake', amount: 45_000_000n });
  staking.delegate(contract, val1, 45_000_000n);
  staking.endBlock(T0, 1n);
  return { journal, bank, staking, slashing, val1, contract };
}

function recorder() {
  const log: string[] = [];
  const hooks = (staking: Staking): SlashingHooks => ({
    beforeSlash: (op, info) => {
      // the provider decorator reads pre-slash amounts here
      log.push(`before ${info.power} ${info.fraction} ${info.doubleSign} tokens=${staking.validator(op)!.tokens}`);
      return [{ type: 'before_slash', attributes: [] }];
    },
    afterSlash: (_op, info) => void log.push(`after ${info.amount} h=${info.infractionHeight}`),
    onJail: () => void log.push('jail'),
    onUnjail: () => void log.push('unjail'),
    onTombstone: () => void log.push('tombstone'),
  });
  return { log, hooks };
}

test('V2: downtime slashes 10% of power 46, jails, and emits the SDK slash event', () => {
  const { staking, slashing, val1 } = setup();
  const { log, hooks } = recorder();
  slashing.setHooks(hooks(staking));
  const ev = slashing.jailForDowntime(val1, T0 + 10n, 20n);
  assert.equal(staking.validator(val1)!.tokens, 41_400_000n);
  assert.equal(staking.validator(val1)!.jailed, true);
  assert.deepEqual(
    ev.map((e) => e.type),
    ['before_slash', 'coin_spent', 'burn', 'slash'],
  );
  // named by consensus address (sdk.ConsAddress.String()); begin-block.test.ts checks it against the blocks' validator set
  const cons = valconsAddress(PREFIX, 'slashing-test-1', val1);
  assert.deepEqual(attrs(ev.at(-1)!), {
    address: cons,
    power: '46',
    reason: 'missing_signature',
    jailed: cons,
    burned_coins: '4600000',
  });
  assert.deepEqual(log, ['before 46 0.100000000000000000 false tokens=46000000', 'after 4600000 h=18', 'jail']);
  assert.equal(slashing.signingInfo(val1)!.jailedUntil, T0 + 10n + 600n * nsPerSecond);
  // already jailed: no second slash
  assert.deepEqual(slashing.jailForDowntime(val1, T0 + 11n, 21n), []);
  // leaves the active set at EndBlock
  staking.endBlock(T0 + 12n, 22n);
  assert.equal(staking.validator(val1)!.status, 'unbonding');
  staking.checkInvariants();
});

test('unjail: SDK errors, then back into the set', () => {
  const { staking, slashing, val1 } = setup();
  const { log, hooks } = recorder();
  assert.throws(
    () => slashing.unjail(val1, T0),
    (e: unknown) => e instanceof ModuleError && e.codespace === 'slashing' && e.code === 5 && e.message === 'validator not jailed; cannot be unjailed',
  );
  slashing.setHooks(hooks(staking));
  slashing.jailForDowntime(val1, T0, 5n);
  staking.endBlock(T0 + 1n, 6n);
  assert.throws(
    () => slashing.unjail(val1, T0 + 599n * nsPerSecond),
    (e: unknown) => e instanceof ModuleError && e.code === 4 && e.message === 'validator still jailed; cannot be unjailed',
  );
  assert.throws(() => slashing.unjail(valoper('nobody'), T0), /address is not associated with any known validator/);
  slashing.unjail(val1, T0 + 600n * nsPerSecond);
  assert.equal(staking.validator(val1)!.jailed, false);
  staking.endBlock(T0 + 601n * nsPerSecond, 7n);
  assert.equal(staking.validator(val1)!.status, 'bonded');
  assert.deepEqual(log.slice(-2), ['jail', 'unjail']);
});

test('V5: double sign with evidence power 100 slashes 10M, jails and tombstones', () => {
  const { staking, slashing, val1, contract } = setup();
  const { log, hooks } = recorder();
  slashing.setHooks(hooks(staking));
  const ev = slashing.doubleSign(val1, 100n, 15n, T0 + 5n, 20n);
  assert.equal(staking.validator(val1)!.tokens, 36_000_000n);
  assert.equal(staking.delegation(contract, val1)!.tokens, 35_217_391n);
  assert.deepEqual(
    ev.map((e) => e.type),
    ['before_slash', 'coin_spent', 'burn', 'slash', 'slash'],
  );
  const cons = valconsAddress(PREFIX, 'slashing-test-1', val1);
  assert.deepEqual(attrs(ev[3]!), { address: cons, power: '100', reason: 'double_sign', burned_coins: '10000000' });
  assert.deepEqual(attrs(ev[4]!), { jailed: cons });
  assert.deepEqual(log, ['before 100 0.100000000000000000 true tokens=46000000', 'after 10000000 h=14', 'jail', 'tombstone']);
  assert.equal(slashing.isTombstoned(val1), true);
  assert.equal(slashing.signingInfo(val1)!.jailedUntil, DOUBLE_SIGN_JAIL_END_TIME);
  // evidence for a tombstoned validator is ignored
  assert.deepEqual(slashing.doubleSign(val1, 100n, 16n, T0 + 6n, 21n), []);
  assert.throws(() => slashing.unjail(val1, DOUBLE_SIGN_JAIL_END_TIME + 1n), /validator still jailed; cannot be unjailed/);

  // next epoch the contract unbonds what its shares are worth (tombstoned validator auto-unbond)
  staking.endBlock(T0 + 7n, 22n);
  staking.instantUndelegate(contract, val1, staking.delegation(contract, val1)!.tokens);
  assert.equal(staking.delegation(contract, val1)!.shares.toString(), '0.000000388888888889');
  staking.checkInvariants();
});

test('a failed slash rolls back everything, hooks included', () => {
  const { staking, slashing, val1, bank } = setup();
  const supply = bank.totalSupply('stake');
  slashing.setHooks({
    onJail: () => {
      throw new Error('decorator failed');
    },
  });
  assert.throws(() => slashing.jailForDowntime(val1, T0, 5n), /decorator failed/);
  assert.equal(staking.validator(val1)!.tokens, 46_000_000n);
  assert.equal(staking.validator(val1)!.jailed, false);
  assert.equal(bank.totalSupply('stake'), supply);
  assert.equal(slashing.signingInfo(val1), undefined);
});

test('slashFractions', () => {
  const { slashing } = setup();
  const f = slashing.slashFractions();
  assert.equal(f.downtime.toString(), '0.100000000000000000');
  assert.equal(f.doubleSign.toString(), '0.100000000000000000');
});

test('addHooks composes decorators in installation order', () => {
  const { slashing, val1 } = setup();
  const order: string[] = [];
  slashing.setHooks({ onJail: () => void order.push('consumer') });
  slashing.addHooks({ onJail: () => void order.push('provider') });
  slashing.jailForDowntime(val1, T0, 5n);
  assert.deepEqual(order, ['consumer', 'provider']);
});
