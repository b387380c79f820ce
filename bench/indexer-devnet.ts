// The devnet the indexer bench syncs from, in its own process: the indexer under test then shares
// neither its event loop nor its heap with the RPC server (as with a real node on another machine),
// so blocks/s and peak RSS are the indexer's own.
//
//   node --import tsx bench/indexer-devnet.ts --kind dense|sparse [--blocks N] [--seed S]
//
// Generates the seeded workload, serves every chain over CometBFT RPC on 127.0.0.1, then prints ONE
// JSON line on stdout (DevnetReady) and serves until its stdin closes (the parent exits or ends it).
import type { Event } from '../src/devnet/chain/types.ts';
import type { BlockStore } from '../src/devnet/node/block-store.ts';
import { Workload } from '../src/devnet/workload/run.ts';
import { defaultTopology } from '../src/devnet/workload/topologies.ts';
import { serve } from '../src/indexer/indexer.testkit.ts';

export interface DevnetReady {
  projectFile: string;
  generatedMs: number;
  chains: Array<{ id: string; deployment: number; blocks: number; events: number; mesh: number }>;
}

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

export function isMeshEvent(e: Event): boolean {
  if (e.type === 'wasm' || e.type.startsWith('wasm-') || MESH_MODULE_EVENTS.has(e.type)) return true;
  if (!PACKET_EVENTS.has(e.type)) return false;
  return e.attributes.some((a) => (a.key === 'packet_src_port' || a.key === 'packet_dst_port') && a.value.startsWith('wasm.'));
}

export function countEvents(store: BlockStore, from = 1n): { blocks: number; events: number; mesh: number } {
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

/** dense: ~20 mesh txs per block on 200 users; sparse: the deployment then empty blocks. */
function generate(kind: string, blocks: number, seed: string): { chains: Workload['chains']; deployed: Map<string, number> } {
  if (kind === 'dense') {
    const w = new Workload({ topology: defaultTopology({ users: 200, validators: 3 }), seed, blocks, invariants: false });
    const deployed = new Map(w.chains.map((c) => [c.id, Number(c.height)]));
    w.runFast();
    return { chains: w.chains, deployed };
  }
  if (kind === 'sparse') {
    const w = new Workload({ topology: defaultTopology({ users: 16, validators: 3 }), seed, invariants: false, drain: false });
    const deployed = new Map(w.chains.map((c) => [c.id, Number(c.height)]));
    for (let i = 0; i < blocks; i++) for (const c of w.chains) w.devnet.world.block(c);
    return { chains: w.chains, deployed };
  }
  throw new Error(`--kind must be dense or sparse, got ${JSON.stringify(kind)}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const kind = arg('kind') ?? 'dense';
  const t = performance.now();
  const { chains, deployed } = generate(kind, Number(arg('blocks') ?? (kind === 'dense' ? 1000 : 5000)), arg('seed') ?? '42');
  const generatedMs = performance.now() - t;
  const served = await serve(chains);
  const ready: DevnetReady = {
    projectFile: served.projectFile,
    generatedMs,
    chains: chains.map((c, i) => ({ id: c.id, deployment: deployed.get(c.id)!, ...countEvents(served.servers[i]!.store) })),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  // serve until the parent closes our stdin (also when it dies)
  process.stdin.resume();
  process.stdin.on('end', () => void served.close().finally(() => process.exit(0)));
  process.stdin.on('error', () => void served.close().finally(() => process.exit(0)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(`indexer-devnet: ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(2);
  });
}
