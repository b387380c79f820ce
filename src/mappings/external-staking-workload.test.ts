// external-staking replica vs. the chain over a generated workload (stakes, unstakes, rewards,
// slashes, burns, internal unstakes, timeouts): every provider chain indexed block by block and
// compared with the contracts' smart queries every few blocks and at the end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Workload } from '../devnet/workload/run.ts';
import { indexAndCheck } from './external-staking-compare.testkit.ts';

for (const seed of [1, 7]) {
  test(`workload seed ${seed}, 200 blocks: the replica equals the chain's stake / pending_rewards / list_validators / pending txs`, async () => {
    const w = new Workload({ seed, blocks: 200 });
    w.runFast();
    const providers = new Set([...w.devnet.pairings.values()].map((p) => p.provider));
    let stakes = 0;
    for (const chain of providers) {
      const r = await indexAndCheck(chain, { every: 5 });
      assert.deepEqual(r.mismatches, []);
      const dead = r.out.batches().filter((b) => b.entity === 'DeadLetter').flatMap((b) => [...b.rows.values()]);
      assert.deepEqual(dead, []);
      const kinds: Record<string, number> = {};
      for (const b of r.out.batches()) for (const row of b.rows.values()) {
        const k = `${b.entity}:${(row as { kind?: string }).kind ?? ''}:${(row as { status?: string }).status ?? (row as { state?: string }).state ?? ''}`;
        kinds[k] = (kinds[k] ?? 0) + 1;
      }
      stakes += r.stats.stakes;
      console.log(`seed ${seed} ${chain.id}: ${chain.height} blocks, ${r.checks} checks`, r.stats, kinds);
    }
    assert.ok(stakes > 0);
  });
}

test('workload with every event forced (jails, tombstone, zero max cap, timeouts, channel close): the replica equals the chain', async () => {
  const w = new Workload({
    seed: 3,
    blocks: 200,
    generator: {
      txsPerBlock: 10,
      events: { jailPerBlock: 1 / 25, tombstoneMinBlocks: 100, zeroMaxCapMinBlocks: 100, closeChannelMinBlocks: 150, closeChannelAt: 0.7, dropProviderPacket: 0.15, rewardsEvery: 7 },
    },
  });
  w.runFast();
  const seen: Record<string, number> = {};
  for (const chain of new Set([...w.devnet.pairings.values()].map((p) => p.provider))) {
    const r = await indexAndCheck(chain, { every: 4 });
    assert.deepEqual(r.mismatches, []);
    assert.deepEqual(r.out.batches().filter((b) => b.entity === 'DeadLetter').flatMap((b) => [...b.rows.values()]), []);
    for (const b of r.out.batches()) for (const row of b.rows.values()) {
      const k = `${b.entity}:${(row as { kind?: string }).kind ?? ''}:${(row as { status?: string }).status ?? (row as { state?: string }).state ?? ''}`;
      seen[k] = (seen[k] ?? 0) + 1;
    }
    console.log(`forced ${chain.id}: ${chain.height} blocks, ${r.checks} checks`, r.stats, r.replica.entries('pending:cross_slash').length, 'cross slash entries');
  }
  console.log(seen);
  for (const k of ['DelegationEvent:slash:committed', 'DelegationEvent:internal_unstake:committed', 'DelegationEvent:channel_close:committed', 'ValidatorState::tombstoned', 'PendingTx:in_flight_transfer_funds:rolled_back']) assert.ok(seen[k], `the run covers ${k}`);
});
