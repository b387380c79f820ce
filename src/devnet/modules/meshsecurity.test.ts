// x/meshsecurity (spec §3.1) with a probe contract standing in for virtual-staking: tx messages,
// custom messages and queries, the scheduler, the valset hooks and the EndBlocker, and the exact
// events of the module.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chain, type TxMsg } from '../chain/chain.ts';
import type { ContractCode, ContractInstance } from '../chain/contract.ts';
import { reencodeAddress } from '../chain/address.ts';
import { LegacyDec } from '../chain/legacy-dec.ts';
import { installStandardMsgs } from '../chain/msgs.ts';
import { ContractError, type CosmosMsg, type Event, ModuleError, ResponseBuilder } from '../chain/types.ts';
import { BLOCK_NS, GENESIS, chainParams } from '../contracts/consumer.testkit.ts';
import { MSG_SET_MAX_CAP, MSG_SET_PRICE_FEED, TaskType, epochDue, installMeshSecurity, maxCapLimit, maxCapLimits } from './meshsecurity.ts';

interface Probe extends ContractInstance {
  sudos: unknown[];
  fail?: string;
}

/** Forwards `{msgs:[CosmosMsg]}` as sub-messages; records sudo calls (optionally failing them). */
const probeCode: ContractCode = {
  name: 'probe',
  version: '0',
  instantiate() {
    const inst: Probe = {
      sudos: [],
      execute(_ctx, _info, msg) {
        const r = new ResponseBuilder();
        for (const m of (msg as { msgs: CosmosMsg[] }).msgs) r.msg(m);
        return r;
      },
      query: () => ({}),
      sudo(_ctx, msg) {
        inst.sudos.push(msg);
        if (inst.fail) throw new ContractError(inst.fail);
        return new ResponseBuilder();
      },
    };
    return { instance: inst, response: new ResponseBuilder() };
  },
};

function setup(epochLength = 10) {
  const chain = new Chain(chainParams('consumer'), GENESIS);
  installStandardMsgs(chain);
  const vals = ['val0', 'val1', 'val2', 'val3'].map((n) => chain.valoper(n));
  chain.journal.atomic(() => vals.forEach((op, i) => chain.staking.initGenesisValidator({ operator: op, delegator: chain.addr(`val${i}`), tokens: 1_000_000n, shares: LegacyDec.ONE })));
  const ms = installMeshSecurity(chain, { epochLength, totalContractsMaxCap: { denom: 'stake', amount: 10_000_000_000n } });
  const code = chain.wasm.storeCode(probeCode);
  const admin = chain.addr('admin');
  const mk = (label: string) => chain.journal.atomic(() => chain.instantiate(admin, code, {}, [], label).address);
  const a = mk('a');
  const b = mk('b');
  const gov = chain.moduleAddr('gov');
  const block = (msgs: TxMsg[] = [], signer = gov) => chain.produceBlock(chain.time + BLOCK_NS, msgs.length ? [{ signer, msgs }] : []);
  const setCap = (contract: string, amount: bigint | string, signer = gov, authority = gov) =>
    block([{ typeUrl: MSG_SET_MAX_CAP, value: { authority, contract, maxCap: { denom: 'stake', amount: amount.toString() } } }], signer);
  const probe = (addr: string) => chain.wasm.contract(addr).instance as Probe;
  const send = (from: string, ...msgs: CosmosMsg[]) => chain.journal.atomic(() => chain.execute(admin, from, { msgs }, []));
  const vstake = (m: Record<string, unknown>): CosmosMsg => ({ kind: 'custom', msg: { virtual_stake: m } });
  return { chain, ms, vals, a, b, gov, admin, block, setCap, probe, send, vstake };
}

const shape = (events: Event[], ...types: string[]) =>
  events.filter((e) => types.includes(e.type)).map((e) => [e.type, ...e.attributes.map((x) => x.key).filter((k) => k !== 'mode' && k !== 'msg_index')]);
const attrsOf = (e: Event | undefined) => Object.fromEntries((e?.attributes ?? []).filter((x) => x.key !== 'mode' && x.key !== 'msg_index').map((x) => [x.key, x.value]));

