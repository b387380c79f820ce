import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CosmWasmClient } from '@cosmjs/cosmwasm-stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { QuerySmartContractStateRequest, QuerySmartContractStateResponse } from 'cosmjs-types/cosmwasm/wasm/v1/query';
import { QueryVirtualStakingMaxCapLimitRequest, QueryVirtualStakingMaxCapLimitResponse } from '../../protocol/proto/mesh.ts';
import { BlockStore } from '../node/block-store.ts';
import { decodeMsg } from '../node/msg-registry.ts';
import { Workload } from '../workload/run.ts';
import { startRpcServer } from './server.ts';

test('a deployed devnet with a workload: every tx decodes, smart queries and module queries work at latest and past heights', async (t) => {
  const w = new Workload({ blocks: 25, topologyOptions: { users: 8, validators: 3 }, invariants: false, seed: 3 });
  w.runFast();
  const { devnet } = w;
  const pairing = [...devnet.pairings.values()][0]!;
  const provider = pairing.provider;
  const consumer = pairing.consumer;

  const srvP = await startRpcServer(new BlockStore(provider));
  const srvC = await startRpcServer(new BlockStore(consumer));
  t.after(() => Promise.all([srvP.close(), srvC.close()]));

  // every tx of every block, on both chains, decodes with cosmjs-types and the registry
  const types = new Set<string>();
  for (const srv of [srvP, srvC]) {
    const tm = await Comet38Client.connect(srv.url);
    const tip = (await tm.status()).syncInfo.latestBlockHeight;
    for (let h = 1; h <= tip; h++) {
      const block = await tm.block(h);
      const results = await tm.blockResults(h);
      assert.equal(results.results.length, block.block.txs.length);
      for (const raw of block.block.txs) {
        const body = TxBody.decode(TxRaw.decode(raw).bodyBytes);
        for (const m of body.messages) {
          assert.ok(decodeMsg(m.typeUrl, m.value), m.typeUrl);
          types.add(m.typeUrl);
        }
      }
    }
    tm.disconnect();
  }
  for (const u of [
    '/cosmwasm.wasm.v1.MsgInstantiateContract',
    '/cosmwasm.wasm.v1.MsgExecuteContract',
    '/osmosis.meshsecurity.v1beta1.MsgSetVirtualStakingMaxCap',
    '/osmosis.meshsecurityprovider.MsgUpdateParams',
    '/ibc.core.client.v1.MsgUpdateClient',
    '/ibc.core.channel.v1.MsgRecvPacket',
    '/ibc.core.channel.v1.MsgAcknowledgement',
    '/ibc.core.channel.v1.MsgChannelOpenInit',
  ]) {
    assert.ok(types.has(u), `no ${u} in the blocks`);
  }

  // CosmWasmClient smart queries against the deployed contracts
  const wasmP = await CosmWasmClient.connect(srvP.url);
  t.after(() => wasmP.disconnect());
  const vault = devnet.providers.get(provider.id)!.vault;
  const config = (await wasmP.queryContractSmart(vault, { config: {} })) as { denom: string };
  assert.equal(config.denom, provider.params.bondDenom);
  assert.equal((await wasmP.getContract(pairing.externalStaking)).address, pairing.externalStaking);
  await assert.rejects(wasmP.queryContractSmart(vault, { no_such_query: {} }), /Query failed with \(6\)/);

  // the vault at a past height (right after instantiation: no accounts yet) and at the latest
  const tmP = await Comet38Client.connect(srvP.url);
  const tmC = await Comet38Client.connect(srvC.url);
  t.after(() => [tmP, tmC].forEach((c) => c.disconnect()));
  const req = (q: unknown) => QuerySmartContractStateRequest.encode({ address: vault, queryData: new TextEncoder().encode(JSON.stringify(q)) }).finish();
  const past = await tmP.abciQuery({ path: '/cosmwasm.wasm.v1.Query/SmartContractState', data: req({ all_accounts: {} }), height: 3 });
  assert.equal(past.code, 0);
  assert.equal(past.height, 3);
  const accounts = (v: Uint8Array) => (JSON.parse(new TextDecoder().decode(QuerySmartContractStateResponse.decode(v).data)) as { accounts: unknown[] }).accounts;
  assert.equal(accounts(past.value).length, 0);
  const now = (await wasmP.queryContractSmart(vault, { all_accounts: {} })) as { accounts: unknown[] };
  assert.ok(now.accounts.length > 0);

  // x/meshsecurity gRPC query on the consumer
  const limit = await tmC.abciQuery({
    path: '/osmosis.meshsecurity.v1beta1.Query/VirtualStakingMaxCapLimit',
    data: QueryVirtualStakingMaxCapLimitRequest.encode({ address: pairing.virtualStaking }).finish(),
  });
  assert.equal(limit.code, 0);
  const decoded = QueryVirtualStakingMaxCapLimitResponse.decode(limit.value);
  assert.equal(decoded.cap.amount, pairing.config.maxCap.toString());
  assert.equal(decoded.cap.denom, consumer.params.bondDenom);
  const json = await tmC.abciQuery({ path: '/devnet/module/meshsecurity', data: new TextEncoder().encode(JSON.stringify({ max_cap_limit: { contract: pairing.virtualStaking } })) });
  assert.equal((JSON.parse(new TextDecoder().decode(json.value)) as { cap: { amount: string } }).cap.amount, pairing.config.maxCap.toString());
});
