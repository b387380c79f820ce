// `npm start`: everything on the embedded defaults, in one process —
//   PostgreSQL (embedded and persistent under .data/, or DATABASE_URL),
//   the devnet's default topology with its live workload, each chain on CometBFT JSON-RPC,
//   the indexer on every chain (project.yaml, pointed at the devnet's RPC servers),
//   the GraphQL API with GraphiQL.
// Ctrl-C stops all cleanly. Data is kept between runs: the devnet replays the rounds it had produced
// (same seed, same blocks) and the indexer resumes from its cursors.
import { Command } from 'commander';
import { intArg } from './cli-args.ts';
import pg from 'pg';
import { openDatabase } from './db/database.ts';
import { SchemaMismatchError, migrate } from './db/migrate.ts';
import { startApiServer } from './api/server.ts';
import { LIVE_RETAIN_BLOCKS, startLiveDevnet } from './devnet/live.ts';
import { replayProgress } from './devnet/replay-progress.ts';
import type { TopologyName } from './devnet/workload/topologies.ts';
import { loadProject, type Project } from './indexer/config/project.ts';
import { runIndexers } from './indexer/run.ts';
import { devnetTips, loadDevnetState, replayMismatch, resumeRefusal, saveDevnetState, snapshotKeeper } from './devnet/live-state.ts';

const int = intArg('a non-negative integer');

const opts = new Command()
  .name('mesh-security-indexer')
  .description('Runs the Mesh Security devnet live, indexes every chain into PostgreSQL and serves the GraphQL API')
  .option('--topology <name>', 'devnet topology: default | seeds-mesh', 'default')
  .option('--seed <n>', 'workload seed (same seed, same blocks)', int, 1)
  .option('--block-time <ms>', 'wall-clock milliseconds per block', int, 1000)
  .option('--rpc-port <port>', 'RPC port of the first chain (the next chains use the following ports; 0 = any free)', int, 26657)
  .option('--retain-blocks <n>', 'blocks each devnet chain keeps for RPC (older heights are pruned, ~0.3 MiB a block)', intArg('a block count ≥ 100', 100), LIVE_RETAIN_BLOCKS)
  .option('--api-port <port>', 'GraphQL API port (0 = any free)', int, 4000)
  .option('--project <file>', 'project file; its chains are pointed at the devnet', 'project.yaml')
  .showHelpAfterError()
  .parse()
  .opts<{ topology: TopologyName; seed: number; blockTime: number; rpcPort: number; retainBlocks: number; apiPort: number; project: string }>();

const log = (line: string) => console.error(line);
const stop = new AbortController();
// Ctrl-C before everything runs (PostgreSQL starting, the devnet replaying) cuts the start-up short:
// the replay stops at its next check and nothing is saved. Once running, `shutdown` (below) takes over.
let onSignal = (): void => stop.abort();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => onSignal());

// The server log stays out of the console; a failed start reports its tail.
const database = await openDatabase();
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
pool.on('error', (e) => log(`database connection lost: ${e.message}`));
await migrate(pool).catch(async (e: unknown) => {
  if (!(e instanceof SchemaMismatchError)) throw e;
  // a database left by an older version (its tables lack what this one writes): say so, no stack
  console.error(`the database${database.embedded ? ' in .data/' : ''} was made by an older version: ${e.problems.join('; ')}; delete .data/ (or point DATABASE_URL elsewhere) for a new run`);
  await pool.end();
  await database.close();
  process.exit(2);
});

// The API serves what the database holds, so it starts before the devnet: a replay (under a minute
// from a snapshot, some 25 minutes a day of blocks from genesis) does not keep the data already
// indexed from being queried.
// /ready says no until the indexers run: before, the tips in the database are the last run's.
let notReady: string | undefined = 'the devnet is starting';
const apiOptions = { databaseUrl: database.url, notReady: () => notReady };
const api = await startApiServer({ ...apiOptions, port: opts.apiPort }).catch(() => startApiServer({ ...apiOptions, port: 0 })); // the usual port is taken

