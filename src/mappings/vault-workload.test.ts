import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Workload } from '../devnet/workload/run.ts';
import type { Indexed } from './mappings.testkit.ts';
import { chainAnswers, indexProvider, pendingTxAnswers, replicaAnswers, vaultUsers } from './vault.testkit.ts';

test('workload (seed 7, 2 × 150 blocks): every vault user and pending tx of every provider equals the chain, midway and at the end', async () => {
  const w = new Workload({ seed: 7, blocks: 300 });
  const indexed = new Map<string, Indexed>();
  const kinds = new Map<string, number>();
  let compared = 0;
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 150; i++) w.step();
    for (const [chainId, prov] of w.devnet.providers) {
      const chain = w.devnet.world.chain(chainId);
      let ix = indexed.get(chainId);
      if (ix) await ix.catchUp();
      else indexed.set(chainId, (ix = await indexProvider(chain)));
      const dead = [...(ix.out.batches().find((b) => b.entity === 'DeadLetter')?.rows.values() ?? [])] as any[];
      assert.deepEqual(dead.map((d) => d.reason), []);
      for (const user of vaultUsers(ix, chain, prov.vault)) {
        assert.deepEqual(replicaAnswers(ix, prov.vault, user), chainAnswers(chain, prov.vault, user), `${chainId} ${user} at ${chain.height}`);
        compared++;
      }
      const txs = pendingTxAnswers(ix, chain, prov.vault);
      assert.deepEqual(txs.replica, txs.chain);
      if (round === 1) for (const e of ix.out.batches().find((b) => b.entity === 'LienEvent')?.rows.values() ?? []) kinds.set((e as any).kind, (kinds.get((e as any).kind) ?? 0) + 1);
    }
  }
  console.log(`compared ${compared} positions; lien events by kind: ${JSON.stringify(Object.fromEntries(kinds))}`);
  assert.ok(compared > 0);
  for (const k of ['bond', 'unbond', 'stake_local', 'stake_remote', 'commit', 'release']) assert.ok((kinds.get(k) ?? 0) > 0, `workload exercised ${k}`);
});
