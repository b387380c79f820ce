import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlockStore } from '../../devnet/node/block-store.ts';
import { send, sendBlocks, tinyDevnet } from '../../devnet/node/devnet.testkit.ts';
import { startRpcServer } from '../../devnet/rpc/server.ts';
import { connectChain } from '../rpc/client.ts';
import { rpcProxy } from '../rpc/rpc.testkit.ts';
import { assertSameAsChain } from './fetch.testkit.ts';
import { followHead } from './fetcher.ts';

// The chain produces a block every 25 ms (a send in every other one) while followHead runs; every
// height arrives once, in order, equal to the chain's, and soon after it was produced.
for (const via of ['websocket', 'polling (no websocket)'] as const) {
  test(`head following via ${via}: every new block, none skipped, lag well under 1 s`, async (t) => {
    const { world, chain } = tinyDevnet();
    sendBlocks(world, chain); // heights 1–5 exist before we start
    const store = new BlockStore(chain, { follow: true });
    const srv = await startRpcServer(store);
    const proxy = via === 'websocket' ? undefined : await rpcProxy(srv.url);
    // with the websocket, polling is too slow to meet the lag bound: the pushes must be what drives it
    const client = await connectChain({ chainId: chain.id, endpoints: [proxy?.url ?? srv.url], pollMs: via === 'websocket' ? 5_000 : 40 });
    const ac = new AbortController();
    const producedAt = new Map<number, number>();
    const last = 45;
    const timer = setInterval(() => {
      if (chain.height >= BigInt(last)) return;
      const h = Number(chain.height) + 1;
      world.block(chain, h % 2 ? [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', BigInt(h))] }] : []);
      producedAt.set(h, performance.now());
    }, 25);
    t.after(async () => {
      clearInterval(timer);
      ac.abort();
      client.close();
      await proxy?.close();
      await srv.close();
    });

    const heights: number[] = [];
    const lags: number[] = [];
    for await (const b of followHead(client, { from: 1, signal: ac.signal })) {
      heights.push(b.height);
      assertSameAsChain(b, chain, store);
      const at = producedAt.get(b.height);
      if (at !== undefined) lags.push(performance.now() - at);
      if (b.height === last) break;
    }
    assert.deepEqual(
      heights,
      Array.from({ length: last }, (_, i) => i + 1),
    );
    lags.sort((a, b) => a - b);
    t.diagnostic(`head lag over ${lags.length} blocks: median ${lags[lags.length >> 1]!.toFixed(1)} ms, max ${lags.at(-1)!.toFixed(1)} ms`);
    assert.ok(lags.length >= 30);
    assert.ok(lags.at(-1)! < 1_000, `max lag ${lags.at(-1)!.toFixed(0)} ms (median ${lags[lags.length >> 1]!.toFixed(0)} ms)`);
  });
}

test('followHead ends quietly when its signal aborts while waiting for the next block', async (t) => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const srv = await startRpcServer(new BlockStore(chain, { follow: true }));
  const client = await connectChain({ chainId: chain.id, endpoints: [srv.url] });
  t.after(async () => {
    client.close();
    await srv.close();
  });
  const ac = new AbortController();
  const heights: number[] = [];
  for await (const b of followHead(client, { from: 3, signal: ac.signal })) {
    heights.push(b.height);
    if (b.height === 5) setTimeout(() => ac.abort(), 50);
  }
  assert.deepEqual(heights, [3, 4, 5]);
});

test('followHead waits out a node outage (retries exhausted) and goes on without a gap', async (t) => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const store = new BlockStore(chain, { follow: true });
  let srv = await startRpcServer(store);
  const port = Number(new URL(srv.url).port);
  const client = await connectChain({ chainId: chain.id, endpoints: [srv.url], retries: 1, backoffMs: 5, pollMs: 30, requestTimeoutMs: 500 });
  const ac = new AbortController();
  t.after(async () => {
    ac.abort();
    client.close();
    await srv.close();
  });
  const errors: Error[] = [];
  const heights: number[] = [];
  for await (const b of followHead(client, { from: 1, signal: ac.signal, retryMs: 20, onError: (e) => errors.push(e) })) {
    heights.push(b.height);
    if (b.height === 5) {
      // the chain goes on and the follower hears of it; then the node is down for 300 ms
      for (let i = 0; i < 5; i++) world.block(chain);
      await new Promise((r) => setTimeout(r, 100));
      await srv.close();
      setTimeout(() => world.block(chain), 50);
      setTimeout(async () => {
        srv = await startRpcServer(store, { port });
      }, 300);
    }
    if (b.height === 11) break;
  }
  assert.deepEqual(
    heights,
    Array.from({ length: 11 }, (_, i) => i + 1),
  );
  assert.ok(errors.length > 0, 'the outage was reported');
});
