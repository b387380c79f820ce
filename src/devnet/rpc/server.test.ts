import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Comet38Client, HttpBatchClient, Tendermint37Client, connectComet, isComet38Client, isTendermint37Client } from '@cosmjs/tendermint-rpc';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { BlockStore } from '../node/block-store.ts';
import { sendBlocks, tinyDevnet } from '../node/devnet.testkit.ts';
import { decodeMsg } from '../node/msg-registry.ts';
import { startRpcServer } from './server.ts';

type Client = Comet38Client | Tendermint37Client;

/** Every read a indexer does, through cosmjs' own decoders (which throw on a shape mismatch). */
async function readEverything(client: Client, expectedHeight: number) {
  const status = await client.status();
  assert.equal(status.syncInfo.latestBlockHeight, expectedHeight);
  assert.equal(status.nodeInfo.network, 'rpc-test-1');
  await client.health();
  const info = await client.abciInfo();
  assert.equal(info.lastBlockHeight, expectedHeight);
  const genesis = await client.genesis();
  assert.equal(genesis.chainId, 'rpc-test-1');
  const chainInfo = await client.blockchain();
  assert.equal(chainInfo.lastHeight, expectedHeight);
  assert.deepEqual(
    chainInfo.blockMetas.map((m) => m.header.height),
    Array.from({ length: expectedHeight }, (_, i) => expectedHeight - i),
  );
  const vals = await client.validators({});
  assert.equal(vals.total, 2);
  assert.equal((await client.commit(2)).commit.height, 2);
  let txCount = 0;
  for (let h = 1; h <= expectedHeight; h++) {
    const block = await client.block(h);
    assert.equal(block.block.header.height, h);
    const results = await client.blockResults(h);
    assert.equal(results.results.length, block.block.txs.length);
    for (const [i, raw] of block.block.txs.entries()) {
      // every tx decodes with cosmjs-types, every message with its registered codec
      const body = TxBody.decode(TxRaw.decode(raw).bodyBytes);
      for (const m of body.messages) assert.ok(decodeMsg(m.typeUrl, m.value));
      const hash = Buffer.from((await client.txSearch({ query: `tx.height=${h}` })).txs[i]!.hash);
      const tx = await client.tx({ hash });
      assert.deepEqual(tx.tx, raw);
      assert.equal(tx.height, h);
      assert.equal(tx.result.code, results.results[i]!.code);
      const byHash = await client.txSearch({ query: `tx.hash='${hash.toString('hex').toUpperCase()}'` });
      assert.equal(byHash.totalCount, 1);
      txCount++;
    }
  }
  assert.equal(txCount, 4);
  const latest = await client.block();
  assert.equal(latest.block.header.height, expectedHeight);
}

test('Comet38Client reads a 0.38 (SDK 0.50) chain without errors', async (t) => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const srv = await startRpcServer(new BlockStore(chain));
  t.after(() => srv.close());
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const auto = await connectComet(srv.url);
  assert.ok(isComet38Client(auto));
  auto.disconnect();
  const client = await Comet38Client.connect(srv.url);
  t.after(() => client.disconnect());
  await readEverything(client, 5);
  const results = await client.blockResults(2);
  assert.ok(results.results[0]!.events.some((e) => e.attributes.some((a) => a.key === 'msg_index')));
  // the batch client (JSON-RPC batches) reads the same
  const batched = Comet38Client.create(new HttpBatchClient(srv.url, { batchSizeLimit: 10, dispatchInterval: 5 }));
  t.after(() => batched.disconnect());
  const [b2, r2] = await Promise.all([batched.block(2), batched.blockResults(2)]);
  assert.equal(b2.block.txs.length, r2.results.length);
});

test('Tendermint37Client reads a 0.37 (SDK 0.47) chain without errors', async (t) => {
  const { world, chain } = tinyDevnet({ sdkVersion: '0.47' });
  sendBlocks(world, chain);
  const srv = await startRpcServer(new BlockStore(chain));
  t.after(() => srv.close());
  const auto = await connectComet(srv.url);
  assert.ok(isTendermint37Client(auto));
  auto.disconnect();
  const client = await Tendermint37Client.connect(srv.url);
  t.after(() => client.disconnect());
  await readEverything(client, 5);
  const results = await client.blockResults(2);
  assert.ok(Array.isArray(results.beginBlockEvents) && Array.isArray(results.endBlockEvents));
});

test('blocks produced after start are served (store follows the chain)', async (t) => {
  const { world, chain } = tinyDevnet();
  const srv = await startRpcServer(new BlockStore(chain));
  t.after(() => srv.close());
  // Before the first block there is no latest block hash (a real node at height 0 has none either).
  const before = (await (await fetch(`${srv.url}/status`)).json()) as { result: { sync_info: { latest_block_height: string } } };
  assert.equal(before.result.sync_info.latest_block_height, '0');
  sendBlocks(world, chain);
  const client = await Comet38Client.connect(srv.url);
  t.after(() => client.disconnect());
  assert.equal((await client.status()).syncInfo.latestBlockHeight, 5);
  assert.equal((await client.block(5)).block.header.height, 5);
});

test('status on a pruned store: earliest_block_hash, earliest_app_hash and earliest_block_time are the base block\'s (rpc/core/status.go)', async (t) => {
  const { world, chain } = tinyDevnet();
  const store = new BlockStore(chain, { retainBlocks: 10 });
  world.advanceBlocks(chain, 100);
  store.sync();
  assert.ok(store.base > 1n);
  const srv = await startRpcServer(store);
  t.after(() => srv.close());
  const rpc = async (path: string) => ((await (await fetch(`${srv.url}${path}`)).json()) as { result: any }).result;
  const sync = (await rpc('/status')).sync_info;
  const base = await rpc(`/block?height=${store.base}`);
  assert.deepEqual(
    [sync.earliest_block_height, sync.earliest_block_hash, sync.earliest_app_hash, sync.earliest_block_time],
    [store.base.toString(), base.block_id.hash, base.block.header.app_hash, base.block.header.time],
  );
  assert.notEqual(sync.earliest_block_hash, '');
});
