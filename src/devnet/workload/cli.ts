// `tsx src/devnet/workload/cli.ts [options]`: runs the seeded workload and prints its report.
// `npm run devnet:soak` = the long run of the acceptance criteria: ≥ 5 000 blocks on each of the two
// default chains, invariant checked after every block, every packet settled at the end.
// Exit code 0 when no invariant broke and every packet settled, 1 otherwise.
import { Command } from 'commander';
import { TOPOLOGIES, type TopologyName } from './topologies.ts';
import { type WorkloadReport, formatReport, runWorkload } from './run.ts';

const program = new Command()
  .name('workload')
  .description('Seeded Mesh Security activity on the devnet (fast or live mode)')
  .option('--soak', 'the long acceptance run: 5000 blocks per chain, default topology')
  .option('-b, --blocks <n>', 'blocks per chain', (v) => Number.parseInt(v, 10))
  .option('-s, --seed <seed>', 'seed (number or string)', '1')
  .option('-t, --topology <name>', `topology: ${Object.keys(TOPOLOGIES).join(', ')}`, 'default')
  .option('-m, --mode <mode>', 'fast | live', 'fast')
  .option('--block-time-ms <ms>', 'live mode: wall-clock ms per round', (v) => Number.parseInt(v, 10), 1000)
  .option('--txs-per-block <n>', 'mean user txs per block per chain', (v) => Number.parseInt(v, 10))
  .option('--users <n>', 'funded users per chain', (v) => Number.parseInt(v, 10))
  .option('-o, --out <dir>', 'write every chain’s blocks to this directory')
  .option('--hash', 'print a sha256 of all produced blocks')
  .option('--json', 'print the report as JSON')
  .parse();

const o = program.opts<{
  soak?: boolean;
  blocks?: number;
  seed: string;
  topology: string;
  mode: string;
  blockTimeMs: number;
  txsPerBlock?: number;
  users?: number;
  out?: string;
  hash?: boolean;
  json?: boolean;
}>();

if (!(o.topology in TOPOLOGIES)) {
  console.error(`unknown topology ${JSON.stringify(o.topology)} (${Object.keys(TOPOLOGIES).join(', ')})`);
  process.exit(2);
}
if (o.mode !== 'fast' && o.mode !== 'live') {
  console.error('--mode: fast or live');
  process.exit(2);
}
const seed = /^[0-9]+$/.test(o.seed) ? Number(o.seed) : o.seed;
const blocks = o.blocks ?? (o.soak ? 5000 : o.mode === 'live' ? undefined : 500);
const ac = new AbortController();
process.once('SIGINT', () => ac.abort());
process.once('SIGTERM', () => ac.abort());

let last = performance.now();
let produced = 0;
const report: WorkloadReport = await runWorkload({
  topology: o.topology as TopologyName,
  topologyOptions: o.users !== undefined ? { users: o.users } : undefined,
  seed,
  blocks,
  mode: o.mode,
  blockTimeMs: o.blockTimeMs,
  generator: o.txsPerBlock !== undefined ? { txsPerBlock: o.txsPerBlock } : undefined,
  outDir: o.out,
  hash: o.hash,
  // Nothing here reads a block or the state back after its round (blocks are checked, hashed and
  // written as they are made), so memory stays flat however many blocks are asked for.
  retainBlocks: 1,
  stateHistory: 1,
  forgetSettledPackets: true,
  signal: ac.signal,
  onBlock: (chain) => {
    if (o.json) return;
    produced++;
    const now = performance.now();
    if (now - last >= 10_000) {
      last = now;
      console.error(`… ${chain.id} height ${chain.height} (${produced} blocks)`);
    }
  },
});
console.log(o.json ? JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) : formatReport(report));
const ok = report.failures.length === 0 && report.settled;
if (!o.json) console.log(ok ? 'OK: no invariant broken, every packet settled' : 'FAILED');
process.exit(ok ? 0 : 1);
