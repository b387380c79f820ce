// virtual-staking on a consumer chain (spec §1.6, §4.5, §4.6): access checks and error texts,
// burn, max-cap scaling, slash queue, rewards attribution, valset forwarding, zero cap, queries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Coin, ContractError } from '../chain/types.ts';
import { TaskType } from '../modules/meshsecurity.ts';
import { ConsumerKit, attrs, findEvent } from './consumer.testkit.ts';

const M = 1_000_000n;
const coin = (amount: bigint | string, denom = 'stake') => ({ denom, amount: amount.toString() });

function kit() {
  const k = new ConsumerKit();
  const user = k.chain.addr('u');
  const exec = (msg: unknown, sender = k.converter, funds: Coin[] = []) => k.chain.journal.atomic(() => k.chain.execute(sender, k.vs, msg, funds));
  const bond = (v: number, amount: bigint) => exec({ bond: { delegator: user, validator: k.vals[v], amount: coin(amount) } });
  const stakes = () => Object.fromEntries((k.chain.query(k.vs, { get_all_stake: {} }) as { stakes: string[][] }).stakes);
  return { k, user, exec, bond, stakes };
}

describe('virtual-staking access and errors', () => {
  it('only the converter, only the bond denom, no funds', () => {
    const { k, user, exec } = kit();
    const msg = { bond: { delegator: user, validator: k.vals[1], amount: coin(5n) } };
    assert.throws(() => exec(msg, k.admin), new ContractError('Unauthorized'));
    assert.throws(() => exec({ bond: { ...msg.bond, amount: coin(5n, 'uosmo') } }), new ContractError('Wrong denom. Cannot stake stake'));
    k.chain.bank.fund(k.converter, { denom: 'stake', amount: 1n });
    assert.throws(() => exec(msg, k.converter, [{ denom: 'stake', amount: 1n }]), new ContractError('This message does no accept funds'));
    assert.throws(() => exec({ unbond: { delegator: user, validator: k.vals[2], amount: coin(1n) } }), new ContractError('cosmwasm_std::math::uint128::Uint128 not found'));
    exec(msg);
    assert.throws(() => exec({ unbond: { delegator: user, validator: k.vals[1], amount: coin(6n) } }), new ContractError(`Cannot unbond 6 tokens from validator ${k.vals[1]}, not enough staked`));
    assert.throws(() => exec({ internal_unbond: { delegator: user, validator: k.vals[1], amount: coin(6n) } }), new ContractError(`Cannot unbond 6 tokens from validator ${k.vals[1]}, not enough staked`));
    assert.throws(() => exec({ handle_close_channel: {} }, k.admin), new ContractError('Unauthorized'));
    assert.throws(() => exec({ test_handle_epoch: {} }), /Error parsing into type mesh_virtual_staking::contract::sv::ContractExecMsg: unknown variant `test_handle_epoch`/);
  });

  it('bond / unbond emit update_delegation custom messages (is_deduct in the message only)', () => {
    const { k, user, exec, bond } = kit();
    const b = bond(1, 5n).events;
    assert.deepEqual(attrs(findEvent(b, 'update_delegation')), { amount: '5stake', delegator: user, module: 'meshsecurity', sender: k.vs, validator: k.vals[1] });
    const u = exec({ unbond: { delegator: user, validator: k.vals[1], amount: coin(2n) } }).events;
    assert.deepEqual(attrs(findEvent(u, 'update_delegation')).amount, '2stake');
    assert.equal(k.ms.delegationRecords(k.vs)[0]!.amount, 3n);
  });
});