describe('MsgSetVirtualStakingMaxCap / MsgSetPriceFeedContract', () => {
  it('sets the cap, emits max_cap_limit_updated and schedules the repeating epoch', () => {
    const { chain, a, setCap, ms } = setup();
    const r = setCap(a, 1_000_000_000n);
    assert.equal(r.txResults[0]!.code, 0);
    const ev = r.txResults[0]!.events;
    assert.deepEqual(shape(ev, 'max_cap_limit_updated', 'scheduler_registered'), [
      ['max_cap_limit_updated', 'module', 'virtual_staking_contract', 'amount'],
      ['scheduler_registered', 'module', 'virtual_staking_contract', 'next_exececution_block', 'repeat'],
    ]);
    const find = (evs: Event[], t: string) => evs.find((e) => e.type === t);
    assert.deepEqual(attrsOf(find(ev, 'max_cap_limit_updated')), { module: 'meshsecurity', virtual_staking_contract: a, amount: '1000000000stake' });
    assert.deepEqual(attrsOf(find(ev, 'scheduler_registered')), { module: 'meshsecurity', virtual_staking_contract: a, next_exececution_block: String(chain.height + 10n), repeat: 'true' });
    assert.equal(epochDue(chain, a), chain.height + 10n);
    assert.deepEqual(maxCapLimit(chain, a), { delegated: { denom: 'stake', amount: '0' }, cap: { denom: 'stake', amount: '1000000000' } });
    // a second update only changes the cap: the epoch task stays where it is
    const due = epochDue(chain, a);
    const r2 = setCap(a, 5n);
    assert.deepEqual(shape(r2.txResults[0]!.events, 'max_cap_limit_updated', 'scheduler_registered'), [['max_cap_limit_updated', 'module', 'virtual_staking_contract', 'amount']]);
    assert.equal(epochDue(chain, a), due);
    assert.equal(ms.hasScheduledTask(TaskType.handleEpoch, a, true), true);
  });

  it('authority, denom, total cap and unknown contract errors', () => {
    const { chain, a, b, setCap, admin } = setup();
    const gov = chain.moduleAddr('gov');
    assert.equal(setCap(a, 1n, admin, admin).txResults[0]!.error, `invalid authority; expected ${gov}, got ${admin}: expected gov account as only signer for proposal message`);
    assert.equal(setCap(a, 1n, admin, gov).txResults[0]!.error, 'signer does not match authority: unauthorized');
    const wrong = chain.produceBlock(chain.time + BLOCK_NS, [{ signer: gov, msgs: [{ typeUrl: MSG_SET_MAX_CAP, value: { authority: gov, contract: a, maxCap: { denom: 'uosmo', amount: '1' } } }] }]);
    assert.equal(wrong.txResults[0]!.error, 'invalid coins');
    const ghost = chain.addr('ghost');
    assert.equal(setCap(ghost, 1n).txResults[0]!.error, `contract: ${ghost}: unknown`);
    setCap(a, 6_000_000_000n);
    const over = setCap(b, 5_000_000_000n).txResults[0]!;
    assert.equal(over.error, 'amount exceeds total available max cap (used 6000000000 of 10000000000stake): invalid');
    assert.equal(over.codespace, 'meshsecurity');
    assert.equal(over.code, 1);
    assert.equal(setCap(a, 10_000_000_000n).txResults[0]!.code, 0); // its own old cap does not count
    assert.deepEqual(maxCapLimits(chain).max_cap_infos.map((i) => i.contract), [a]);
  });

  it('price feed epochs: repeating handle_epoch; duplicate registration fails', () => {
    const { chain, b, block, gov, probe } = setup(3);
    const msg = { typeUrl: MSG_SET_PRICE_FEED, value: { authority: gov, contract: b } };
    assert.equal(block([msg]).txResults[0]!.code, 0);
    const dup = block([msg]).txResults[0]!;
    assert.equal(dup.error, 'contract duplicated');
    assert.equal(dup.code, 5);
    const due = epochDue(chain, b)!;
    while (chain.height < due) block();
    assert.deepEqual(probe(b).sudos, [{ handle_epoch: {} }]);
    assert.equal(epochDue(chain, b), chain.height + 3n);
  });
});

