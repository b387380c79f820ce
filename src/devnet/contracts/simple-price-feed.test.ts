import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chain } from '../chain/chain.ts';
import { ContractError } from '../chain/types.ts';
import { GENESIS, chainParams } from './consumer.testkit.ts';
import { simplePriceFeedCode } from './simple-price-feed.ts';

function setup(msg: unknown = { native_per_foreign: '0.5' }) {
  const chain = new Chain(chainParams('consumer'), GENESIS);
  const admin = chain.addr('admin');
  chain.bank.fund(admin, { denom: 'stake', amount: 100n });
  const code = chain.wasm.storeCode(simplePriceFeedCode);
  const addr = chain.journal.atomic(() => chain.instantiate(admin, code, msg, [], 'price feed').address);
  return { chain, admin, code, addr };
}

describe('simple-price-feed (spec §1.7)', () => {
  it('answers price{} and config{}; owner defaults to the sender', () => {
    const { chain, admin, addr } = setup();
    assert.deepEqual(chain.query(addr, { price: {} }), { native_per_foreign: '0.5' });
    assert.deepEqual(chain.query(addr, { config: {} }), { owner: admin, native_per_foreign: '0.5' });
  });

  it('update_price: owner only, no funds, no attributes', () => {
    const { chain, admin, addr } = setup({ native_per_foreign: '1.5', owner: undefined });
    const exec = (sender: string, msg: unknown, funds = [] as Array<{ denom: string; amount: bigint }>) => chain.journal.atomic(() => chain.execute(sender, addr, msg, funds));
    assert.throws(() => exec(chain.addr('mallory'), { update_price: { native_per_foreign: '9' } }), new ContractError('Unauthorized'));
    assert.throws(() => exec(admin, { update_price: { native_per_foreign: '9' } }, [{ denom: 'stake', amount: 1n }]), new ContractError('This message does no accept funds'));
    const r = exec(admin, { update_price: { native_per_foreign: '0.250000000000000000' } });
    assert.deepEqual(r.events.map((e) => e.type), ['execute']);
    assert.deepEqual(chain.query(addr, { price: {} }), { native_per_foreign: '0.25' });
  });

  it('explicit owner is validated; handle_epoch sudo is a no-op', () => {
    const { chain, code } = setup();
    const owner = chain.addr('owner');
    const addr = chain.journal.atomic(() => chain.instantiate(chain.addr('admin'), code, { native_per_foreign: '2', owner }, [], 'pf2').address);
    assert.equal((chain.query(addr, { config: {} }) as { owner: string }).owner, owner);
    assert.throws(() => chain.journal.atomic(() => chain.instantiate(chain.addr('admin'), code, { native_per_foreign: '2', owner: 'nope' }, [], 'pf3')), /addr_validate errored/);
    const r = chain.sudo(addr, { handle_epoch: {} });
    assert.deepEqual(r.events.map((e) => e.type), ['sudo']);
    assert.throws(() => chain.query(addr, { prices: {} }), /Error parsing into type mesh_simple_price_feed::contract::sv::ContractQueryMsg: unknown variant `prices`/);
  });
});
