// `npm run bench -- devnet`: the devnet's two speeds, each against its target.
//   1. fast-mode generation: the seeded workload on the default topology (two chains providing to
//      each other), ≥ 20 mesh txs per block, rounds back to back, no invariant checks, in memory;
//   2. RPC serving: the blocks are written to a directory (workload/block-file.ts), loaded back into
//      a BlockStore (src/devnet/node) and served by the CometBFT RPC server (src/devnet/rpc) on
//      127.0.0.1; a separate process fetches `block` + `block_results` pairs over keep-alive HTTP.
// Options: --blocks N (total over both chains, default 2000), --seed S, --concurrency C,
// --seconds S (serving), --source dir|memory, --invariants (check the vault after every block too),
// --breakdown (then a second, separately timed run shows where generation spends its time).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordedSource } from '../src/devnet/node/block-source.ts';
import { BlockStore } from '../src/devnet/node/block-store.ts';
import { startRpcServer } from '../src/devnet/rpc/server.ts';
import { BlockDirWriter, blockFilePath, loadBlockFile } from '../src/devnet/workload/block-file.ts';
import { CostMeter } from '../src/devnet/workload/cost-meter.ts';
import { PHASE, Workload, type WorkloadOptions } from '../src/devnet/workload/run.ts';

export const TARGETS = {
  /** blocks generated per second (all chains), with ≥ 20 mesh txs per block */
  generationBlocksPerSec: 2000,
  meshTxsPerBlock: 20,
  /** user txs the generator aims at per block: some fail or are plain sends, so ~22 gives ≥ 20 mesh txs */
  userTxsPerBlock: 22,
  /** `block` + `block_results` pairs served per second over loopback */
  servedPairsPerSec: 3000,
} as const;

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export interface LoadResult {
  pairs: number;
  seconds: number;
  errors: number;
  bytes: number;
  firstError?: string;
  /** Requests sent again on a new connection after the server closed a kept-alive one under them. */
  retries: number;
  /** Cores the load generator itself used (taken from the server on this machine). */
  clientCpu: number;
}

/**
 * Runs bench/rpc-load.ts in its own process against `url`; killed if it has not finished 30 s after
 * its run should have ended (its requests time out by themselves: this guards the bench).
 */
export function runLoad(url: string, maxHeight: number, seconds: number, concurrency: number, maxPairs: number): Promise<LoadResult> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'rpc-load.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, url, String(maxHeight), String(seconds), String(concurrency), String(maxPairs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const limitMs = (seconds + 30) * 1000;
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', (e) => {
      clearTimeout(killer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      if (signal === 'SIGKILL') return reject(new Error(`rpc-load still running ${limitMs / 1000} s after it started: killed`));
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as LoadResult);
      } catch {
        reject(new Error(`rpc-load exited with ${code}: ${out}`));
      }
    });
  });
}

/** The same workload again, timed phase by phase and tx by tx, against the target's time a block. */
function breakdown(opts: WorkloadOptions, rounds: number, txsPerBlock: number): void {
  const costs = new CostMeter();
  new Workload({ ...opts, costs }).runFast(rounds);
  const budgetMs = 1000 / TARGETS.generationBlocksPerSec;
  console.log(`\nwhere generation time goes (a second run, timed in parts; the target leaves ${fmt(budgetMs, 2)} ms a block, ${fmt((1000 * budgetMs) / txsPerBlock)} µs a tx at ${fmt(txsPerBlock, 1)} txs a block):`);
  for (const line of costs.report(PHASE.block)) console.log(`  ${line}`);
}

