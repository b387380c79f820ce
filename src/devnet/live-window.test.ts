import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LiveDevnet, startLiveDevnet } from './live.ts';

async function liveDevnet(resumeRounds: number, retainBlocks: number, fn: (d: LiveDevnet) => Promise<void>): Promise<void> {
  const ac = new AbortController();
  const d = await startLiveDevnet({ topology: 'default', seed: 5, blockTimeMs: 1000, rpcPort: 0, resumeRounds, retainBlocks, signal: ac.signal });
  try {
    await fn(d);
  } finally {
    ac.abort();
    await d.close();
  }
}

const rpc = async (url: string, method: string, params: object) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return (await res.json()) as {
    result?: { block_id?: { hash: string }; response?: { code: number; log: string } };
    error?: { message: string; data?: string };
  };
};

test('the live devnet keeps a window of blocks and state versions, prunes the rest, and renders the same blocks as a devnet that keeps all', async () => {
  const tips = new Map<string, string>();
  await liveDevnet(250, 100_000, async (d) => {
    for (const [id, s] of d.servers) {
      assert.equal(s.store.base, 1n);
      tips.set(id, s.store.latest()!.hash);
    }
  });

  await liveDevnet(250, 120, async (d) => {
    for (const [id, s] of d.servers) {
      const tip = s.store.latest()!;
      // same seed, same blocks: the headers still chain through the pruned ones
      assert.equal(tip.hash, tips.get(id));
      const base = s.store.base;
      assert.ok(base > 1n && tip.height - base + 1n >= 120n && tip.height - base + 1n <= 120n + 64n, `window ${base}..${tip.height}`);
      const chain = d.chains.find((c) => c.id === id)!;
      assert.ok(chain.blocks.length <= 8, `the chain keeps ${chain.blocks.length} blocks (its store has the window)`);

      const pruned = await rpc(s.url, 'block', { height: '1' });
      assert.equal(pruned.error?.data, `height 1 is not available, lowest height is ${base}`);
      const kept = await rpc(s.url, 'block', { height: String(base) });
      assert.match(kept.result?.block_id?.hash ?? '', /^[0-9A-F]{64}$/);

      // the state's older versions went with the blocks: abci_query answers as a pruned node
      const path = '/cosmos.bank.v1beta1.Query/Balance';
      const old = await rpc(s.url, 'abci_query', { path, data: '', height: '1' });
      assert.equal(old.result?.response?.code, 26);
      assert.match(old.result?.response?.log ?? '', /^failed to load state at height 1; version does not exist \(latest height: \d+\): invalid height$/);
      const recent = await rpc(s.url, 'abci_query', { path, data: '', height: String(base) });
      assert.notEqual(recent.result?.response?.code, 26, recent.result?.response?.log);
      assert.ok(chain.journal.prunedBelow > 1n && chain.journal.prunedBelow <= base, `state pruned below ${chain.journal.prunedBelow}`);
    }
  });
});
