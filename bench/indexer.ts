// `npm run bench -- indexer`: the indexer's speeds and footprint, per chain, against its targets.
//   1. dense sync: a seeded workload (~1,000 blocks per chain, ~20 mesh txs per block) generated
//      in memory, served over CometBFT RPC on 127.0.0.1, indexed one chain at a time with
//      `runIndexers --until tip` → blocks/s and mesh events/s;
//   2. sparse sync: the deployed devnet then ~5,000 empty blocks per chain (`world.block(chain)`) → blocks/s;
//   3. head lag: the workload in live mode (1 s blocks) while a ChainIndexer per chain follows the
//      head; lag = wall time a block's rows are committed (the indexer's onFlush, called after the
//      transaction commits) − wall time the devnet produced the block; p50/p99 per chain;
//   4. peak RSS: `node --import tsx src/indexer/cli.ts run --chain <id> --until tip` in a child
//      process against the served dense devnet, VmHWM from /proc/<pid>/status.
// The database is an embedded PostgreSQL (durable settings, not the tests' fsync=off), a fresh
// database per phase. Options: --blocks N (dense, per chain, default 1000), --sparse N (default 5000),
// --live N (live rounds, default 40), --seed S.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Event } from '../src/devnet/chain/types.ts';
import type { BlockStore } from '../src/devnet/node/block-store.ts';
import { Workload } from '../src/devnet/workload/run.ts';
import { defaultTopology } from '../src/devnet/workload/topologies.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { ChainIndexer } from '../src/indexer/chain-indexer.ts';
import { serve, type Served } from '../src/indexer/indexer.testkit.ts';
import { runIndexers } from '../src/indexer/run.ts';

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

// A mesh event is one the Mesh Security stack emits:
//   - CosmWasm contract events: type `wasm` or `wasm-*` (vault, staking, converter, virtual staking…);
//   - the x/meshsecurity (consumer) and provider modules' own event types (MESH_MODULE_EVENTS);
//   - IBC packet lifecycle events whose source or destination port is a contract port (`wasm.*`),
//     i.e. packets on the mesh channels (not ics20 transfers).
// Counted over every block event and tx event of the served blocks (as the indexer receives them).
const MESH_MODULE_EVENTS = new Set([
  // x/meshsecurity (consumer)
  'instant_delegate', 'instant_unbond', 'update_delegation', 'max_cap_limit_updated', 'scheduler_registered', 'scheduler_execution',
  // x/meshsecurityprovider
  'vault_bond', 'vault_unbond', 'native_unstake',
]);
const PACKET_EVENTS = new Set(['send_packet', 'recv_packet', 'write_acknowledgement', 'acknowledge_packet', 'timeout_packet']);

function isMeshEvent(e: Event): boolean {
  if (e.type === 'wasm' || e.type.startsWith('wasm-') || MESH_MODULE_EVENTS.has(e.type)) return true;
  if (!PACKET_EVENTS.has(e.type)) return false;
  return e.attributes.some((a) => (a.key === 'packet_src_port' || a.key === 'packet_dst_port') && a.value.startsWith('wasm.'));
}

function countEvents(store: BlockStore, from = 1n): { blocks: number; events: number; mesh: number } {
  let events = 0;
  let mesh = 0;
  for (let h = from; h <= store.height; h++) {
    const b = store.at(h)!;
    for (const list of [b.beginEvents, b.endEvents, ...b.txs.map((t) => t.events)])
      for (const e of list) {
        events++;
        if (isMeshEvent(e)) mesh++;
      }
  }
  return { blocks: Number(store.height - from + 1n), events, mesh };
}

