// Every mapping together over every vector scenario: no dead letters, the provider positions equal
// the chain's answers (vault and external staking), and the consumers' replica equals theirs.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { loadScenarioFile, runScenario } from '../devnet/scenario/runner.ts';
import { checkConsumers } from './consumer.testkit.ts';
import { compareExternalStaking } from './external-staking-compare.testkit.ts';
import { ALL_MAPPINGS } from './index.ts';
import { type Indexed, indexChain } from './mappings.testkit.ts';
import { chainAnswers, replicaAnswers, vaultUsers } from './vault.testkit.ts';

const dir = new URL('../../scenarios/vectors/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

for (const file of files) {
  test(`all mappings on ${file}`, async () => {
    const { devnet } = runScenario(loadScenarioFile(new URL(file, dir).pathname));
    const indexed = new Map<string, Indexed>();
    for (const chain of devnet.world.chains.values()) indexed.set(chain.id, await indexChain(chain, ALL_MAPPINGS));
    for (const [id, ix] of indexed) {
      const dead = ix.out.batches().find((b) => b.entity === 'DeadLetter');
      assert.equal(dead?.rows.size ?? 0, 0, `${id}: dead letters ${JSON.stringify([...(dead?.rows.values() ?? [])].slice(0, 3))}`);
    }
    for (const [chainId, p] of devnet.providers) {
      const chain = devnet.world.chain(chainId);
      const ix = indexed.get(chainId)!;
      for (const user of vaultUsers(ix, chain, p.vault)) assert.deepEqual(replicaAnswers(ix, p.vault, user), chainAnswers(chain, p.vault, user), `${file}: vault ${user}`);
    }
    for (const p of devnet.pairings.values()) assert.deepEqual(compareExternalStaking(p.provider, p.externalStaking, indexed.get(p.provider.id)!.replica), [], `${file}: external staking`);
    const consumers = checkConsumers(devnet, indexed);
    assert.deepEqual(consumers.mismatches, []);
  });
}
