// Runs the workload on a devnet: rounds of blocks (one block per chain per round, all at the same
// block time), each block carrying the relayer's txs and the generator's txs; invariants after every
// block; a final drain (relay + timeouts) so every packet ends acknowledged or timed out.
//   fast mode: rounds back to back, as fast as possible (benchmarks, soak tests, writing a directory);
//   live mode: one round every `blockTimeMs` of wall-clock time (npm start).
// Chain time is always the simulated clock (genesis + rounds × block time), so the same seed gives
// the same blocks in both modes.
import { createHash, type Hash } from 'node:crypto';
import type { BlockResult, Chain } from '../chain/chain.ts';
import { type Devnet, deploy } from '../deploy.ts';
import type { Ibc } from '../ibc/ibc.ts';
import type { DeploymentConfig } from '../scenario/config.ts';
import { BlockDirWriter, encodeBlock } from './block-file.ts';
import type { CostMeter } from './cost-meter.ts';
import { Generator, type GeneratorOptions, type GeneratorStats } from './generator.ts';
import { type InvariantFailure, InvariantChecker } from './invariants.ts';
import { BlockRelayer, type RelayStats } from './relayer.ts';
import { Rng, type Seed } from './rng.ts';
import { TOPOLOGIES, type TopologyName, type TopologyOptions } from './topologies.ts';

export interface WorkloadOptions {
  /** A topology preset name or a full deployment (default: 'default', two chains providing to each other). */
  topology?: TopologyName | DeploymentConfig;
  topologyOptions?: TopologyOptions;
  seed?: Seed;
  /** Blocks to produce on every chain (rounds). Live mode without it runs until `signal` aborts. */
  blocks?: number;
  mode?: 'fast' | 'live';
  /** Live mode: wall-clock milliseconds between rounds (default 1000). */
  blockTimeMs?: number;
  generator?: GeneratorOptions;
  /** Check the vault invariant after every block (default true). */
  invariants?: boolean;
  /** Relay everything and let unrelayable packets time out at the end (default true). */
  drain?: boolean;
  /** Write every chain's blocks to this directory (block-file.ts format), including the deployment's. */
  outDir?: string;
  /** Compute a sha256 over every produced block (deployment blocks included). */
  hash?: boolean;
  /**
   * How many blocks each Chain keeps in memory (`chain.blocks`): true = all (default), a number = the
   * latest n. Long fast runs that only check or write a directory can keep few; a BlockStore serving
   * the live chain (src/devnet/node) must then follow it from the start, or it misses blocks.
   */
  retainBlocks?: boolean | number;
  /**
   * Heights of past state each chain keeps for reads at a past height: older versions are dropped
   * every 64 rounds, as a pruning node does. Default: all, which grows without bound (tens of KiB a
   * round); a run nothing reads back can keep few. Not with a BlockStore over the chain itself
   * (chainSource reads the validator sets from genesis on) or abci queries below the kept heights.
   */
  stateHistory?: number;
  /**
   * Forget, every 256 rounds, the IBC receipts and acks nothing can read again (Ibc.forgetSettled).
   * Only worth it where old state versions are pruned (stateHistory, a live devnet's window).
   */
  forgetSettledPackets?: boolean;
  /** Called after every round, between rounds (the state is then consistent: a snapshot can be taken). */
  onRound?: (round: number) => void;
  /** Called after every block, with the chain and its block. */
  onBlock?: (chain: Chain, block: BlockResult) => void;
  /** Live mode: stop at the next round. */
  signal?: AbortSignal;
  /** Times each round's phases and every tx's delivery (bench --breakdown); off by default. */
  costs?: CostMeter;
}

export interface WorkloadReport {
  seed: string;
  topology: string;
  mode: 'fast' | 'live';
  /** Rounds produced by the workload (excluding deployment and drain). */
  rounds: number;
  drainRounds: number;
  /** Blocks produced by the workload per chain (rounds + drain rounds). */
  blocks: Record<string, number>;
  heights: Record<string, string>;
  elapsedMs: number;
  /** Workload blocks (all chains) per second of wall time, drain excluded. */
  blocksPerSec: number;
  txs: number;
  txsPerSec: number;
  userTxs: number;
  meshTxs: number;
  meshTxsPerBlock: number;
  relayer: RelayStats;
  generator: GeneratorStats;
  channels: Record<string, string>;
  invariantChecks: number;
  failures: InvariantFailure[];
  /** Every packet acknowledged or timed out after the drain. */
  settled: boolean;
  hash?: string;
}

