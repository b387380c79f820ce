// external-staking replica vs. the chain: the spec's vectors that drive external staking (V1 MVP, V2
// slashing, V8 zero max cap / internal unstake, V14 / V15 reward points) indexed block by block, with
// the replica compared to the contract's own smart queries after every block.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioFile, runScenario } from '../devnet/scenario/runner.ts';
import { indexAndCheck } from './external-staking-compare.testkit.ts';

const dir = new URL('../../scenarios/vectors/', import.meta.url);
const VECTORS = ['v1-mvp.yaml', 'v2-slashing-scenario-1.yaml', 'v8-zero-max-cap.yaml', 'v14-external-staking-distribution.yaml', 'v15-external-staking-batch-distribution.yaml',
  // further vectors that move cross stakes: burns from lien adjustment (V3, V4), tombstone (V5), cross slashes (V9), burns over several validators (V19, V21)
  'v3-slashing-scenario-2.yaml', 'v4-slashing-scenario-3.yaml', 'v5-validator-tombstone.yaml', 'v9-cross-slash-1.yaml', 'v9-cross-slash-2.yaml', 'v9-cross-slash-3.yaml',
  'v19-converter-burn.yaml', 'v19-converter-stake-unstake.yaml', 'v21-distribute-burn-1.yaml', 'v21-distribute-burn-2.yaml', 'v21-distribute-burn-3-4.yaml'];

const seen = new Set<string>();
const covered = new Set<string>();

for (const file of VECTORS) {
  test(`${file}: the external-staking replica equals the chain's queries at every height`, async () => {
    const report = runScenario(loadScenarioFile(new URL(file, dir).pathname));
    assert.equal(report.failed, 0, 'the scenario itself passes');
    const providers = new Set([...report.devnet.pairings.values()].map((p) => p.provider));
    let stakes = 0;
    covered.add(file);
    for (const chain of providers) {
      const r = await indexAndCheck(chain);
      assert.deepEqual(r.mismatches, []);
      assert.deepEqual(r.out.batches().filter((b) => b.entity === 'DeadLetter').flatMap((b) => [...b.rows.values()]), []);
      stakes += r.stats.stakes;
      for (const b of r.out.batches()) for (const row of b.rows.values()) seen.add(`${b.entity}:${(row as { kind?: string }).kind ?? ''}:${(row as { status?: string }).status ?? (row as { state?: string }).state ?? ''}`);
      console.log(`${file} ${chain.id}: ${chain.height} blocks, ${r.checks} checks, final`, r.stats);
    }
    assert.ok(stakes > 0, 'some stakes were compared');
  });
}

test('the vectors together exercise every external-staking flow', () => {
  assert.equal(covered.size, VECTORS.length);
  const want = [
    'DelegationEvent:stake:pending', 'DelegationEvent:stake:committed', 'DelegationEvent:unstake:committed', 'DelegationEvent:burn:committed',
    'DelegationEvent:slash:committed', 'DelegationEvent:internal_unstake:committed', 'Unbonding:cross:released', 'Unbonding:internal:released',
    'ValidatorState::jailed', 'ValidatorState::tombstoned', 'RewardEvent:distribution:', 'RewardEvent:withdrawal_committed:', 'RewardEvent:withdrawal_rolled_back:', 'Slash:cross:',
  ];
  assert.deepEqual(want.filter((k) => !seen.has(k)), []);
});