describe('virtual_stake custom messages', () => {
  it('only contracts with a max cap entry (even 0) may send them', () => {
    const { a, b, setCap, send, vstake, vals } = setup();
    const msg = vstake({ bond: { amount: { denom: 'stake', amount: '5' }, validator: vals[0] } });
    assert.throws(() => send(a, msg), new ModuleError('sdk', 4, 'contract has no permission for mesh security operations: unauthorized'));
    setCap(b, 0n);
    assert.throws(() => send(b, msg), /0stake exceeds 0stake|5stake exceeds 0stake: max cap exceeded/);
    assert.doesNotThrow(() => send(b, vstake({ delete_all_scheduled_tasks: {} })));
  });

  it('bond: mint, send, delegate, instant_delegate; unbond: undelegate, burn, instant_unbond', () => {
    const { chain, a, setCap, send, vstake, vals, ms } = setup();
    setCap(a, 100n);
    const bond = send(a, vstake({ bond: { amount: { denom: 'stake', amount: '60' }, validator: vals[1] } })).events;
    assert.deepEqual(
      bond.slice(1).map((e) => e.type),
      ['coin_received', 'coinbase', 'coin_spent', 'coin_received', 'transfer', 'coin_spent', 'coin_received', 'instant_delegate'],
    );
    assert.deepEqual(shape(bond, 'instant_delegate'), [['instant_delegate', 'module', 'validator', 'amount', 'delegator']]);
    assert.deepEqual(attrsOf(bond.at(-1)), { module: 'meshsecurity', validator: vals[1], amount: '60stake', delegator: a });
    assert.equal(chain.staking.delegation(a, vals[1]!)!.tokens, 60n);
    assert.equal(ms.totalDelegated(a).amount, 60n);
    assert.throws(() => send(a, vstake({ bond: { amount: { denom: 'stake', amount: '41' }, validator: vals[1] } })), new ModuleError('meshsecurity', 2, '101stake exceeds 100stake: max cap exceeded'));
    assert.throws(() => send(a, vstake({ bond: { amount: { denom: 'stake', amount: '0' }, validator: vals[1] } })), new ModuleError('sdk', 18, 'amount: invalid request'));
    assert.throws(() => send(a, vstake({ bond: { amount: { denom: 'uosmo', amount: '1' }, validator: vals[1] } })), /invalid coin denomination: got uosmo, expected stake: invalid request/);
    assert.throws(() => send(a, vstake({ bond: { amount: { denom: 'stake', amount: '1' }, validator: chain.valoper('nobody') } })), /validator does not exist/);

    const supply = chain.bank.totalSupply('stake');
    const unbond = send(a, vstake({ unbond: { amount: { denom: 'stake', amount: '20' }, validator: vals[1] } })).events;
    assert.deepEqual(shape(unbond, 'instant_unbond'), [['instant_unbond', 'module', 'validator', 'amount', 'sender']]);
    assert.ok(unbond.some((e) => e.type === 'burn'));
    assert.equal(chain.bank.totalSupply('stake'), supply - 20n);
    assert.equal(ms.totalDelegated(a).amount, 40n);
    assert.throws(() => send(a, vstake({ unbond: { amount: { denom: 'stake', amount: '41' }, validator: vals[1] } })), new ModuleError('sdk', 18, 'amount exceeds total delegated: invalid request'));
    // no delegation to that validator: silently nothing, the event is still emitted
    const none = send(a, vstake({ unbond: { amount: { denom: 'stake', amount: '5' }, validator: vals[2] } })).events;
    assert.deepEqual(none.slice(1).map((e) => e.type), ['instant_unbond']);
    assert.equal(ms.totalDelegated(a).amount, 40n);
  });

  it('update_delegation keeps records (consumer-prefix delegators only); delete_all_scheduled_tasks', () => {
    const { chain, a, setCap, send, vstake, vals, ms } = setup();
    setCap(a, 100n);
    const user = chain.addr('user');
    const upd = (amount: string, is_deduct: boolean, delegator = user) => send(a, vstake({ update_delegation: { amount: { denom: 'stake', amount }, is_deduct, delegator, validator: vals[1] } })).events;
    const ev = upd('30', false);
    assert.deepEqual(shape(ev, 'update_delegation'), [['update_delegation', 'module', 'delegator', 'validator', 'amount', 'sender']]);
    assert.deepEqual(attrsOf(ev.at(-1)), { module: 'meshsecurity', delegator: user, validator: vals[1], amount: '30stake', sender: a });
    upd('10', true);
    assert.deepEqual(ms.delegationRecords(a).map((r) => r.amount), [20n]);
    assert.deepEqual(attrsOf(upd('5', true).at(-1)).amount, '5stake'); // always positive in the event
    upd('15', true);
    assert.deepEqual(ms.delegationRecords(a), []);
    assert.throws(() => upd('1', false, reencodeAddress(user, 'osmo')), /invalid Bech32 prefix; expected mesh, got osmo/);
    assert.equal(epochDue(chain, a) !== undefined, true);
    const del = send(a, vstake({ delete_all_scheduled_tasks: {} })).events;
    assert.deepEqual(del.map((e) => e.type), ['execute']);
    assert.equal(epochDue(chain, a), undefined);
  });

  it('capped contracts may not send staking messages (integrity handler)', () => {
    const { chain, a, b, setCap, send, vals } = setup();
    setCap(a, 100n);
    chain.bank.fund(a, { denom: 'stake', amount: 10n });
    chain.bank.fund(b, { denom: 'stake', amount: 10n });
    const del: CosmosMsg = { kind: 'staking_delegate', validator: vals[0]!, amount: { denom: 'stake', amount: 5n } };
    assert.throws(() => send(a, del), new ModuleError('meshsecurity', 3, 'message type for contracts with max cap set: unsupported'));
    assert.doesNotThrow(() => send(b, del));
  });
});

