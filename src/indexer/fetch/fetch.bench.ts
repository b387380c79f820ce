// Fetch micro-benchmark: blocks/s that fetchBlocks pulls from a local devnet RPC server.
//   npx tsx src/indexer/fetch/fetch.bench.ts [--blocks 2000] [--window 32] [--seed 1] [--users 300] [--sparse 5000] [--batch 16]
// The parent pre-generates the blocks (workload in fast mode on the default topology; plus a chain
// of empty blocks for the sparse case), renders them and serves them on 127.0.0.1; the fetcher runs
// in a child process so that server and client each have their own core and RSS is the fetcher's.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BlockStore } from '../../devnet/node/block-store.ts';
import { tinyDevnet } from '../../devnet/node/devnet.testkit.ts';
import { startRpcServer } from '../../devnet/rpc/server.ts';
import { Workload } from '../../devnet/workload/run.ts';
import { connectChain } from '../rpc/client.ts';
import { fetchBlocks } from './fetcher.ts';

interface Result {
  blocks: number;
  txs: number;
  events: number;
  seconds: number;
  maxRssMb: number;
}

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

/** Child: fetch `from..to` and print one JSON line. */
async function child(url: string, chainId: string, from: number, to: number, window: number, batch: number): Promise<void> {
  const client = await connectChain({ chainId, endpoints: [url], batch });
  let blocks = 0;
  let txs = 0;
  let events = 0;
  let maxRss = 0;
  const t0 = performance.now();
  for await (const b of fetchBlocks(client, { from, to, window })) {
    blocks++;
    txs += b.txs.length;
    events += b.beginEvents.length + b.endEvents.length;
    for (const r of b.txResults) events += r.events.length;
    if ((blocks & 255) === 0) maxRss = Math.max(maxRss, process.memoryUsage.rss());
  }
  const seconds = (performance.now() - t0) / 1000;
  maxRss = Math.max(maxRss, process.memoryUsage.rss());
  client.close();
  const r: Result = { blocks, txs, events, seconds, maxRssMb: maxRss / 2 ** 20 };
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

function runChild(url: string, chainId: string, from: number, to: number, window: number, batch: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', url, chainId, String(from), String(to), String(window), String(batch)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Result) : reject(new Error(`fetch child exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const blocks = arg('blocks', 2000);
  const window = arg('window', 32);
  const seed = arg('seed', 1);
  const sparse = arg('sparse', 5000);
  const users = arg('users', 300);
  const batch = arg('batch', 16);

  let t = performance.now();
  const w = new Workload({ blocks, seed, invariants: false, drain: false, topologyOptions: { users } });
  w.runFast();
  const chain = w.chains[0]!;
  const store = new BlockStore(chain);
  console.log(`generated and rendered ${chain.id}: ${store.height} blocks in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const { world, chain: empty } = tinyDevnet({ chainId: 'sparse-1' });
  t = performance.now();
  for (let i = 0; i < sparse; i++) world.block(empty);
  const sparseStore = new BlockStore(empty);
  console.log(`generated and rendered ${empty.id}: ${sparseStore.height} empty blocks in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const servers = [await startRpcServer(store), await startRpcServer(sparseStore)];
  try {
    for (const [label, srv, s] of [
      ['workload blocks', servers[0]!, store],
      ['empty blocks', servers[1]!, sparseStore],
    ] as const) {
      const r = await runChild(srv.url, s.chainId, 1, Number(s.height), window, batch);
      console.log(
        `${label.padEnd(16)} ${r.blocks} blocks, ${r.txs} txs, ${r.events} events in ${r.seconds.toFixed(2)} s: ` +
          `${(r.blocks / r.seconds).toFixed(0)} blocks/s, ${(r.events / r.seconds).toFixed(0)} events/s (window ${window}, batch ${batch}, fetcher max RSS ${r.maxRssMb.toFixed(0)} MB)`,
      );
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

const ci = process.argv.indexOf('--child');
if (ci >= 0) {
  const [url, chainId, from, to, window, batch] = process.argv.slice(ci + 1);
  await child(url!, chainId!, Number(from), Number(to), Number(window), Number(batch));
} else {
  await main();
}
