// native-staking-proxy: owner/parent checks, burn spread (distribute_burn), the burned counter in
// release_unbonded, governance/redelegation/reward messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Chain } from '../chain/chain.ts';
import { LegacyDec } from '../chain/legacy-dec.ts';
import type { ContractCode, ContractInstance } from '../chain/contract.ts';
import { type Event, ResponseBuilder, nsPerSecond } from '../chain/types.ts';
import { nativeStakingProxyCode } from './native-staking-proxy.ts';
import { coin, M, msgIs, providerParams } from './provider.testkit.ts';

const PARAMS = providerParams();
const types = (ev: Event[]) => ev.map((e) => e.type).filter((t) => t !== 'withdraw_rewards');

/** A stand-in native-staking: records what it is sent. */
const parentCalls: Array<{ msg: unknown; funds: unknown }> = [];
const mockParent: ContractCode = {
  name: 'mock-native-staking',
  version: '0',
  instantiate: () => ({
    instance: { execute: (_c, info, msg) => (parentCalls.push({ msg, funds: info.funds }), new ResponseBuilder()), query: () => ({}) } satisfies ContractInstance,
    response: new ResponseBuilder(),
  }),
};

/** The proxy alone, instantiated by a mock parent. */
function setup() {
  const chain = new Chain(PARAMS, 1_700_000_000n * nsPerSecond);
  const vals = ['val0', 'val1', 'val2'].map((n) => {
    chain.staking.initGenesisValidator({ operator: chain.valoper(n), delegator: chain.addr(n), tokens: M, shares: LegacyDec.ONE });
    return chain.valoper(n);
  });
  const parent = chain.journal.atomic(() => chain.instantiate(chain.addr('admin'), chain.wasm.storeCode(mockParent), {}, [], 'parent')).address;
  const owner = chain.addr('owner');
  chain.bank.fund(owner, { denom: 'stake', amount: 10n });
  chain.bank.fund(parent, { denom: 'stake', amount: 1_000n * M });
  const id = chain.wasm.storeCode(nativeStakingProxyCode);
  const inst = chain.journal.atomic(() => chain.instantiate(parent, id, { denom: 'stake', owner, validator: vals[0] }, [{ denom: 'stake', amount: 100n * M }], 'LSP'));
  const proxy = inst.address;
  const exec = (sender: string, msg: unknown, funds: Array<{ denom: string; amount: bigint }> = []) =>
    chain.journal.atomic(() => chain.execute(sender, proxy, msg, funds)).events;
  return { chain, vals, parent, owner, proxy, inst, exec, id };
}