/** The round's phases a CostMeter times; txs are delivered within `block`. */
export const PHASE = {
  relay: 'relayer: packets to txs',
  generate: 'generator: choosing user txs',
  block: 'producing the block',
  after: 'after the block (bookkeeping)',
} as const;

const topologyName = (t: WorkloadOptions['topology']): string => (typeof t === 'string' ? t : t === undefined ? 'default' : 'custom');

export class Workload {
  readonly devnet: Devnet;
  readonly rng: Rng;
  readonly generator: Generator;
  readonly relayer: BlockRelayer;
  readonly invariants?: InvariantChecker;
  readonly chains: Chain[];
  round = 0;
  drainRounds = 0;
  txs = 0;
  /** Simulated time of the latest round (ns). */
  time: bigint;
  private readonly roundNs: bigint;
  private readonly writer?: BlockDirWriter;
  private readonly hashes?: Map<string, Hash>;
  private retain: number;
  private readonly stateHistory?: bigint;
  private elapsedMs = 0;
  private roundsTimed = 0;

  constructor(readonly opts: WorkloadOptions = {}) {
    if (opts.stateHistory !== undefined) {
      if (!Number.isSafeInteger(opts.stateHistory) || opts.stateHistory < 0) throw new Error(`stateHistory must be a whole number of heights ≥ 0, not ${opts.stateHistory}`);
      this.stateHistory = BigInt(opts.stateHistory);
    }
    const topo = opts.topology ?? 'default';
    const config = typeof topo === 'string' ? TOPOLOGIES[topo](opts.topologyOptions) : topo;
    this.devnet = deploy(config);
    const seed = opts.seed ?? 1;
    this.rng = new Rng(seed);
    this.chains = config.chains.map((c) => this.devnet.world.chain(c.id));
    this.generator = new Generator(this.devnet, this.rng.fork('generator'), { plannedBlocks: opts.blocks, ...opts.generator });
    this.relayer = new BlockRelayer(this.devnet.world, this.generator.relayPolicy);
    if (opts.invariants !== false) this.invariants = new InvariantChecker(this.devnet);
    this.roundNs = this.chains.reduce((m, c) => (c.params.blockTimeNs > m ? c.params.blockTimeNs : m), 0n);
    this.time = this.devnet.world.now;
    this.retain = opts.retainBlocks === undefined || opts.retainBlocks === true ? Infinity : opts.retainBlocks === false ? 0 : opts.retainBlocks;
    if (opts.outDir) this.writer = new BlockDirWriter(opts.outDir, { topology: topologyName(opts.topology), seed: String(seed) });
    if (opts.costs) for (const c of this.chains) c.txTimer = opts.costs.tx;
    if (opts.hash) this.hashes = new Map(this.chains.map((c) => [c.id, createHash('sha256')]));
    // the deployment's blocks (contract instantiation, channel handshake) belong to the chain's history
    for (const c of this.chains) {
      for (const b of c.blocks) this.emit(c, b, false);
      this.trim(c);
    }
  }

  private emit(chain: Chain, block: BlockResult, callback = true): void {
    if (this.writer || this.hashes) {
      const line = encodeBlock(block);
      this.writer?.writer(chain).appendLine(line);
      this.hashes?.get(chain.id)!.update(line).update('\n');
    }
    if (callback) this.opts.onBlock?.(chain, block);
  }

  /** From now on each chain's own list keeps only its last `n` blocks (e.g. once a store follows the chain). */
  keepBlocks(n: number): void {
    this.retain = n;
    for (const c of this.chains) this.trim(c);
  }

  private trim(chain: Chain): void {
    if (chain.blocks.length > this.retain) chain.blocks.splice(0, chain.blocks.length - this.retain);
  }

  /** Produces one round: one block on every chain, in configuration order. */
  step(): void {
    const t0 = performance.now();
    this.round++;
    this.generator.round = this.round;
    this.time += this.roundNs;
    this.produceRound();
    if (!this.generator.draining) {
      this.elapsedMs += performance.now() - t0;
      this.roundsTimed++;
    }
    this.opts.onRound?.(this.round);
  }

