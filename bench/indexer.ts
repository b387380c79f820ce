// `npm run bench -- indexer`: the indexer's speeds and footprint, per chain, against its targets.
//   1. dense sync: a seeded workload (~1,000 blocks per chain, ~20 mesh txs per block) generated
//      and served over CometBFT RPC on 127.0.0.1 by a devnet child process (bench/indexer-devnet.ts),
//      indexed one chain at a time with `runIndexers --until tip` in this process → blocks/s and
//      mesh events/s;
//   2. sparse sync: the deployed devnet then ~5,000 empty blocks per chain (`world.block(chain)`),
//      served the same way → blocks/s;
//   3. head lag: the workload in live mode (1 s blocks) while a ChainIndexer per chain follows the
//      head; lag = wall time a block's rows are committed (the indexer's onFlush, called after the
//      transaction commits) − wall time the devnet produced the block; p50/p99 per chain (devnet and
//      indexers in this process: both clocks must be the same);
//   4. peak RSS: `node --import tsx src/indexer/cli.ts run --chain <id> --until tip`, one child
//      process per chain, against the dense devnet child, VmHWM from /proc/<pid>/status.
// The devnet runs in its own process for phases 1, 2 and 4 (as a node would be another machine):
// the indexer's CPU and memory figures are then its own, not shared with the RPC server's.
// The database is an embedded PostgreSQL (durable settings, not the tests' fsync=off), a fresh
// database per phase. Options: --blocks N (dense, per chain, default 1000), --sparse N (default 5000),
// --live N (live rounds, default 40), --seed S.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Workload } from '../src/devnet/workload/run.ts';
import { defaultTopology } from '../src/devnet/workload/topologies.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { ChainIndexer } from '../src/indexer/chain-indexer.ts';
import { loadProject } from '../src/indexer/config/project.ts';
import { serve } from '../src/indexer/indexer.testkit.ts';
import { runIndexers } from '../src/indexer/run.ts';
import type { DevnetReady } from './indexer-devnet.ts';

export const TARGETS = {
  /** mesh events indexed per second per chain (dense historical sync) */
  meshEventsPerSec: 15_000,
  /** blocks indexed per second per chain on sparse (empty) blocks */
  sparseBlocksPerSec: 1_000,
  /** block produced → rows committed, p99, with 1 s blocks */
  headLagP99Ms: 1_000,
  /** peak RSS of one chain's indexer process */
  rssMiB: 250,
} as const;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
};

interface DevnetChild {
  ready: DevnetReady;
  stop(): Promise<void>;
}

/** Starts bench/indexer-devnet.ts and waits for its ready line (generation takes a while). */
function startDevnet(kind: 'dense' | 'sparse', blocks: number, seed: string): Promise<DevnetChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/indexer-devnet.ts'), '--kind', kind, '--blocks', String(blocks), '--seed', seed], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`devnet child exited (${code}) before it was ready`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        ready: JSON.parse(out.slice(0, nl)) as DevnetReady,
        stop: async () => {
          child.stdin!.end(); // the child serves until its stdin closes
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}

let dbSeq = 0;
/** A new database with the schema in place: creating it is installation, not sync time (both chains' runs then start alike). */
async function freshDatabase(db: EmbeddedPostgres, label: string): Promise<string> {
  const name = `bench_${label}_${++dbSeq}`;
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(db.url);
  u.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: u.toString(), max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return u.toString();
}

/** Runs one chain's sync in a child indexer process; returns its peak RSS (VmHWM) in MiB. */
function childRss(projectFile: string, chainId: string, databaseUrl: string): Promise<{ mib: number; ms: number; code: number | null; tail: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/indexer/cli.ts'), 'run', '--project', projectFile, '--chain', chainId, '--until', 'tip', '--no-progress'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    let hwmKiB = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKiB = Math.max(hwmKiB, Number(m[1]));
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 20);
    child.on('error', (e) => (clearInterval(timer), reject(e)));
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ mib: hwmKiB / 1024, ms: performance.now() - t0, code, tail: err.trim().split('\n').slice(-2).join(' | ') });
    });
  });
}

