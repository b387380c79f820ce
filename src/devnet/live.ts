// The live devnet behind `npm start`: a topology with its seeded workload, one round per block time,
// every chain served over CometBFT JSON-RPC on 127.0.0.1. A restart resumes: the same seed gives the
// same blocks, so the devnet replays the rounds it had produced (fast) and goes on in real time, and
// an indexer's cursor into it stays valid. With a snapshot keeper, the replay starts from the newest
// snapshot at least a window of blocks back (live-snapshot.ts), so a resume takes seconds, not the
// half hour a day of blocks would take from genesis.
import type { Chain } from './chain/chain.ts';
import type { ChainTip } from './live-state.ts';
import { SNAPSHOT_EVERY, type SnapshotKeeper, devnetStamp, restoreLiveDevnet, snapshotLiveDevnet } from './live-snapshot.ts';
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
  /** The chains' latest blocks when those rounds were saved: a replay from a snapshot must end on them. */
  resumeTips?: Record<string, ChainTip>;
  /** Where snapshots are kept: the replay starts from the newest that fits, and one is taken every `snapshotEvery` rounds. */
  snapshots?: SnapshotKeeper;
  /** Rounds between snapshots (default SNAPSHOT_EVERY). */
  snapshotEvery?: number;
  /** Rounds replayed of the replay's total (fewer than resumeRounds after a snapshot). */
  onReplay?: (done: number, total: number) => void;
  /** Lines for people: a snapshot restored or not. */
  log?: (line: string) => void;
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

/** A devnet as startLiveDevnet builds it: the workload, and a store following each chain. */
interface Built {
  workload: Workload;
  chains: Chain[];
  stores: BlockStore[];
}

export async function startLiveDevnet(opts: LiveDevnetOptions): Promise<LiveDevnet> {
  const retainBlocks = opts.retainBlocks ?? LIVE_RETAIN_BLOCKS;
  const every = opts.snapshotEvery ?? SNAPSHOT_EVERY;
  const log = opts.log ?? (() => {});
  const build = (): Built => {
    // every block is kept until the stores below have rendered the deployment's; settled packets'
    // receipts are forgotten, so with the window's pruning the state stops growing
    const workload = new Workload({
      topology: opts.topology,
      seed: opts.seed,
      mode: 'live',
      blockTimeMs: opts.blockTimeMs,
      signal: opts.signal,
      invariants: false,
      retainBlocks: true,
      forgetSettledPackets: true,
      onRound: (round) => {
        if (opts.snapshots && round % every === 0 && round >= snapshotsFrom) keep(opts.snapshots, workload, stores);
      },
    });
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
    return { workload, chains, stores };
  };
  // saves still under way: close() waits for them
  let saving: Promise<unknown> = Promise.resolve();
  const keep = (keeper: SnapshotKeeper, workload: Workload, stores: BlockStore[]): void => {
    const round = workload.round;
    const saved = snapshotLiveDevnet(workload, stores, stamp)
      .then((s) => keeper.save(s, s.round - retainBlocks))
      .catch((e: Error) => log(`devnet: snapshot of round ${round} not kept: ${e.message}`));
    saving = Promise.all([saving, saved]);
  };

  const total = opts.resumeRounds ?? 0;
  // a replay from genesis keeps only the snapshots a next resume could start from
  const snapshotsFrom = total - retainBlocks - 2 * every;
  let d = build();
  // of the state's fields as this code has them: snapshots taken by other code are not restored
  const stamp = opts.snapshots ? devnetStamp(d.workload) : '';
  if (total > 0) {
    const from = opts.snapshots ? await resumeFromSnapshot(opts.snapshots, total - retainBlocks, d, build, stamp, log) : undefined;
    const replay = async (): Promise<void> => {
      const start = d.workload.round;
      await d.workload.fastForward(total - start, (done) => opts.onReplay?.(done, total - start));
    };
    // a replay from a snapshot that fails or does not lead to the saved blocks (code that acts
    // otherwise on the same fields): start over from genesis
    let off: string | undefined;
    try {
      await replay();
      const tips = from !== undefined && !opts.signal.aborted && opts.resumeTips ? tipMismatch(d.stores, opts.resumeTips) : undefined;
      if (tips) off = `ended on other blocks (${tips})`;
    } catch (e) {
      if (from === undefined) throw e;
      off = `failed (${(e as Error).message})`;
    }
    if (off) {
      log(`devnet: the replay from the snapshot of round ${from} ${off}; replaying from the start`);
      d = build();
      await replay();
    }
  }
  const { workload, chains, stores } = d;
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
    close: async () => void (await Promise.all([saving, ...[...servers.values()].map((s) => s.close())])),
  };
}

/**
 * Restores into `d` the newest snapshot taken at or before round `atMost` (so that the replay after
 * it refills the stores' windows) and returns its round; undefined, with `d` untouched, if there is
 * none or it does not fit.
 */
async function resumeFromSnapshot(keeper: SnapshotKeeper, atMost: number, d: Built, build: () => Built, stamp: string, log: (line: string) => void): Promise<number | undefined> {
  if (atMost <= 0) return undefined;
  let snapshot;
  try {
    snapshot = await keeper.latest(atMost);
  } catch (e) {
    log(`devnet: snapshots not readable (${(e as Error).message}); replaying from the start`);
    return undefined;
  }
  if (!snapshot) return undefined;
  const t0 = performance.now();
  try {
    restoreLiveDevnet(snapshot, d, build(), stamp);
  } catch (e) {
    log(`devnet: the snapshot of round ${snapshot.round} does not fit this devnet (${(e as Error).message}); replaying from the start`);
    Object.assign(d, build());
    return undefined;
  }
  log(`devnet: restored the snapshot of round ${snapshot.round} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return snapshot.round;
}

/** How the stores' latest blocks differ from the saved tips, if they do. */
function tipMismatch(stores: BlockStore[], tips: Record<string, ChainTip>): string | undefined {
  for (const store of stores) {
    const tip = tips[store.chainId];
    const b = store.latest();
    if (tip && (!b || b.height.toString() !== tip.height || b.hash !== tip.hash)) return `${store.chainId} at ${b?.height ?? '?'} is ${b?.hash.slice(0, 12) ?? 'missing'}…, saved ${tip.height} ${tip.hash.slice(0, 12)}…`;
  }
  return undefined;
}
