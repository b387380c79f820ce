// Micro-benchmark of decodeBlock on devnet workload blocks (~20 mesh txs per block plus relayer
// txs), both SDK lines, and on empty blocks. Blocks are rendered and turned into RawBlocks first;
// only decoding is timed.
//   npx tsx src/indexer/decode/decode.bench.ts [--rounds 200] [--seconds 3]
import { parseArgs } from 'node:util';
import { BlockStore } from '../../devnet/node/block-store.ts';
import type { RawBlock } from '../rpc/raw-block.ts';
import { decodeBlock } from './block.ts';
import { rawBlockOf, workload } from './decode.testkit.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '200' }, seconds: { type: 'string', default: '3' } } });
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);

/** Events the mesh mappings consume: contract events, IBC packet events, the mesh modules' events. */
const MESH_TYPES = new Set(['execute', 'instantiate', 'send_packet', 'recv_packet', 'write_acknowledgement', 'acknowledge_packet', 'timeout_packet', 'ibc_packet_received']);
const MESH_MODULE = new Set(['max_cap_limit_updated', 'scheduler_registered', 'scheduler_execution', 'instant_delegate', 'instant_unbond', 'update_delegation', 'vault_bond', 'vault_unbond', 'native_unstake']);
const isMesh = (type: string): boolean => type === 'wasm' || type.startsWith('wasm-') || MESH_TYPES.has(type) || MESH_MODULE.has(type);

function blocksOf(sdk: '0.47' | '0.50'): RawBlock[] {
  const w = workload(sdk, { users: 200, validators: 6 });
  w.runFast(rounds);
  const out: RawBlock[] = [];
  for (const c of w.chains) {
    const store = new BlockStore(c);
    // workload rounds only: the deployment's blocks are few and unlike the steady state
    for (let h = BigInt(c.blocks.length - rounds) + 1n; h <= store.height; h++) out.push(rawBlockOf(store.at(h)!));
  }
  return out;
}

function measure(label: string, blocks: RawBlock[]): void {
  let txs = 0;
  let events = 0;
  let mesh = 0;
  for (const b of blocks) {
    const d = decodeBlock(b, { chainId: 'bench' });
    if (d.problems.length) throw new Error(`${label}: ${d.problems[0]!.reason}`);
    txs += d.txs.length;
    for (const t of d.txs) {
      events += t.events.length;
      for (const e of t.events) if (isMesh(e.type)) mesh++;
    }
    for (const e of [...d.beginEvents, ...d.endEvents]) {
      events++;
      if (isMesh(e.type)) mesh++;
    }
  }
  // warm up, then as many passes as fit in the time budget
  for (const b of blocks) decodeBlock(b, { chainId: 'bench' });
  let passes = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (const b of blocks) decodeBlock(b, { chainId: 'bench' });
    passes++;
  }
  const s = (performance.now() - t0) / 1000;
  const rate = (n: number) => Math.round((n * passes) / s).toLocaleString('en-US');
  console.log(
    `${label.padEnd(22)} ${String(blocks.length).padStart(5)} blocks, ${(txs / blocks.length).toFixed(1).padStart(5)} txs/block, ${(events / blocks.length).toFixed(0).padStart(4)} events/block (${(mesh / blocks.length).toFixed(0)} mesh)  →  ${rate(blocks.length)} blocks/s, ${rate(txs)} txs/s, ${rate(events)} events/s, ${rate(mesh)} mesh events/s`,
  );
}

for (const sdk of ['0.47', '0.50'] as const) measure(`workload SDK ${sdk}`, blocksOf(sdk));
const empty: RawBlock[] = Array.from({ length: 1000 }, (_, i) => ({ height: i + 1, timeNs: 1_767_225_600_000_000_000n + BigInt(i) * 10n ** 9n, hash: 'AB'.repeat(32), txs: [], txResults: [], beginEvents: [], endEvents: [] }));
measure('empty blocks', empty);
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