let dbSeq = 0;
async function freshDatabase(db: EmbeddedPostgres, label: string): Promise<string> {
  const name = `bench_${label}_${++dbSeq}`;
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(db.url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one chain's sync in a child indexer process; returns its peak RSS (VmHWM) in MiB. */
function childRss(served: Served, chainId: string, databaseUrl: string): Promise<{ mib: number; ms: number; code: number | null; tail: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/indexer/cli.ts'), 'run', '--project', served.projectFile, '--chain', chainId, '--until', 'tip', '--no-progress'], {
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
    let t = performance.now();
    const dense = new Workload({ topology: defaultTopology({ users: 200, validators: 3 }), seed, blocks: denseBlocks, invariants: false });
    dense.runFast();
    console.log(`\ndense sync: devnet ${dense.chains.map((c) => `${c.id} ${c.height} blocks`).join(', ')} generated in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const denseServed = await serve(dense.chains);
    try {
      const url = await freshDatabase(db, 'dense');
      for (const [i, chain] of denseServed.project.chains.entries()) {
        const counted = countEvents(denseServed.servers[i]!.store);
        t = performance.now();
        const [s] = await runIndexers({ project: denseServed.project, chains: [chain.id], databaseUrl: url, until: 'tip' });
        const secs = (performance.now() - t) / 1000;
        const bps = s!.blocks / secs;
        const mps = counted.mesh / secs;
        const ok = mps >= TARGETS.meshEventsPerSec;
        results.push(ok);
        console.log(`  ${chain.id}: ${fmt(s!.blocks)} blocks, ${fmt(s!.events)} events (${fmt(counted.mesh)} mesh, ${fmt(counted.mesh / counted.blocks, 1)}/block) in ${fmt(secs, 2)} s: ${fmt(bps)} blocks/s, ${fmt(s!.events / secs)} events/s, ${fmt(mps)} mesh events/s; ${s!.deadLetters} dead letters`);
        console.log(`  ${verdict(ok)} ${chain.id} mesh events ≥ ${fmt(TARGETS.meshEventsPerSec)}/s: ${fmt(mps)}`);
      }

      // ---- 4. peak RSS (child process per chain, dense devnet) --------------------------------
      console.log('\npeak RSS: `mesh-indexer run --chain <id> --until tip` in a child process, dense devnet');
      for (const chain of denseServed.project.chains) {
        const url = await freshDatabase(db, 'rss');
        const r = await childRss(denseServed, chain.id, url);
        const ok = r.code === 0 && r.mib <= TARGETS.rssMiB;
        results.push(ok);
        console.log(`  ${chain.id}: VmHWM ${fmt(r.mib, 1)} MiB (process ran ${fmt(r.ms / 1000, 2)} s incl. startup, exit ${r.code}; ${r.tail})`);
        console.log(`  ${verdict(ok)} ${chain.id} peak RSS ≤ ${TARGETS.rssMiB} MiB: ${fmt(r.mib, 1)}`);
      }
    } finally {
      await denseServed.close();
    }

    // ---- 2. sparse sync ---------------------------------------------------------------------
    t = performance.now();
    const sparse = new Workload({ topology: defaultTopology({ users: 16, validators: 3 }), seed, invariants: false, drain: false });
    const deployed = new Map(sparse.chains.map((c) => [c.id, c.height]));
    for (let i = 0; i < sparseBlocks; i++) for (const c of sparse.chains) sparse.devnet.world.block(c);
    console.log(`\nsparse sync: ${sparse.chains.map((c) => `${c.id} ${c.height} blocks (${deployed.get(c.id)} deployment)`).join(', ')} produced in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const sparseServed = await serve(sparse.chains);
    try {
      const url = await freshDatabase(db, 'sparse');
      for (const [i, chain] of sparseServed.project.chains.entries()) {
        const counted = countEvents(sparseServed.servers[i]!.store);
        t = performance.now();
        const [s] = await runIndexers({ project: sparseServed.project, chains: [chain.id], databaseUrl: url, until: 'tip' });
        const secs = (performance.now() - t) / 1000;
        const bps = s!.blocks / secs;
        const ok = bps >= TARGETS.sparseBlocksPerSec;
        results.push(ok);
        console.log(`  ${chain.id}: ${fmt(s!.blocks)} blocks, ${fmt(s!.events)} events (${fmt(counted.mesh)} mesh) in ${fmt(secs, 2)} s: ${fmt(bps)} blocks/s`);
        console.log(`  ${verdict(ok)} ${chain.id} sparse sync ≥ ${fmt(TARGETS.sparseBlocksPerSec)} blocks/s: ${fmt(bps)}`);
      }
    } finally {
      await sparseServed.close();
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
