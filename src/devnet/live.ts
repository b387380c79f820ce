// The live devnet behind `npm start`: a topology with its seeded workload, one round per block time,
// every chain served over CometBFT JSON-RPC on 127.0.0.1. A restart resumes: the same seed gives the
// same blocks, so the devnet replays the rounds it had produced (fast) and goes on in real time, and
// an indexer's cursor into it stays valid.
import type { Chain } from './chain/chain.ts';
import { BlockStore } from './node/block-store.ts';
import { type RpcServer, startRpcServer } from './rpc/server.ts';
import { Workload } from './workload/run.ts';
import type { TopologyName } from './workload/topologies.ts';

export interface LiveDevnetOptions {
  topology: TopologyName;
  seed: number;
  blockTimeMs: number;
  /** Port of the first chain; the next chains use the following ports. 0 = any free port. */
  rpcPort: number;
  /** Interface the RPC servers bind (default 127.0.0.1). */
  rpcHost?: string;
  /**
   * Blocks each chain keeps for RPC, as a pruning node does (default LIVE_RETAIN_BLOCKS); older
   * heights answer `height H is not available, lowest height is B`. A dense block takes ~0.3 MiB
   * rendered, so keeping all of them would exhaust the heap within hours.
   */
  retainBlocks?: number;
  /** Rounds to replay before going live (what an earlier run produced). */
  resumeRounds?: number;
  onReplay?: (done: number, total: number) => void;
  signal: AbortSignal;
}

export interface LiveDevnet {
  workload: Workload;
  chains: Chain[];
  servers: Map<string, RpcServer>;
  /** Runs in real time until the signal aborts. */
  run(): Promise<void>;
  close(): Promise<void>;
}

/** About 17 minutes of 1 s blocks, some 0.3 GiB per chain. */
export const LIVE_RETAIN_BLOCKS = 1_000;
/** Blocks a live chain keeps in its own list (results with event objects) once its store has them. */
const LIVE_CHAIN_BLOCKS = 8;

export async function startLiveDevnet(opts: LiveDevnetOptions): Promise<LiveDevnet> {
  const retainBlocks = opts.retainBlocks ?? LIVE_RETAIN_BLOCKS;
  // every block is kept until the stores below have rendered the deployment's; settled packets'
  // receipts are forgotten, so with the window's pruning the state stops growing
  const workload = new Workload({ topology: opts.topology, seed: opts.seed, mode: 'live', blockTimeMs: opts.blockTimeMs, signal: opts.signal, invariants: false, retainBlocks: true, forgetSettledPackets: true });
  const chains = [...workload.devnet.world.chains.values()];
  // The stores follow their chains from the start: each block is rendered as it is produced (the
  // replay included) since a header links to the one before, and then only the window is kept.
  // State versions older than the window go as well (a store prunes every few dozen blocks), so
  // abci_query reaches back as far as `block` does and the state's history stays bounded too.
  const stores = chains.map((chain) => {
    const store = new BlockStore(chain, { follow: true, retainBlocks });
    chain.onBlock(() => {
      if (store.base > chain.journal.prunedBelow) chain.journal.prune(store.base);
    });
    return store;
  });
  // With the stores following, the chains' own lists keep only the last few blocks: each store renders
  // a block as it is produced, and the relayer and the generator read only the block just made.
  workload.keepBlocks(LIVE_CHAIN_BLOCKS);
  if (opts.resumeRounds) {
    const total = opts.resumeRounds;
    await workload.fastForward(total, (done) => opts.onReplay?.(done, total));
  }
  const servers = new Map<string, RpcServer>();
  for (const [i, chain] of chains.entries()) {
    const store = stores[i]!;
    let server: RpcServer;
    try {
      server = await startRpcServer(store, { host: opts.rpcHost, port: opts.rpcPort === 0 ? 0 : opts.rpcPort + i });
    } catch {
      server = await startRpcServer(store, { host: opts.rpcHost, port: 0 }); // the usual port is taken: any free one
    }
    servers.set(chain.id, server);
  }
  return {
    workload,
    chains,
    servers,
    run: async () => void (await workload.runLive()),
    close: async () => void (await Promise.all([...servers.values()].map((s) => s.close()))),
  };
}
