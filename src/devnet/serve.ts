// `npm run devnet:live`: the live devnet alone (src/devnet/live.ts), each chain on CometBFT JSON-RPC,
// for an indexer in another process or container (docker-compose.yml's `devnet` profile;
// docs/deploy.md). Every option also reads an environment variable, shown in --help.
// With a database it keeps its progress there (src/devnet/live-state.ts, as `npm start` does) and a
// restart replays to where it stopped; without one every start begins at height 1.
import { Command, Option } from 'commander';
import { intArg } from '../cli-args.ts';
import pg from 'pg';
import { migrate } from '../db/migrate.ts';
import type { Ibc } from './ibc/ibc.ts';
import { LIVE_RETAIN_BLOCKS, startLiveDevnet } from './live.ts';
import { replayProgress } from './replay-progress.ts';
import { type LiveDevnetState, devnetTips, loadDevnetState, replayMismatch, resumeRefusal, saveDevnetState, snapshotKeeper } from './live-state.ts';
import { TOPOLOGIES, type TopologyName } from './workload/topologies.ts';

const opts = new Command()
  .name('devnet-live')
  .description('Runs the Mesh Security devnet live (seeded workload, one block per block time on every chain) and serves each chain over CometBFT JSON-RPC')
  .addOption(new Option('--topology <name>', 'devnet topology').env('TOPOLOGY').choices(Object.keys(TOPOLOGIES)).default('default'))
  .addOption(new Option('--seed <n>', 'workload seed (same seed, same blocks)').env('SEED').argParser(intArg('an integer ≥ 0', 0)).default(1))
  .addOption(new Option('--block-time <ms>', 'wall-clock milliseconds per block').env('BLOCK_TIME_MS').argParser(intArg('milliseconds ≥ 1', 1)).default(1000))
  .addOption(new Option('--host <address>', 'interface the RPC servers listen on (0.0.0.0 in a container)').env('RPC_HOST').default('127.0.0.1'))
  .addOption(
    new Option('--port <port>', "first chain's RPC port; the next chains use the following ports (0 = any free; a taken port falls back to a free one)")
      .env('RPC_PORT')
      .argParser(intArg('a port number 0–65535', 0, 65535))
      .default(26657),
  )
  .addOption(
    new Option('--retain-blocks <n>', 'blocks each chain keeps for RPC (older heights are pruned, ~0.3 MiB a block)')
      .env('RETAIN_BLOCKS')
      .argParser(intArg('a block count ≥ 100', 100))
      .default(LIVE_RETAIN_BLOCKS),
  )
  .addOption(new Option('--database-url <url>', 'PostgreSQL to keep the progress in, so a restart resumes (optional)').env('DATABASE_URL'))
  .addHelpText(
    'after',
    '\nWithout a database the devnet cannot resume: every start begins again at height 1 (the same seed\n' +
      'gives the same blocks, so indexed data stays valid, but an indexer waits until the chains are back\n' +
      'at its height). With --database-url (DATABASE_URL) it records its rounds there, as `npm start` does,\n' +
      'replays them at the next start, and refuses a database that holds another topology or seed.',
  )
  .showHelpAfterError()
  .parse()
  .opts<{ topology: TopologyName; seed: number; blockTime: number; host: string; port: number; retainBlocks: number; databaseUrl?: string }>();

const log = (line: string) => console.error(line);
const stop = new AbortController();

async function main() {
  // `on`, not `once`: under npm a Ctrl-C arrives twice (see src/main.ts). Set before the replay,
  // which the signal also stops.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => stop.abort());
  const databaseUrl = opts.databaseUrl?.trim();
  const pool = databaseUrl ? new pg.Pool({ connectionString: databaseUrl, max: 1 }) : undefined;
  pool?.on('error', (e) => log(`database connection lost: ${e.message}`));
  let resumeRounds = 0;
  let previous: LiveDevnetState | null = null;
  if (pool) {
    await migrate(pool);
    previous = await loadDevnetState(pool);
    const refused = resumeRefusal(previous, opts.topology, opts.seed);
    if (refused) {
      await pool.end();
      throw new Error(`${refused}; use another database for a new run`);
    }
    resumeRounds = previous?.rounds ?? 0;
    if (resumeRounds > 0) log(`devnet: resuming the last run of seed ${opts.seed} (${resumeRounds} rounds): replaying from its newest snapshot, or from the start`);
  } else {
    log('devnet: no database (DATABASE_URL): starting at height 1; progress is not kept');
  }

  const replay = resumeRounds > 0 ? replayProgress(resumeRounds) : undefined;
  const devnet = await startLiveDevnet({
    topology: opts.topology,
    seed: opts.seed,
    blockTimeMs: opts.blockTime,
    rpcHost: opts.host,
    rpcPort: opts.port,
    retainBlocks: opts.retainBlocks,
    resumeRounds,
    resumeTips: previous?.tips,
    snapshots: pool ? snapshotKeeper(pool, opts.topology, opts.seed) : undefined,
    signal: stop.signal,
    onReplay: (done, total) => replay?.update(done, total),
    log,
  });
  replay?.end();
  const replayed = previous && devnet.workload.round >= resumeRounds ? replayMismatch(previous, devnet) : undefined;
  if (replayed) {
    await devnet.close();
    await pool?.end();
    throw new Error(`${replayed}; use another database for a new run`);
  }
  // a replay cut short by a signal has not produced fewer rounds than the run it replays: keep its tips
  const save = async () => {
    if (!pool) return;
    const cut = devnet.workload.round < resumeRounds;
    await saveDevnetState(pool, { topology: opts.topology, seed: opts.seed, rounds: cut ? resumeRounds : devnet.workload.round, tips: cut ? previous?.tips : devnetTips(devnet) });
  };
  await save();
  for (const [id, s] of devnet.servers) console.log(`${id.padEnd(16)} RPC ${s.url}  websocket ${s.wsUrl}/websocket`);
  console.log(`devnet: ${opts.topology} topology, seed ${opts.seed}, a block every ${opts.blockTime} ms on each chain. Ctrl-C stops.`);

  // Progress saved every second; one status line per chain every 10 s.
  const saver = pool ? setInterval(() => void save().catch((e) => log(`devnet state not saved: ${(e as Error).message}`)), 1000) : undefined;
  const txs = new Map(devnet.chains.map((c) => [c.id, 0]));
  for (const c of devnet.chains) c.onBlock((b) => txs.set(c.id, (txs.get(c.id) ?? 0) + b.txs.length));
  const status = setInterval(() => {
    for (const c of devnet.chains) {
      const inFlight = c.module<Ibc>('ibc').pendingCommitments().length;
      console.log(`${c.id.padEnd(16)} height ${String(c.height).padStart(6)}  txs ${String(txs.get(c.id)).padStart(7)}  packets in flight ${inFlight}`);
    }
  }, 10_000);

  await devnet.run();
  clearInterval(status);
  clearInterval(saver);
  await save().catch((e) => log(`devnet state not saved: ${(e as Error).message}`));
  await devnet.close();
  await pool?.end();
  log(`stopped at round ${devnet.workload.round}${pool ? '; progress kept for the next start' : ''}`);
}

main().catch((e: unknown) => {
  console.error(`devnet-live: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
