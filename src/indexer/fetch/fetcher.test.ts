import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRpcServer } from '../../devnet/rpc/server.ts';
import { connectChain } from '../rpc/client.ts';
import { HeightAboveTipError } from '../rpc/errors.ts';
import { assertSameAsChain, collect, workloadChain } from './fetch.testkit.ts';
import { fetchBlocks } from './fetcher.ts';

for (const sdk of ['0.50', '0.47'] as const) {
  const line = sdk === '0.50' ? '0.38' : '0.37';
  test(`CometBFT ${line} (SDK ${sdk}): every block of a workload devnet, in order, equal to what the chain produced`, async (t) => {
    const { chain, store } = workloadChain({ sdk, blocks: 30 });
    const srv = await startRpcServer(store);
    const client = await connectChain({ chainId: chain.id, endpoints: [srv.url] });
    t.after(async () => {
      client.close();
      await srv.close();
    });
    assert.equal(client.line, line);
    const tip = await client.latestHeight();
    assert.equal(tip, Number(chain.height));

    const seen: number[] = [];
    const blocks = await collect(fetchBlocks(client, { from: 1, to: tip, window: 8, onBlock: (b) => seen.push(b.height) }));
    assert.deepEqual(
      blocks.map((b) => b.height),
      Array.from({ length: tip }, (_, i) => i + 1),
    );
    assert.deepEqual(seen, blocks.map((b) => b.height));
    for (const b of blocks) assertSameAsChain(b, chain, store);
    // the workload's blocks carry txs, wasm events and block events
    assert.ok(blocks.some((b) => b.txs.length > 5));
    assert.ok(blocks.some((b) => b.txResults.some((r) => r.events.some((e) => e.type === 'wasm'))));
    assert.ok(blocks.some((b) => b.txResults.some((r) => r.code !== 0)), 'some failed txs');
    assert.ok(blocks.some((b) => b.beginEvents.length > 0) && blocks.some((b) => b.endEvents.length > 0));
    if (line === '0.38') {
      // 0.38: finalize_block_events split by their mode attribute, which stays
      for (const b of blocks) {
        for (const e of b.beginEvents) assert.equal(e.attributes?.at(-1)?.value, 'BeginBlock');
        for (const e of b.endEvents) assert.equal(e.attributes?.at(-1)?.value, 'EndBlock');
      }
    }

    // a window in the middle, and window 1
    assert.deepEqual(await collect(fetchBlocks(client, { from: 5, to: 9, window: 1 })), blocks.slice(4, 9));
    assert.deepEqual(await collect(fetchBlocks(client, { from: 3, to: 2 })), []);
  });
}

test('a height above the tip is reported as such, not retried; blocks below it still come first', async (t) => {
  const { chain, store } = workloadChain({ blocks: 3 });
  const srv = await startRpcServer(store);
  const client = await connectChain({ chainId: chain.id, endpoints: [srv.url], backoffMs: 1_000 });
  t.after(async () => {
    client.close();
    await srv.close();
  });
  const tip = await client.latestHeight();
  const got: number[] = [];
  const started = Date.now();
  await assert.rejects(
    (async () => {
      for await (const b of fetchBlocks(client, { from: tip - 2, to: tip + 3 })) got.push(b.height);
    })(),
    (e: unknown) => e instanceof HeightAboveTipError && e.height === tip + 1 && e.tip === tip,
  );
  assert.deepEqual(got, [tip - 2, tip - 1, tip]);
  assert.ok(Date.now() - started < 1_000, 'no backoff: not retried');
});

test('leaving the loop early stops what is in flight; memory stays bounded by the window', async (t) => {
  const { chain, store } = workloadChain({ blocks: 20 });
  const srv = await startRpcServer(store);
  const client = await connectChain({ chainId: chain.id, endpoints: [srv.url] });
  t.after(async () => {
    client.close();
    await srv.close();
  });
  let started = 0;
  const rawBlock = client.rawBlock.bind(client);
  client.rawBlock = (h, s) => {
    started++;
    return rawBlock(h, s);
  };
  for await (const b of fetchBlocks(client, { from: 1, to: 30, window: 4 })) {
    // never more than `window` heights requested ahead of the consumer
    assert.ok(started <= b.height + 4, `${started} started at height ${b.height}`);
    if (b.height === 10) break;
  }
  assert.ok(started <= 14);
});