  private produceRound(): void {
    const world = this.devnet.world;
    const m = this.opts.costs;
    let t = m ? performance.now() : 0;
    for (const chain of this.chains) {
      const pending = this.relayer.pending();
      const relay = this.generator.relayerActive(chain) ? this.relayer.txsFor(chain, this.time, pending) : [];
      if (m) t = m.lap(PHASE.relay, t);
      const own = this.generator.txsFor(chain, relay.length, pending);
      if (m) t = m.lap(PHASE.generate, t);
      world.now = this.time - chain.params.blockTimeNs;
      const block = world.block(chain, relay.length === 0 ? own : own.length === 0 ? relay : [...relay, ...own]);
      if (m) t = m.lap(PHASE.block, t);
      this.txs += block.txs.length;
      this.relayer.afterBlock(chain, block.txResults);
      this.generator.afterBlock(chain, block.txResults);
      this.invariants?.afterBlock(chain);
      this.emit(chain, block);
      this.trim(chain);
      if (m) {
        t = m.lap(PHASE.after, t);
        m.blocks++;
      }
    }
    if (this.round % 256 === 0) {
      this.relayer.prune(this.relayer.pending());
      if (this.opts.forgetSettledPackets) for (const chain of this.chains) (chain.modules.get('ibc') as Ibc | undefined)?.forgetSettled();
    }
    const keep = this.stateHistory;
    if (keep !== undefined && this.round % 64 === 0) for (const chain of this.chains) if (chain.height > keep) chain.journal.prune(chain.height - keep);
    if (m) m.lap(PHASE.after, t);
  }

  /**
   * Final drain: no user activity, nothing dropped, every pending packet relayed; packets that can no
   * longer be received (closed channel) are timed out, fast-forwarding the clock to their timeout.
   */
  drain(maxRounds = 500): void {
    this.generator.draining = true;
    this.relayer.dropping = false;
    let quiet = 0;
    for (let i = 0; i < maxRounds; i++) {
      const pending = this.relayer.pending().filter((r) => !this.relayer.stuck.has(`${r.source.id}/${r.packet.sourcePort}/${r.packet.sourceChannel}/${r.packet.sequence}`));
      if (pending.length === 0) {
        // one more round so that capped contracts restored in the drain settle their epoch packets
        if (++quiet >= 2) return;
      } else {
        quiet = 0;
      }
      // packets that can only time out: move the clock past the last of their timeouts at once
      let latest = 0n;
      for (const r of this.relayer.undeliverable(pending)) if (r.packet.timeoutTimestamp > latest) latest = r.packet.timeoutTimestamp;
      if (latest > this.time) this.time = latest;
      this.step();
      this.drainRounds++;
    }
  }

  /** Fast mode: `blocks` rounds back to back, then the drain. */
  runFast(blocks = this.opts.blocks ?? 100): WorkloadReport {
    for (let i = 0; i < blocks; i++) this.step();
    if (this.opts.drain !== false) this.drain();
    return this.finish();
  }

  /**
   * Replays `rounds` rounds back to back (same seed, same blocks): how a restarted live devnet gets back
   * to where it stopped before it goes on in real time. Yields to the event loop now and then so
   * servers stay responsive; `onProgress` sees the rounds done so far, 0 first as the replay starts.
   */
  async fastForward(rounds: number, onProgress?: (done: number) => void): Promise<void> {
    const target = this.round + rounds;
    onProgress?.(0);
    // Yield every ~20 ms, not every so many rounds: a round can take 10-20 ms with its blocks
    // rendered, and signals and RPC requests must get through (tsx kills a child that has not taken
    // a SIGINT within 60 ms).
    let yielded = performance.now();
    while (this.round < target && !this.opts.signal?.aborted) {
      this.step();
      if (performance.now() - yielded >= 20 || this.round === target) {
        onProgress?.(rounds - (target - this.round));
        await new Promise((r) => setImmediate(r));
        yielded = performance.now();
      }
    }
  }

  /** Live mode: one round every `blockTimeMs`, until `blocks` rounds or the signal aborts. */
  async runLive(): Promise<WorkloadReport> {
    const period = this.opts.blockTimeMs ?? 1000;
    const limit = this.opts.blocks ?? Infinity;
    const signal = this.opts.signal;
    let due = performance.now(); // after a fastForward, real time starts now
    while (this.round < limit && !signal?.aborted) {
      this.step();
      due += period;
      const now = performance.now();
      // Behind (a round took longer than the block time, or the process stalled): go on from now, as
      // a slow node makes its blocks later rather than in a burst, and still let the event loop turn,
      // or a block time shorter than a round starves the RPC servers, the indexers and Ctrl-C.
      if (due < now) due = now;
      await sleep(due - now, signal);
    }
    if (this.opts.drain !== false && !signal?.aborted) this.drain();
    return this.finish();
  }