export async function run(args: string[]): Promise<boolean> {
  const denseBlocks = Number(arg(args, 'blocks') ?? 1000);
  const sparseBlocks = Number(arg(args, 'sparse') ?? 5000);
  const liveRounds = Number(arg(args, 'live') ?? 40);
  const seed = arg(args, 'seed') ?? '42';
  const results: boolean[] = [];
  console.log(`indexer bench (node ${process.version}, seed ${seed})`);

  const db = await startEmbeddedPostgres({ persistent: false });
  try {
    // ---- 1. dense sync ----------------------------------------------------------------------
    const dense = await startDevnet('dense', denseBlocks, seed);
    try {
      const { ready } = dense;
      const project = loadProject(ready.projectFile);
      console.log(`\ndense sync: devnet child ${ready.chains.map((c) => `${c.id} ${c.blocks} blocks`).join(', ')} generated in ${fmt(ready.generatedMs / 1000, 1)} s`);
      const url = await freshDatabase(db, 'dense');
      for (const [i, chain] of project.chains.entries()) {
        const counted = ready.chains[i]!;
        const t = performance.now();
        const [s] = await runIndexers({ project, chains: [chain.id], databaseUrl: url, until: 'tip' });
        const secs = (performance.now() - t) / 1000;
        const bps = s!.blocks / secs;
        const mps = counted.mesh / secs;
        const ok = mps >= TARGETS.meshEventsPerSec;
        results.push(ok);
        console.log(`  ${chain.id}: ${fmt(s!.blocks)} blocks, ${fmt(s!.events)} events (${fmt(counted.mesh)} mesh, ${fmt(counted.mesh / counted.blocks, 1)}/block) in ${fmt(secs, 2)} s: ${fmt(bps)} blocks/s, ${fmt(s!.events / secs)} events/s, ${fmt(mps)} mesh events/s; ${s!.deadLetters} dead letters`);
        console.log(`  ${verdict(ok)} ${chain.id} mesh events ≥ ${fmt(TARGETS.meshEventsPerSec)}/s: ${fmt(mps)}`);
      }

      // ---- 4. peak RSS (child process per chain, dense devnet) --------------------------------
      console.log('\npeak RSS: `mesh-indexer run --chain <id> --until tip` in a child process per chain, dense devnet child');
      for (const chain of project.chains) {
        const url = await freshDatabase(db, 'rss');
        const r = await childRss(ready.projectFile, chain.id, url);
        const ok = r.code === 0 && r.mib <= TARGETS.rssMiB;
        results.push(ok);
        console.log(`  ${chain.id}: VmHWM ${fmt(r.mib, 1)} MiB (process ran ${fmt(r.ms / 1000, 2)} s incl. startup, exit ${r.code}; ${r.tail})`);
        console.log(`  ${verdict(ok)} ${chain.id} peak RSS ≤ ${TARGETS.rssMiB} MiB: ${fmt(r.mib, 1)}`);
      }
    } finally {
      await dense.stop();
    }

    // ---- 2. sparse sync ---------------------------------------------------------------------
    const sparse = await startDevnet('sparse', sparseBlocks, seed);
    try {
      const { ready } = sparse;
      const project = loadProject(ready.projectFile);
      console.log(`\nsparse sync: devnet child ${ready.chains.map((c) => `${c.id} ${c.blocks} blocks (${c.deployment} deployment)`).join(', ')} produced in ${fmt(ready.generatedMs / 1000, 1)} s`);
      const url = await freshDatabase(db, 'sparse');
      for (const [i, chain] of project.chains.entries()) {
        const counted = ready.chains[i]!;
        const t = performance.now();
        const [s] = await runIndexers({ project, chains: [chain.id], databaseUrl: url, until: 'tip' });
        const secs = (performance.now() - t) / 1000;
        const bps = s!.blocks / secs;
        const ok = bps >= TARGETS.sparseBlocksPerSec;
        results.push(ok);
        console.log(`  ${chain.id}: ${fmt(s!.blocks)} blocks, ${fmt(s!.events)} events (${fmt(counted.mesh)} mesh) in ${fmt(secs, 2)} s: ${fmt(bps)} blocks/s`);
        console.log(`  ${verdict(ok)} ${chain.id} sparse sync ≥ ${fmt(TARGETS.sparseBlocksPerSec)} blocks/s: ${fmt(bps)}`);
      }
    } finally {
      await sparse.stop();
    }

    // ---- 3. head lag ------------------------------------------------------------------------
    const produced = new Map<string, Map<number, number>>();
    const live = new Workload({
      topology: defaultTopology({ users: 200, validators: 3 }),
      seed,
      mode: 'live',
      blockTimeMs: 1000,
      blocks: liveRounds,
      invariants: false,
      drain: false,
      onBlock: (chain, block) => produced.get(chain.id)!.set(Number(block.height), performance.now()),
    });
    for (const c of live.chains) produced.set(c.id, new Map());
    const firstLive = new Map(live.chains.map((c) => [c.id, Number(c.height) + 1]));
    const liveServed = await serve(live.chains);
    const url = await freshDatabase(db, 'live');
    const pool = new pg.Pool({ connectionString: url, max: 2 + 3 * live.chains.length });
    pool.on('error', () => {});
    const ac = new AbortController();
    const lags = new Map<string, number[]>(live.chains.map((c) => [c.id, []]));
    const committed = new Map<string, number>();
    try {
      const indexers = liveServed.project.chains.map(
        (chain) =>
          new ChainIndexer({
            chain,
            db: pool,
            signal: ac.signal,
            onFlush: (s) => {
              const now = performance.now();
              const prods = produced.get(chain.id)!;
              for (let h = (committed.get(chain.id) ?? 0) + 1; h <= s.height; h++) {
                const p = prods.get(h);
                // the first 3 live blocks are warm-up (catching up with the deployment blocks)
                if (p !== undefined && h >= firstLive.get(chain.id)! + 3) lags.get(chain.id)!.push(now - p);
              }
              committed.set(chain.id, Math.max(committed.get(chain.id) ?? 0, s.height));
            },
          }),
      );
      const running = indexers.map((ix) => ix.run());
      console.log(`\nhead lag: live devnet, 1 s blocks, ${liveRounds} rounds (~20 mesh txs per block), one ChainIndexer per chain following the head`);
      await live.runLive();
      // let the last block commit
      const deadline = performance.now() + 3000;
      while (performance.now() < deadline && live.chains.some((c) => (committed.get(c.id) ?? 0) < Number(c.height))) await new Promise((r) => setTimeout(r, 10));
      ac.abort();
      await Promise.allSettled(running);
      for (const c of live.chains) {
        const xs = lags.get(c.id)!;
        const p50 = quantile(xs, 0.5);
        const p99 = quantile(xs, 0.99);
        const ok = xs.length >= 30 && p99 < TARGETS.headLagP99Ms;
        results.push(ok);
        console.log(`  ${c.id}: ${xs.length} blocks: lag p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms, max ${fmt(Math.max(...xs))} ms`);
        console.log(`  ${verdict(ok)} ${c.id} head lag p99 < ${fmt(TARGETS.headLagP99Ms)} ms (≥ 30 blocks): ${fmt(p99)} ms over ${xs.length}`);
      }
    } finally {
      ac.abort();
      await pool.end();
      await liveServed.close();
    }
  } finally {
    await db.stop();
  }

  const ok = results.every(Boolean);
  console.log(`\n${ok ? 'PASS' : 'FAIL'}: indexer bench`);
  return ok;
}
