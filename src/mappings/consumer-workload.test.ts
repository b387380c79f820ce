// A 200-block workload on the default topology (two chains providing to each other), indexed as it
// runs: at intermediate heights and at the end, replicated virtual stakes, max caps and prices equal
// the chains' answers, and after the drain every packet has one row with both halves merged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Workload } from '../devnet/workload/run.ts';
import { checkConsumers, CONSUMER_MAPPINGS, mergedPackets, rowsOf, sentPacketIds } from './consumer.testkit.ts';
import { indexChain, type Indexed } from './mappings.testkit.ts';

test('workload seed 7, 200 blocks: consumer replica and IBC packets match the chains', async () => {
  const w = new Workload({ seed: 7, blocks: 200 });
  const indexed = new Map<string, Indexed>();
  for (const c of w.chains) indexed.set(c.id, await indexChain(c, CONSUMER_MAPPINGS));
  let checks = 0;
  let compared = 0;
  for (let i = 1; i <= 200; i++) {
    w.step();
    if (i % 20 !== 0) continue;
    for (const ix of indexed.values()) await ix.catchUp();
    const r = checkConsumers(w.devnet, indexed);
    assert.deepEqual(r.mismatches, [], `after round ${i}`);
    checks += r.stakes;
    compared += r.validatorsCompared;
  }
  w.drain();
  for (const ix of indexed.values()) await ix.catchUp();
  const end = checkConsumers(w.devnet, indexed);
  assert.deepEqual(end.mismatches, []);
  const packets = mergedPackets(indexed);
  const sent = w.chains.flatMap(sentPacketIds);
  assert.equal(new Set(sent).size, sent.length);
  assert.deepEqual([...packets.keys()].sort(), [...sent].sort(), 'one row per packet sent');
  const outcomes: Record<string, number> = {};
  for (const p of packets.values()) {
    outcomes[p.outcome] = (outcomes[p.outcome] ?? 0) + 1;
    assert.ok(p.sendHeight !== null && p.destChainId !== null && p.pairingId !== null, `${p.id} send half and pairing`);
    assert.notEqual(p.kind, 'unknown');
    assert.ok(['acknowledged', 'error', 'timed_out'].includes(p.outcome), `${p.id} settled after the drain: ${p.outcome}`);
    if (p.outcome === 'timed_out') assert.ok(p.timeoutHeight !== null && p.recvHeight === null);
    else assert.ok(p.recvHeight !== null && p.ackHeight !== null && p.latencyMs !== null, `${p.id} has recv and ack halves`);
    if (p.outcome === 'error') assert.ok(p.recvSuccess === false && p.ackError !== null);
  }
  for (const ix of indexed.values()) assert.deepEqual(rowsOf(ix, 'DeadLetter'), []);
  assert.ok(checks >= 20 && compared > 0 && packets.size > 20, `checks ${checks}, validators ${compared}, packets ${packets.size}`);
  console.log(`workload: ${checks} stake checks (${compared} validator entries), ${packets.size} packets ${JSON.stringify(outcomes)}`);
});