describe('virtual_stake custom queries', () => {
  it('bond_status, slash_ratio, total_delegation, all_delegations', () => {
    const { chain, a, setCap, send, vstake, vals } = setup();
    setCap(a, 100n);
    send(a, vstake({ bond: { amount: { denom: 'stake', amount: '45' }, validator: vals[1] } }));
    const user = chain.addr('user');
    for (const v of [vals[1], vals[2], vals[3]]) send(a, vstake({ update_delegation: { amount: { denom: 'stake', amount: '7' }, is_deduct: false, delegator: user, validator: v } }));
    const q = (x: unknown) => chain.querier.custom({ virtual_stake: x });
    assert.deepEqual(q({ bond_status: { contract: a } }), { cap: { denom: 'stake', amount: '100' }, delegated: { denom: 'stake', amount: '45' } });
    assert.deepEqual(q({ slash_ratio: {} }), { slash_fraction_downtime: '0.100000000000000000', slash_fraction_double_sign: '0.100000000000000000' });
    assert.deepEqual(q({ total_delegation: { contract: a, validator: vals[1] } }), { delegation: { denom: 'stake', amount: '45' } });
    assert.deepEqual(q({ total_delegation: { contract: a, validator: vals[2] } }), { delegation: { denom: 'stake', amount: '0' } });
    const all = q({ all_delegations: { contract: a, max_retrieve: 2 } }) as { delegations: unknown[] };
    assert.equal(all.delegations.length, 2);
    assert.deepEqual(all.delegations[0], { delegator: user, validator: all.delegations[0] && (all.delegations[0] as { validator: string }).validator, amount: '7' });
    assert.throws(() => q({ max_cap: {} }), /unknown virtual_stake query variant/);
  });
});

