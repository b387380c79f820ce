import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Comet38Client, Tendermint37Client } from '@cosmjs/tendermint-rpc';
import { BlockStore } from '../../devnet/node/block-store.ts';
import { startRpcServer } from '../../devnet/rpc/server.ts';
import type { DecodedBlock } from '../types.ts';
import { attr } from './attributes.ts';
import type { RawBlock, RawEvent } from '../rpc/raw-block.ts';
import { decodeBlock } from './block.ts';
import { rawBlockOf, workload } from './decode.testkit.ts';

type Ev = { type: string; attributes: ReadonlyArray<{ key: string; value: string }> };

/** What a fetcher builds from cosmjs' block + block_results (0.38: finalize events split by `mode`). */
async function fetchRaw(client: Tendermint37Client | Comet38Client, height: number): Promise<RawBlock> {
  const [block, results] = await Promise.all([client.block(height), client.blockResults(height)]);
  const t = block.block.header.time;
  const finalize: readonly Ev[] = 'finalizeBlockEvents' in results ? results.finalizeBlockEvents : [];
  const mode = (m: string) => finalize.filter((e) => attr(e, 'mode') === m) as RawEvent[];
  return {
    height: block.block.header.height,
    timeNs: BigInt(t.getTime()) * 1_000_000n + BigInt(t.nanoseconds ?? 0),
    hash: Buffer.from(block.blockId.hash).toString('hex').toUpperCase(),
    txs: [...block.block.txs],
    txResults: results.results.map((r) => ({ code: r.code, codespace: r.codespace, log: r.log, events: r.events as RawEvent[] })),
    beginEvents: 'beginBlockEvents' in results ? (results.beginBlockEvents as RawEvent[]) : mode('BeginBlock'),
    endEvents: 'endBlockEvents' in results ? (results.endBlockEvents as RawEvent[]) : mode('EndBlock'),
  };
}

// The RPC drops the `index` flags of attributes; compare what the mappings read.
const plain = (d: DecodedBlock) => ({
  ...d,
  txs: d.txs.map((t) => ({ ...t, events: t.events.map(plainEvent) })),
  beginEvents: d.beginEvents.map(plainEvent),
  endEvents: d.endEvents.map(plainEvent),
});
const plainEvent = (e: DecodedBlock['beginEvents'][number]) => ({ ...e, attributes: e.attributes.map(({ key, value }) => ({ key, value })) });

for (const [sdk, Client] of [
  ['0.47', Tendermint37Client],
  ['0.50', Comet38Client],
] as const) {
  test(`SDK ${sdk}: blocks fetched over CometBFT RPC with cosmjs decode as the chain's own blocks`, async (t) => {
    const w = workload(sdk, { users: 10 });
    w.runFast(4);
    const chain = w.chains[1]!;
    const store = new BlockStore(chain);
    const server = await startRpcServer(store);
    t.after(() => server.close());
    const client = await Client.connect(server.url);
    t.after(() => client.disconnect());
    let txs = 0;
    for (let h = 1; h <= Number(store.height); h++) {
      const viaRpc = decodeBlock(await fetchRaw(client, h), { chainId: chain.id });
      const direct = decodeBlock(rawBlockOf(store.at(BigInt(h))!), { chainId: chain.id });
      assert.deepEqual(plain(viaRpc), plain(direct), `height ${h}`);
      txs += viaRpc.txs.length;
    }
    assert.ok(txs > 40, `${txs} txs`);
  });
}