export async function run(args: string[]): Promise<boolean> {
  const totalBlocks = Number(arg(args, 'blocks') ?? 2000);
  const seed = arg(args, 'seed') ?? '42';
  const concurrency = Number(arg(args, 'concurrency') ?? 32);
  const seconds = Number(arg(args, 'seconds') ?? 10);
  const source = arg(args, 'source') ?? 'dir';
  const invariants = args.includes('--invariants');

  console.log(`devnet bench (node ${process.version}, seed ${seed})`);

  // ---- 1. generation --------------------------------------------------------------------
  const t0 = performance.now();
  const opts: WorkloadOptions = { topology: 'default', seed, blocks: Math.ceil(totalBlocks / 2), invariants, drain: false, retainBlocks: true, generator: { txsPerBlock: TARGETS.userTxsPerBlock } };
  const w = new Workload(opts);
  const deployMs = performance.now() - t0;
  const rounds = Math.ceil(totalBlocks / w.chains.length);
  const r = w.runFast(rounds);
  const genOk = r.blocksPerSec >= TARGETS.generationBlocksPerSec;
  const mixOk = r.meshTxsPerBlock >= TARGETS.meshTxsPerBlock;
  console.log(`\ngeneration (default topology, ${w.chains.length} chains, ${fmt(deployMs)} ms deploy not counted${invariants ? ', invariants on' : ''})`);
  console.log(`  ${fmt(rounds * w.chains.length)} blocks in ${fmt(r.elapsedMs / 1000, 2)} s: ${fmt(r.blocksPerSec)} blocks/s, ${fmt(r.txsPerSec)} txs/s (${fmt(r.meshTxs)} mesh txs, ${fmt(r.meshTxsPerBlock, 1)} per block; relayer and system txs included in txs/s)`);
  console.log(`  ${verdict(genOk)} generation ≥ ${TARGETS.generationBlocksPerSec} blocks/s: ${fmt(r.blocksPerSec)}`);
  console.log(`  ${verdict(mixOk)} ≥ ${TARGETS.meshTxsPerBlock} mesh txs per block: ${fmt(r.meshTxsPerBlock, 1)}`);
  if (args.includes('--breakdown')) breakdown(opts, rounds, r.txs / (rounds * w.chains.length));

  // ---- 2. write, load, serve --------------------------------------------------------------
  const chain = w.chains[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'mesh-devnet-bench-'));
  let servedOk = false;
  try {
    const tw = performance.now();
    const writer = new BlockDirWriter(dir, { topology: 'default', seed });
    for (const c of w.chains) for (const b of c.blocks) writer.append(c, b);
    writer.close();
    const writeMs = performance.now() - tw;
    const bytes = w.chains.reduce((s, c) => s + statSync(blockFilePath(dir, c.id)).size, 0);
    const blockCount = w.chains.reduce((s, c) => s + c.blocks.length, 0);
    console.log(`\nblock files: ${fmt(blockCount)} blocks, ${fmt(bytes / 2 ** 20, 1)} MiB written in ${fmt(writeMs)} ms (${fmt(blockCount / (writeMs / 1000))} blocks/s)`);

    const tl = performance.now();
    const store =
      source === 'memory'
        ? new BlockStore(chain)
        : (() => {
            const loaded = loadBlockFile(blockFilePath(dir, chain.id));
            return new BlockStore(recordedSource(loaded));
          })();
    const loadMs = performance.now() - tl;
    const height = Number(store.height);
    console.log(`serving ${chain.id} from ${source === 'memory' ? 'the in-memory chain' : 'its block file'}: ${fmt(height)} blocks loaded and rendered in ${fmt(loadMs)} ms`);

    const server = await startRpcServer(store, { host: '127.0.0.1' });
    try {
      // warm-up, then the measured run
      await runLoad(server.url, height, 1, 4, 500);
      const load = await runLoad(server.url, height, seconds, concurrency, 1_000_000);
      const pps = load.pairs / load.seconds;
      servedOk = pps >= TARGETS.servedPairsPerSec && load.errors === 0;
      console.log(`  ${fmt(load.pairs)} pairs (block + block_results) in ${fmt(load.seconds, 2)} s from ${concurrency} workers over ${2 * concurrency} keep-alive connections: ${fmt(pps)} pairs/s, ${fmt(load.bytes / load.seconds / 2 ** 20, 1)} MiB/s, ${load.errors} errors${load.firstError ? ` (${load.firstError})` : ''}, ${load.retries} retries; the load generator used ${fmt(load.clientCpu, 2)} cores`);
      console.log(`  ${verdict(servedOk)} serving ≥ ${TARGETS.servedPairsPerSec} pairs/s: ${fmt(pps)}`);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const ok = genOk && mixOk && servedOk;
  console.log(`\n${ok ? 'PASS' : 'FAIL'}: devnet bench`);
  if (!genOk) console.log('  (generation below target: `--breakdown` shows where its time goes; profile with `node --cpu-prof --import tsx bench/run.ts devnet`)');
  return ok;
}