describe('valset reports: hooks, scheduler, EndBlocker', () => {
  it('jailing: a one-shot task for contracts with cap > 0 and a full report via handle_valset_update', () => {
    const { chain, a, b, setCap, probe, vals, block, send, vstake } = setup(1000);
    setCap(a, 1_000_000_000n);
    setCap(b, 0n);
    send(a, vstake({ bond: { amount: { denom: 'stake', amount: '45000000' }, validator: vals[1] } }));
    for (let i = 0; i < 3; i++) block();
    chain.scheduleBegin(() => chain.slashing.jailForDowntime(vals[1]!, chain.time, chain.height));
    const r = block();
    assert.deepEqual(shape(r.beginEvents, 'scheduler_registered'), [['scheduler_registered', 'module', 'virtual_staking_contract', 'next_exececution_block', 'repeat']]);
    assert.deepEqual(attrsOf(r.beginEvents.find((e) => e.type === 'scheduler_registered')), {
      module: 'meshsecurity',
      virtual_staking_contract: a,
      next_exececution_block: String(chain.height),
      repeat: 'false',
    });
    assert.deepEqual(probe(b).sudos, []);
    const [sudo] = probe(a).sudos as Array<{ handle_valset_update: Record<string, unknown[]> }>;
    const rep = sudo!.handle_valset_update;
    assert.deepEqual(Object.keys(rep), ['additions', 'removals', 'updated', 'jailed', 'unjailed', 'tombstoned', 'slashed']);
    assert.deepEqual(rep.removals, [vals[1]]);
    assert.deepEqual(rep.jailed, [vals[1]]);
    assert.deepEqual(rep.updated, [{ address: vals[1], commission: '0.000000000000000000', max_commission: '0.000000000000000000', max_change_rate: '0.000000000000000000' }]);
    assert.deepEqual(rep.slashed, [
      {
        address: vals[1],
        height: Number(chain.height),
        time: Number(chain.time / 1_000_000_000n),
        infraction_height: Number(chain.height - 2n),
        infraction_time: 0,
        power: 46,
        slash_amount: '4500000',
        slash_ratio: '0.100000000000000000',
        is_tombstoned: false,
      },
    ]);
    assert.deepEqual(shape(r.endEvents, 'scheduler_execution'), [['scheduler_execution', 'module', 'virtual_staking_contract', 'execution_success']]);
    // the operations are cleared after the block
    block();
    assert.equal(probe(a).sudos.length, 1);
  });

  it('double sign: tombstoned + is_tombstoned flag (cleared after the report); unjail and new validators', () => {
    const { chain, a, setCap, probe, vals, block } = setup(1000);
    setCap(a, 1_000n);
    chain.scheduleBegin(() => chain.slashing.doubleSign(vals[2]!, 1n, chain.height, chain.time, chain.height));
    block();
    const rep = (probe(a).sudos.at(-1) as { handle_valset_update: Record<string, unknown[]> }).handle_valset_update;
    assert.deepEqual(rep.tombstoned, [vals[2]]);
    assert.equal((rep.slashed![0] as { is_tombstoned: boolean }).is_tombstoned, true);
    assert.equal((rep.slashed![0] as { slash_amount: string }).slash_amount, '0'); // no delegation from the contract
    assert.equal(chain.module<import('./meshsecurity.ts').MeshSecurity>('meshsecurity').isTombstonedStatus(vals[2]!), false);

    // downtime jail, then unjail back into the set: unjailed + additions
    const d = chain.addr('delegator');
    chain.bank.fund(d, { denom: 'stake', amount: 5_000_000n });
    chain.journal.atomic(() => chain.staking.delegate(d, vals[3]!, 5_000_000n));
    block();
    block();
    chain.scheduleBegin(() => chain.slashing.jailForDowntime(vals[3]!, chain.time, chain.height));
    block();
    chain.produceBlock(chain.time + 601n * 1_000_000_000n);
    chain.journal.atomic(() => chain.slashing.unjail(vals[3]!, chain.time));
    block();
    const rep2 = (probe(a).sudos.at(-1) as { handle_valset_update: Record<string, Array<{ address?: string }>> }).handle_valset_update;
    assert.deepEqual(rep2.unjailed, [vals[3]]);
    assert.deepEqual(rep2.additions!.map((v) => v.address), [vals[3]]);
  });

  it('a failing sudo: scheduler_execution with error, its events dropped; repeating tasks rescheduled', () => {
    const { chain, a, setCap, probe, block } = setup(2);
    setCap(a, 10n);
    probe(a).fail = 'boom';
    let r = block();
    r = block();
    const ex = r.endEvents.filter((e) => e.type === 'scheduler_execution' || e.type === 'scheduler_registered' || e.type === 'sudo');
    assert.deepEqual(shape(ex, 'scheduler_execution', 'scheduler_registered', 'sudo'), [
      ['scheduler_execution', 'module', 'virtual_staking_contract', 'execution_success', 'error'],
      ['scheduler_registered', 'module', 'virtual_staking_contract', 'next_exececution_block', 'repeat'],
    ]);
    assert.deepEqual(attrsOf(ex[0]), { module: 'meshsecurity', virtual_staking_contract: a, execution_success: 'false', error: 'boom: execute wasm contract failed' });
    assert.equal(attrsOf(ex[1]).next_exececution_block, String(chain.height + 2n));
  });
});
