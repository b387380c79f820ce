// `npm start`: the devnet's default topology live — two chains providing to each other with a
// seeded workload, one block per second — each served over CometBFT JSON-RPC on 127.0.0.1.
// Ctrl-C stops everything cleanly.
import { Command } from 'commander';
import { BlockStore } from './devnet/node/block-store.ts';
import { startRpcServer } from './devnet/rpc/server.ts';
import { Workload } from './devnet/workload/run.ts';
import type { Ibc } from './devnet/ibc/ibc.ts';

const opts = new Command()
  .name('mesh-security-indexer')
  .description('Runs the Mesh Security devnet live and serves every chain over CometBFT RPC')
  .option('--topology <name>', 'default | seeds-mesh', 'default')
  .option('--seed <n>', 'workload seed (same seed, same blocks)', '1')
  .option('--block-time <ms>', 'wall-clock milliseconds per block', '1000')
  .option('--rpc-port <port>', 'port of the first chain (the next chains use the following ports; 0 = any free)', '26657')
  .parse()
  .opts<{ topology: 'default' | 'seeds-mesh'; seed: string; blockTime: string; rpcPort: string }>();

const stop = new AbortController();
const workload = new Workload({ topology: opts.topology, seed: Number(opts.seed), mode: 'live', blockTimeMs: Number(opts.blockTime), signal: stop.signal });
const chains = [...workload.devnet.world.chains.values()];

const servers: Array<Awaited<ReturnType<typeof startRpcServer>>> = [];
for (const [i, chain] of chains.entries()) {
  const store = new BlockStore(chain, { follow: true });
  const base = Number(opts.rpcPort);
  let server;
  try {
    server = await startRpcServer(store, { port: base === 0 ? 0 : base + i });
  } catch {
    server = await startRpcServer(store, { port: 0 }); // the usual port is taken: any free one
  }
  servers.push(server);
  console.log(`${chain.id.padEnd(16)} RPC ${server.url}  websocket ${server.wsUrl}/websocket`);
}
console.log(`devnet: ${opts.topology} topology, seed ${opts.seed}, a block every ${opts.blockTime} ms on each chain. Ctrl-C stops.`);
console.log('This build runs the devnet; the indexer and the GraphQL API are not part of it yet.');

// One status line per chain every 10 s: height, txs so far, packets in flight.
const txs = new Map(chains.map((c) => [c.id, 0]));
for (const c of chains) c.onBlock((b) => txs.set(c.id, (txs.get(c.id) ?? 0) + b.txs.length));
const status = setInterval(() => {
  for (const c of chains) {
    const inFlight = c.module<Ibc>('ibc').pendingCommitments().length;
    console.log(`${c.id.padEnd(16)} height ${String(c.height).padStart(6)}  txs ${String(txs.get(c.id)).padStart(7)}  packets in flight ${inFlight}`);
  }
}, 10_000);

const shutdown = async () => {
  if (stop.signal.aborted) return;
  stop.abort();
  clearInterval(status);
  await Promise.all(servers.map((s) => s.close()));
  console.log('stopped');
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());

await workload.runLive();
await shutdown();