// Resume the devnet this database has indexed, or refuse to mix two different devnets in one database.
const previous = await loadDevnetState(pool);
const refuse = async (why: string): Promise<never> => {
  console.error(`${why}; delete .data/ (or point DATABASE_URL elsewhere) for a new run`);
  await api.close();
  await pool.end();
  await database.close();
  process.exit(2);
};
const refused = resumeRefusal(previous, opts.topology, opts.seed);
if (refused) await refuse(refused);
const resumeRounds = previous?.rounds ?? 0;
if (resumeRounds > 0) {
  notReady = `the devnet is replaying ${resumeRounds} rounds to resume the last run`;
  log(`GraphQL API ${api.graphqlUrl} serves what was indexed while the devnet catches up`);
  log(`devnet: resuming the last run of seed ${opts.seed} (${resumeRounds} rounds): replaying from its newest snapshot, or from the start`);
}
const replay = resumeRounds > 0 ? replayProgress(resumeRounds) : undefined;
const devnet = await startLiveDevnet({
  topology: opts.topology,
  seed: opts.seed,
  blockTimeMs: opts.blockTime,
  rpcPort: opts.rpcPort,
  retainBlocks: opts.retainBlocks,
  resumeRounds,
  resumeTips: previous?.tips,
  snapshots: snapshotKeeper(pool, opts.topology, opts.seed),
  signal: stop.signal,
  onReplay: (done, total) => replay?.update(done, total),
  log,
});
replay?.end();
if (stop.signal.aborted) {
  // a cut-short replay is fewer rounds than were indexed: keep the saved progress as it was
  log(`stopped during the replay (${devnet.workload.round} of ${resumeRounds} rounds); the saved progress is unchanged`);
  await closeServers();
  await pool.end();
  await database.close();
  process.exit(130);
}
const replayed = previous && replayMismatch(previous, devnet);
if (replayed) {
  await devnet.close();
  await refuse(replayed);
}
const saveRounds = () => saveDevnetState(pool, { topology: opts.topology, seed: opts.seed, rounds: devnet.workload.round, tips: devnetTips(devnet) });
await saveRounds();

const project = pointAtDevnet(loadProject(opts.project), devnet.servers);

console.log('');
for (const [id, s] of devnet.servers) console.log(`  ${id.padEnd(16)} RPC ${s.url}   websocket ${s.wsUrl}/websocket`);
console.log(`  GraphQL API      ${api.graphqlUrl}   (open it in a browser for GraphiQL)`);
console.log(`  health           ${api.url}/health  ${api.url}/ready  ${api.url}/metrics`);
console.log(`  PostgreSQL       ${redact(database.url)}${database.embedded ? ' (embedded, data kept in .data/)' : ''}`);
console.log(`devnet: ${opts.topology} topology, seed ${opts.seed}, a block every ${opts.blockTime} ms on each chain. Ctrl-C stops.\n`);

// The devnet's progress is kept every second, so a restart replays exactly what was indexed.
const saver = setInterval(() => void saveRounds().catch((e) => log(`devnet state not saved: ${(e as Error).message}`)), 1000);

notReady = undefined; // the indexers take over: /ready follows their lag
const indexing = runIndexers({ project, databaseUrl: database.url, signal: stop.signal, progress: true, log }).catch((e) => {
  log(`indexer stopped: ${(e as Error).message}`);
  shutdown(1);
});
const producing = devnet.run();

let stopping: Promise<void> | undefined;
function shutdown(code = 0): Promise<void> {
  return (stopping ??= (async () => {
    log('stopping: devnet, indexers (flushing their last batch), API, database');
    stop.abort();
    clearInterval(saver);
    await producing;
    await indexing;
    await saveRounds().catch(() => {});
    await closeServers();
    await pool.end();
    await database.close();
    log('stopped; data kept for the next start');
    process.exitCode = code;
  })());
}
// Handlers stay installed (`on`, not `once`): under npm a Ctrl-C arrives twice (the terminal signals
// the whole process group and npm/tsx forward it again); a second signal must not let the default
// handlers stop PostgreSQL under the indexers' last flush.
onSignal = () => void shutdown();
if (stop.signal.aborted) void shutdown(); // a signal that came after the replay, during the start-up

/** Closes the API and the devnet's RPC servers together; a failure is reported, not fatal. */
async function closeServers(): Promise<void> {
  const results = await Promise.allSettled([api.close(), devnet.close()]);
  for (const r of results) if (r.status === 'rejected') log(`while stopping: ${(r.reason as Error).message}`);
}

function pointAtDevnet(p: Project, servers: ReadonlyMap<string, { url: string }>): Project {
  const missing = p.chains.filter((c) => !servers.has(c.id)).map((c) => c.id);
  if (missing.length) throw new Error(`${opts.project} names chains the ${opts.topology} devnet does not run: ${missing.join(', ')}`);
  return { ...p, chains: p.chains.map((c) => ({ ...c, rpc: [servers.get(c.id)!.url] })) };
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