describe('native-staking-proxy', () => {
  it('instantiate delegates the funds, sets the withdraw address and returns {"owner"} as data', () => {
    const { chain, vals, parent, owner, proxy, inst, id } = setup();
    assert.deepEqual(types(inst.events), ['coin_spent', 'coin_received', 'transfer', 'instantiate', 'coin_spent', 'coin_received', 'delegate', 'set_withdraw_address']);
    assert.equal(new TextDecoder().decode(inst.data), JSON.stringify({ owner }));
    assert.equal(chain.staking.delegation(proxy, vals[0]!)!.tokens, 100n * M);
    assert.deepEqual(chain.query(proxy, { config: {} }), { denom: 'stake', parent, owner });
    assert.throws(() => chain.journal.atomic(() => chain.instantiate(parent, id, { denom: 'stake', owner, validator: vals[0] }, [], 'x')), msgIs('No funds sent'));
  });

  it('only the parent stakes/burns, only the owner runs the rest, nothing is payable', () => {
    const { vals, parent, owner, exec } = setup();
    assert.throws(() => exec(owner, { stake: { validator: vals[1] } }, [{ denom: 'stake', amount: 1n }]), msgIs('Unauthorized'));
    assert.throws(() => exec(owner, { burn: { validator: null, amount: coin(1n) } }), msgIs('Unauthorized'));
    for (const m of [{ withdraw_rewards: {} }, { release_unbonded: {} }, { vote: { proposal_id: 1, vote: 'yes' } }]) {
      assert.throws(() => exec(parent, m), msgIs('Unauthorized'));
    }
    assert.throws(() => exec(parent, { burn: { amount: { denom: 'uosmo', amount: '1' } } }), msgIs('Try to send wrong denom: uosmo'));
    assert.throws(() => exec(owner, { restake: { src_validator: vals[0], dst_validator: vals[1], amount: { denom: 'x', amount: '1' } } }), msgIs('Try to send wrong denom: x'));
  });

  it('burn without validator spreads with distribute_burn: one undelegation per validator, remainder on the first', () => {
    const { chain, vals, parent, owner, proxy, exec } = setup();
    exec(parent, { stake: { validator: vals[1] } }, [{ denom: 'stake', amount: 200n }]);
    exec(parent, { stake: { validator: vals[2] } }, [{ denom: 'stake', amount: 300n }]);
    // delegations 100M / 200 / 300 → burn 100 → 33 each, the remainder 1 on the first that can absorb it
    const ev = exec(parent, { burn: { amount: coin(100n) } });
    const unbonds = ev.filter((e) => e.type === 'unbond').map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
    const order = chain.querier.allDelegations(proxy).map((d) => d.validator);
    assert.deepEqual(
      unbonds.map((u) => [u.validator, u.amount]),
      order.map((v, i) => [v, i === 0 ? '34stake' : '33stake']),
    );
    // the burned 100 never returns to the parent
    chain.bank.fund(proxy, { denom: 'stake', amount: 130n });
    parentCalls.length = 0;
    exec(owner, { release_unbonded: {} });
    assert.deepEqual(parentCalls, [{ msg: { release_proxy_stake: {} }, funds: [{ denom: 'stake', amount: 30n }] }]);
    assert.equal(chain.bank.balance(parent, 'stake'), 1_000n * M - 100n * M - 500n + 30n);
  });

  it('burn on one validator, and InsufficientDelegations', () => {
    const { chain, vals, parent, proxy, exec } = setup();
    const ev = exec(parent, { burn: { validator: vals[0], amount: coin(7n) } });
    // the bonded pool's tokens move to the not-bonded pool (x/bank events; wasmd drops `message`)
    assert.deepEqual(types(ev), ['execute', 'coin_spent', 'coin_received', 'transfer', 'unbond']);
    assert.throws(() => exec(parent, { burn: { validator: vals[1], amount: coin(1n) } }), msgIs(`Native proxy ${proxy} has not enough delegated funds: 1`));
    assert.throws(() => exec(parent, { burn: { amount: coin(200n * M) } }), msgIs(`Native proxy ${proxy} has not enough delegated funds: 200000000`));
    void chain;
  });

  it('owner messages: restake (redelegate), vote, vote_weighted, withdraw_rewards, unstake custom msg', () => {
    const { chain, vals, owner, proxy, exec } = setup();
    const r = exec(owner, { restake: { src_validator: vals[0], dst_validator: vals[1], amount: coin(10n * M) } });
    assert.ok(types(r).includes('redelegate'));
    assert.equal(chain.staking.delegation(proxy, vals[1]!)!.tokens, 10n * M);
    assert.ok(types(exec(owner, { vote: { proposal_id: 3, vote: 'yes' } })).includes('proposal_vote'));
    assert.ok(types(exec(owner, { vote_weighted: { proposal_id: 3, vote: [{ option: 'no', weight: '1' }] } })).includes('proposal_vote'));
    assert.equal(exec(owner, { withdraw_rewards: {} }).filter((e) => e.type === 'withdraw_rewards').length, 2);
    // without x/meshsecurityprovider the custom message has no handler
    assert.throws(() => exec(owner, { unstake: { validator: vals[0], amount: coin(1n) } }), /Unknown custom message: \{"provider":\{"unstake":\{"delegator":/);
  });
});
