import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRpcServer } from '../../devnet/rpc/server.ts';
import { connectChain } from '../rpc/client.ts';
import { collect, workloadChain } from './fetch.testkit.ts';
import { fetchBlocks } from './fetcher.ts';

// 10 % of HTTP requests answered with a 5xx, a reset, no answer, a slow answer or truncated JSON
// (src/devnet/rpc/faults.ts): the fetch completes and yields exactly the clean run's blocks.
for (const batch of [4, 1]) {
  test(`10% RPC faults (${batch === 1 ? 'one request per call' : 'batched'}): same blocks as the clean run`, async (t) => {
    const { chain, store } = workloadChain({ blocks: 80, seed: 11 });
    const clean = await startRpcServer(store);
    const faulty = await startRpcServer(store, { faults: { rate: 0.1, kinds: ['5xx', 'reset', 'timeout', 'slow', 'truncated'], seed: 1, slowMs: 150, timeoutMs: 5_000 } });
    const logs: string[] = [];
    const opts = { chainId: chain.id, requestTimeoutMs: 400, backoffMs: 10, maxBackoffMs: 200, retries: 20, batch, log: (m: string) => logs.push(m) };
    const a = await connectChain({ ...opts, endpoints: [clean.url] });
    const b = await connectChain({ ...opts, endpoints: [faulty.url] });
    t.after(async () => {
      a.close();
      b.close();
      await Promise.all([clean.close(), faulty.close()]);
    });
    const tip = Number(store.height);
    const expected = await collect(fetchBlocks(a, { from: 1, to: tip, window: 16 }));
    const got = await collect(fetchBlocks(b, { from: 1, to: tip, window: 8 }));
    assert.equal(got.length, tip);
    assert.deepEqual(got, expected);
    const counts = faulty.faultCounts()!;
    // every kind alone is covered in rpc/transport.test.ts; here they come mixed, as in the issue
    assert.ok(Object.values(counts).reduce((x, y) => x + y) >= (batch === 1 ? 10 : 3), `faults injected: ${JSON.stringify(counts)}`);
  });
}
