// Consumer side and IBC packets, indexed from the spec's vectors: virtual stakes, max caps and prices
// equal the chains' own answers, and every packet has one row with both halves merged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioFile, runScenario } from '../devnet/scenario/runner.ts';
import { checkConsumers, indexDevnet, mergedPackets, rowsOf, sentPacketIds } from './consumer.testkit.ts';

const vector = (name: string) => new URL(`../../scenarios/vectors/${name}`, import.meta.url).pathname;

for (const file of ['v1-mvp.yaml', 'v2-slashing-scenario-1.yaml', 'v5-validator-tombstone.yaml', 'v8-zero-max-cap.yaml', 'v19-converter-burn.yaml', 'v19-converter-stake-unstake.yaml']) {
  test(`${file}: replica equals get_all_stake, max_cap_limit and price; every packet merged`, async () => {
    const { devnet } = runScenario(loadScenarioFile(vector(file)));
    const indexed = await indexDevnet(devnet);
    const check = checkConsumers(devnet, indexed);
    assert.deepEqual(check.mismatches, []);
    assert.ok(check.stakes > 0);
    const packets = mergedPackets(indexed);
    const sent = [...devnet.world.chains.values()].flatMap(sentPacketIds);
    assert.deepEqual([...packets.keys()].sort(), [...new Set(sent)].sort(), 'one row per packet sent');
    for (const p of packets.values()) {
      assert.ok(p.sendHeight !== null, `${p.id} has its send half`);
      if (p.outcome === 'timed_out') assert.ok(p.timeoutHeight !== null);
      else if (p.outcome !== 'pending') {
        assert.ok(p.recvHeight !== null, `${p.id} has its recv half`);
      }
      assert.notEqual(p.kind, 'unknown', `${p.id} decoded`);
    }
    for (const ix of indexed.values()) assert.deepEqual(rowsOf(ix, 'DeadLetter'), []);
  });
}
