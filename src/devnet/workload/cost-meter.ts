// Where fast-mode generation spends its time (`npm run bench -- devnet --breakdown`): the round's
// phases, and each tx's delivery by kind, so a speed target can be weighed against what one tx costs.
// Off unless a Workload is given one; the timed run then pays a `performance.now()` per tx and phase.
import type { Tx, TxResult } from '../chain/chain.ts';

interface Tally {
  n: number;
  ms: number;
  /** Messages in the txs counted (a relayer tx: an update-client, then one a packet). */
  msgs: number;
}

/** A tx's kind: the last message's type, with a contract call's entry point; a failed tx apart. */
export function txKind(tx: Tx, result: TxResult): string {
  const last = tx.msgs[tx.msgs.length - 1];
  let kind = last ? last.typeUrl.slice(last.typeUrl.lastIndexOf('.') + 1) : 'empty';
  const msg = last?.value.msg;
  if (msg instanceof Uint8Array) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(msg).toString('utf8'));
      if (parsed !== null && typeof parsed === 'object') kind = Object.keys(parsed)[0] ?? kind;
    } catch {
      // not JSON: the message type stays the kind
    }
  }
  return result.code === 0 ? kind : `${kind} (failed)`;
}

export class CostMeter {
  private readonly phases = new Map<string, number>();
  private readonly kinds = new Map<string, Tally>();
  private txMs = 0;
  /** The meter's own time inside the block phase (classifying txs), left out of the totals. */
  private selfMs = 0;
  blocks = 0;

  /** Adds the time since `since` to `phase`; returns now, the start of the next phase. */
  lap(phase: string, since: number): number {
    const now = performance.now();
    this.phases.set(phase, (this.phases.get(phase) ?? 0) + (now - since));
    return now;
  }

  /** A delivered tx (Chain.txTimer). */
  tx = (tx: Tx, result: TxResult, ms: number): void => {
    const t0 = performance.now();
    const k = txKind(tx, result);
    const t = this.kinds.get(k) ?? { n: 0, ms: 0, msgs: 0 };
    t.n++;
    t.ms += ms;
    t.msgs += tx.msgs.length;
    this.kinds.set(k, t);
    this.txMs += ms;
    this.selfMs += performance.now() - t0;
  };

  /**
   * Phase totals in ms, with tx delivery split out of `within` (the phase that delivers the txs) and
   * the meter's own time taken out of it.
   */
  phaseTotals(within: string): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [p, ms] of this.phases) {
      if (p !== within) out.push([p, ms]);
      else out.push(['delivering txs', this.txMs], [`${p}, besides txs`, ms - this.txMs - this.selfMs]);
    }
    return out;
  }

  /** Tx kinds, costliest in total first. */
  txKinds(): Array<[string, Tally]> {
    return [...this.kinds].sort((a, b) => b[1].ms - a[1].ms);
  }

  get txCount(): number {
    let n = 0;
    for (const t of this.kinds.values()) n += t.n;
    return n;
  }

  /** Lines for people: phases as shares and ms per block, then µs per tx of the costliest kinds. */
  report(within: string, topKinds = 12): string[] {
    const phases = this.phaseTotals(within);
    const total = phases.reduce((s, [, ms]) => s + ms, 0);
    const perBlock = (ms: number) => (this.blocks > 0 ? ms / this.blocks : 0);
    const lines = [`${this.blocks} blocks, ${this.txCount} txs, ${perBlock(total).toFixed(2)} ms a block:`];
    const width = Math.max(...phases.map(([p]) => p.length));
    for (const [p, ms] of phases) lines.push(`  ${p.padEnd(width)} ${((100 * ms) / (total || 1)).toFixed(1).padStart(5)} %  ${perBlock(ms).toFixed(2)} ms a block`);
    lines.push('  tx delivery by kind (µs a tx; relayer txs also µs a packet, their update-client shared out):');
    for (const [k, t] of this.txKinds().slice(0, topKinds)) {
      const packets = t.msgs - t.n;
      const perPacket = packets > 0 ? `, ${((1000 * t.ms) / packets).toFixed(0)} µs a packet` : '';
      lines.push(`    ${k.padEnd(30)} ${String(t.n).padStart(7)} txs ${((1000 * t.ms) / t.n).toFixed(0).padStart(6)} µs${perPacket}`);
    }
    return lines;
  }
}