describe('burn (spec §4.3.4, §4.3.5)', () => {
  it('spreads over the validators’ requests, unbonded at the next epoch', () => {
    const { k, exec, bond, stakes } = kit();
    bond(1, 5n);
    bond(2, 20n);
    k.epoch();
    exec({ burn: { validators: [k.vals[1], k.vals[2]], amount: coin(5n) } });
    const e = k.epoch();
    const unbonds = e.endEvents.filter((x) => x.type === 'instant_unbond').map((x) => [attrs(x).validator, attrs(x).amount]);
    assert.deepEqual(unbonds, [
      [k.vals[1], '3stake'],
      [k.vals[2], '2stake'],
    ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    assert.deepEqual(stakes(), { [k.vals[1]!]: '2', [k.vals[2]!]: '18' });
  });

  it('not enough requests: InsufficientDelegations and nothing changes', () => {
    const { k, exec, bond } = kit();
    const msg = (a: bigint) => ({ burn: { validators: [k.vals[1], k.vals[2]], amount: coin(a) } });
    assert.throws(() => exec(msg(1n)), new ContractError(`Virtual staking ${k.vs} has not enough delegated funds: 1`));
    bond(1, 5n);
    bond(2, 10n);
    assert.throws(() => exec(msg(20n)), new ContractError(`Virtual staking ${k.vs} has not enough delegated funds: 20`));
    exec(msg(15n));
    k.epoch();
    assert.equal(k.totalDelegated(), 0n);
  });
});

describe('epoch rebalance on chain (spec §4.5)', () => {
  it('over the cap: requests scaled by cap / Σ; raising the cap bonds the rest', () => {
    const { k, bond, stakes } = kit();
    bond(1, 45n * M);
    bond(2, 22_500_000n);
    k.setMaxCap(50n * M);
    k.epoch();
    assert.deepEqual(stakes(), { [k.vals[1]!]: '33333333', [k.vals[2]!]: '16666666' });
    assert.equal(k.totalDelegated(), 49_999_999n);
    k.setMaxCap(100n * M);
    k.epoch();
    assert.equal(k.totalDelegated(), 67_500_000n);
  });

  it('the module total is not lowered by slashes: a later bond can exceed the cap and fail the epoch', () => {
    const { k, bond } = kit();
    bond(1, 45n * M);
    bond(2, 22_500_000n);
    k.setMaxCap(67_500_000n);
    k.epoch();
    k.jail(k.vals[1]!);
    k.ackAll();
    k.epoch(); // applies the 4 500 000 slash: bonded 40.5M + 22.5M, module total still 67.5M
    bond(2, 1n * M);
    const e = k.epoch();
    const ex = attrs(findEvent(e.endEvents, 'scheduler_execution'));
    assert.equal(ex.execution_success, 'false');
    assert.equal(ex.error, '68500000stake exceeds 67500000stake: max cap exceeded');
    assert.equal(findEvent(e.endEvents, 'sudo'), undefined); // the failed task's events are dropped
    assert.equal(k.totalDelegated(), 67_500_000n);
  });

  it('cap 0 without records: delete_all_scheduled_tasks stops the epochs', () => {
    const { k } = kit();
    k.setMaxCap(0n);
    k.epoch();
    assert.equal(k.ms.nextScheduledTaskHeight(TaskType.handleEpoch, k.vs), undefined);
  });
});

describe('rewards (spec §4.6)', () => {
  it('each withdraw reply attributes the balance growth; the last sends the whole balance', () => {
    const { k, bond } = kit();
    bond(1, 10n * M);
    bond(2, 10n * M);
    bond(3, 10n * M);
    k.epoch();
    k.chain.journal.atomic(() => {
      k.chain.distribution.fundAndAllocate(k.vals[1]!, 1_000n);
      k.chain.distribution.fundAndAllocate(k.vals[3]!, 3_000n);
    });
    const before = k.chain.bank.balance(k.converter, 'stake');
    k.epoch();
    const batch = k.pending().find((p) => p.decoded.kind === 'distribute_batch');
    assert.ok(batch && batch.decoded.kind === 'distribute_batch');
    const paid = Object.fromEntries(batch.decoded.value.rewards.map((r) => [r.validator, r.reward]));
    // val2 earned nothing: skipped; the others get their share of the allocation (commission 0)
    assert.deepEqual(Object.keys(paid).sort(), [k.vals[1], k.vals[3]].sort());
    const total = Object.values(paid).reduce((a, b) => a + b, 0n);
    assert.equal(k.chain.bank.balance(k.converter, 'stake') - before, total);
    assert.equal(k.chain.bank.balance(k.vs, 'stake'), 0n);
  });
});

describe('handle_valset_update (sudo from x/meshsecurity)', () => {
  it('queues slashes, maintains the inactive list and forwards the report to the converter', () => {
    const { k, bond, stakes } = kit();
    bond(1, 10n * M);
    bond(2, 10n * M);
    k.epoch();
    const v1 = k.vals[1]!;
    const report = {
      additions: [],
      removals: [v1],
      updated: [],
      jailed: [v1],
      unjailed: [],
      tombstoned: [],
      slashed: [{ address: v1, height: 9, time: 1, infraction_height: 7, infraction_time: 0, power: 10, slash_amount: '1000000', slash_ratio: '0.100000000000000000', is_tombstoned: false }],
    };
    const r = k.chain.journal.atomic(() => k.chain.sudo(k.vs, { handle_valset_update: report }));
    const ve = attrs(findEvent(r.events, 'wasm-valset_update'));
    assert.equal(ve.amounts, '1000000stake');
    assert.equal(ve.provider_amounts, '2222222stake');
    const e = k.epoch();
    assert.equal(findEvent(e.endEvents, 'instant_unbond'), undefined);
    assert.deepEqual(stakes(), { [v1]: '9000000', [k.vals[2]!]: '10000000' });
    // removed validators get no reward withdrawals
    assert.equal(e.endEvents.filter((x) => x.type === 'withdraw_rewards').length, 1);
    // a bare sudo with all lists absent is accepted (Option fields)
    assert.doesNotThrow(() => k.chain.journal.atomic(() => k.chain.sudo(k.vs, { handle_valset_update: {} })));
  });
});

describe('queries', () => {
  it('config, get_stake, get_all_stake; unknown queries are parse errors', () => {
    const { k, bond } = kit();
    assert.deepEqual(k.chain.query(k.vs, { get_all_stake: {} }), { stakes: [] });
    bond(1, 7n);
    k.epoch();
    assert.deepEqual(k.chain.query(k.vs, { get_all_stake: {} }), { stakes: [[k.vals[1], '7']] });
    assert.deepEqual(k.chain.query(k.vs, { get_stake: { validator: k.vals[1] } }), { stake: '7' });
    assert.deepEqual(k.chain.query(k.vs, { config: {} }), { denom: 'stake', converter: k.converter });
    assert.throws(() => k.chain.query(k.vs, { stake: {} }), /Error parsing into type mesh_virtual_staking::contract::sv::ContractQueryMsg: unknown variant `stake`/);
  });
});
