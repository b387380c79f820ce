import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScenario, runScenario } from '../devnet/scenario/runner.ts';
import { indexChain } from './mappings.testkit.ts';
import { wasmMapping } from './wasm.ts';

test('every Mesh Security contract of a deployment is discovered from instantiate events, sub-instantiations included', async () => {
  const chains = {
    provider: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val0', stake: 1000000 }], accounts: { alice: 1000000000 } },
    consumer: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val1', stake: 1000000 }], consumer: { epoch_length: 10 } },
  };
  const { devnet } = runScenario(parseScenario({ chains, pairings: { main: { provider: 'provider', consumer: 'consumer' } }, steps: [{ bond: { user: 'alice', amount: 10 } }, { stake_local: { user: 'alice', validator: 'val0', amount: 5 } }] }));
  const p = devnet.pairings.get('main')!;
  const prov = await indexChain(p.provider, [wasmMapping]);
  const cons = await indexChain(p.consumer, [wasmMapping]);
  const proxy = p.provider.query(devnet.providers.get('provider')!.nativeStaking, { proxy_by_owner: { owner: p.provider.addr('alice') } }) as { proxy: string };
  assert.equal(prov.contracts.kindOf(devnet.providers.get('provider')!.vault), 'vault');
  assert.equal(prov.contracts.kindOf(devnet.providers.get('provider')!.nativeStaking), 'native_staking');
  assert.equal(prov.contracts.kindOf(proxy.proxy), 'native_staking_proxy');
  assert.equal(prov.contracts.kindOf(p.externalStaking), 'external_staking');
  assert.equal(cons.contracts.kindOf(p.converter), 'converter');
  assert.equal(cons.contracts.kindOf(p.virtualStaking), 'virtual_staking');
  assert.equal(cons.contracts.kindOf(p.priceFeed), 'price_feed');
  assert.deepEqual(prov.contracts.all('vault'), [devnet.providers.get('provider')!.vault]);
  const rows = prov.out.batches().find((b) => b.entity === 'Contract');
  assert.equal(rows?.rows.size, 4);
});
