import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRpcServer } from '../../devnet/rpc/server.ts';
import { connectChain } from '../rpc/client.ts';
import { freePort } from '../rpc/rpc.testkit.ts';
import { assertSameAsChain, collect, workloadChain } from './fetch.testkit.ts';
import { fetchBlocks } from './fetcher.ts';

test('two endpoints, the first dead: everything comes from the second', async (t) => {
  const { chain, store } = workloadChain({ blocks: 20 });
  const dead = `http://127.0.0.1:${await freePort()}`;
  const live = await startRpcServer(store);
  const client = await connectChain({ chainId: chain.id, endpoints: [dead, live.url] });
  t.after(async () => {
    client.close();
    await live.close();
  });
  const blocks = await collect(fetchBlocks(client, { from: 1, to: Number(store.height) }));
  assert.equal(blocks.length, Number(store.height));
  for (const b of blocks) assertSameAsChain(b, chain, store);
});

test('the first endpoint dies mid-sync: the second takes over, nothing lost or doubled; the first serves again once back', async (t) => {
  const { chain, store } = workloadChain({ blocks: 60 });
  let first = await startRpcServer(store);
  const port = Number(new URL(first.url).port);
  const second = await startRpcServer(store);
  const logs: string[] = [];
  const client = await connectChain({ chainId: chain.id, endpoints: [first.url, second.url], cooldownMs: 100, backoffMs: 5, log: (m) => logs.push(m) });
  t.after(async () => {
    client.close();
    await Promise.all([first.close(), second.close()]);
  });
  const tip = Number(store.height);
  const heights: number[] = [];
  for await (const b of fetchBlocks(client, { from: 1, to: tip, window: 8 })) {
    heights.push(b.height);
    assertSameAsChain(b, chain, store);
    if (b.height === 20) await first.close();
  }
  assert.deepEqual(
    heights,
    Array.from({ length: tip }, (_, i) => i + 1),
  );
  assert.ok(logs.some((l) => l.includes(first.url) && l.includes('set aside')), logs.join('\n'));

  // back on the same port: once its (growing) cool-down has passed, the first endpoint serves again
  first = await startRpcServer(store, { port });
  const deadline = Date.now() + 5_000;
  const ep = client.pool.endpoints[0]!;
  do {
    assert.ok(Date.now() < deadline, 'the first endpoint is used again');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await client.rawBlock(7)).height, 7);
  } while (client.pool.preferred() !== ep || ep.downs !== 0);
});
