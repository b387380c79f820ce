import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tx } from '../chain/chain.ts';
import { CostMeter, txKind } from './cost-meter.ts';
import { PHASE, Workload } from './run.ts';
import { bondTx, sendTx } from './txs.ts';

describe('cost meter (bench --breakdown)', () => {
  it('names a tx by its last message, a contract call by its entry point, a failed one apart', () => {
    const w = new Workload({ seed: 3, blocks: 1, invariants: false, drain: false });
    const c = w.chains[0]!;
    const ok = { code: 0, codespace: '', log: '', events: [] };
    assert.equal(txKind(bondTx(c, 'vault', 'alice', 5n), ok), 'bond');
    assert.equal(txKind(sendTx(c, 'alice', 'bob', 5n), ok), 'MsgSend');
    assert.equal(txKind(bondTx(c, 'vault', 'alice', 5n), { ...ok, code: 5 }), 'bond (failed)');
    const notJson: Tx = { signer: 'a', msgs: [{ typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract', value: { msg: new Uint8Array([0x7b]) } }] };
    assert.equal(txKind(notJson, ok), 'MsgExecuteContract');
  });

  it('times every tx the workload delivers and every block, and splits delivery out of block production', () => {
    const costs = new CostMeter();
    const w = new Workload({ seed: 3, blocks: 30, invariants: false, drain: false, costs });
    const before = w.txs;
    const r = w.runFast(30);
    assert.equal(costs.blocks, 30 * w.chains.length);
    assert.equal(costs.txCount, r.txs - before);
    const kinds = new Map(costs.txKinds());
    const bonds = r.generator.byKind.bond?.ok ?? 0;
    assert.ok(bonds > 0);
    assert.equal(kinds.get('bond')?.n, bonds, 'every successful bond is counted once');
    const relayed = (kinds.get('MsgRecvPacket')?.msgs ?? 0) - (kinds.get('MsgRecvPacket')?.n ?? 0);
    assert.ok(relayed > 0, 'relayer txs carry an update-client and their packets');

    const phases = new Map(costs.phaseTotals(PHASE.block));
    assert.deepEqual([...phases.keys()].sort(), [PHASE.relay, PHASE.generate, 'delivering txs', `${PHASE.block}, besides txs`, PHASE.after].sort());
    for (const [p, ms] of phases) assert.ok(ms >= 0, `${p}: ${ms} ms`);
    const txMs = costs.txKinds().reduce((s, [, t]) => s + t.ms, 0);
    assert.equal(phases.get('delivering txs'), txMs);
    const report = costs.report(PHASE.block);
    assert.match(report[0]!, /^60 blocks, \d+ txs, [\d.]+ ms a block:$/);
    assert.ok(report.some((l) => /^ {4}bond +\d+ txs +\d+ µs$/.test(l)), report.join('\n'));
  });

  it('changes no block', () => {
    const plain = new Workload({ seed: 4, blocks: 20, invariants: false, drain: false, hash: true }).runFast(20);
    const metered = new Workload({ seed: 4, blocks: 20, invariants: false, drain: false, hash: true, costs: new CostMeter() }).runFast(20);
    assert.equal(metered.hash, plain.hash);
  });
});