  finish(): WorkloadReport {
    this.writer?.close();
    const settled = this.invariants ? this.invariants.checkSettled(this.relayer.stuck).length === 0 : this.relayer.pending().length === 0;
    const g = this.generator.stats;
    const blocks = Object.fromEntries(this.chains.map((c) => [c.id, this.round]));
    const workloadBlocks = this.roundsTimed * this.chains.length;
    const secs = this.elapsedMs / 1000;
    let hash: string | undefined;
    if (this.hashes) {
      const all = createHash('sha256');
      for (const c of this.chains) all.update(`${c.id}:${this.hashes.get(c.id)!.digest('hex')}\n`);
      hash = all.digest('hex');
    }
    return {
      seed: String(this.opts.seed ?? 1),
      topology: topologyName(this.opts.topology),
      mode: this.opts.mode ?? 'fast',
      rounds: this.round - this.drainRounds,
      drainRounds: this.drainRounds,
      blocks,
      heights: Object.fromEntries(this.chains.map((c) => [c.id, c.height.toString()])),
      elapsedMs: Math.round(this.elapsedMs),
      blocksPerSec: secs > 0 ? workloadBlocks / secs : 0,
      txs: this.txs,
      txsPerSec: secs > 0 ? this.txs / secs : 0,
      userTxs: g.userTxs,
      meshTxs: g.meshTxs,
      meshTxsPerBlock: workloadBlocks > 0 ? g.meshTxs / workloadBlocks : 0,
      relayer: { ...this.relayer.stats },
      generator: g,
      channels: this.generator.channelStates(),
      invariantChecks: this.invariants?.checkedUsers ?? 0,
      failures: this.invariants?.failures ?? [],
      settled,
      hash,
    };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', done);
      clearTimeout(t);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Builds the devnet and runs the workload; fast mode resolves when the run (and drain) is done. */
export async function runWorkload(opts: WorkloadOptions = {}): Promise<WorkloadReport> {
  const w = new Workload(opts);
  return (opts.mode ?? 'fast') === 'live' ? w.runLive() : w.runFast();
}

/** Formats a report for people (CLI, soak script). */
export function formatReport(r: WorkloadReport): string {
  const lines = [
    `workload ${r.topology} seed ${r.seed} (${r.mode}): ${r.rounds} rounds + ${r.drainRounds} drain rounds`,
    `  heights: ${Object.entries(r.heights).map(([c, h]) => `${c} ${h}`).join(', ')}`,
    `  ${r.txs} txs (${r.userTxs} user, ${r.meshTxs} mesh; ${r.meshTxsPerBlock.toFixed(1)} mesh txs/block) in ${(r.elapsedMs / 1000).toFixed(1)} s: ${r.blocksPerSec.toFixed(0)} blocks/s, ${r.txsPerSec.toFixed(0)} txs/s`,
    `  relayer: received ${r.relayer.received}, acknowledged ${r.relayer.acknowledged}, timed out ${r.relayer.timedOut}, dropped ${r.relayer.dropped}, failed txs ${r.relayer.failedTxs}`,
    `  acks: ${Object.entries(r.generator.acks).map(([t, a]) => `${t} ${a.ok} ok / ${a.error} error`).join(', ')}`,
    `  events: ${r.generator.jails} jails, ${r.generator.tombstones} tombstones, ${r.generator.priceChanges} price changes, ${r.generator.maxCapChanges} max cap changes, ${r.generator.channelCloses} channel closes; channels ${JSON.stringify(r.channels)}`,
    `  txs by kind: ${Object.entries(r.generator.byKind).sort().map(([k, s]) => `${k} ${s.ok}/${s.sent}`).join(', ')}`,
    `  invariants: ${r.invariantChecks} user checks, ${r.failures.length} failures; packets ${r.settled ? 'all settled' : 'NOT settled'}`,
  ];
  for (const s of r.generator.skipped) lines.push(`  skipped: ${s}`);
  for (const f of r.failures.slice(0, 20)) lines.push(`  ✗ ${f.chain}@${f.height}${f.user ? ` ${f.user}` : ''}: ${f.message}`);
  if (r.hash) lines.push(`  sha256 ${r.hash}`);
  return lines.join('\n');
}
