#!/usr/bin/env -S npx tsx
// mesh-indexer run [--project project.yaml] [--chain id…] [--metrics-port n] [--until h|tip]
// mesh-indexer verify [--project project.yaml] [--chain id…] [--height h]   (exit 1 on any mismatch)
import { Command } from 'commander';
import { intArg } from '../cli-args.ts';
import pg from 'pg';
import { applyRpcEnv, RPC_ENV_PREFIX } from './config/env-override.ts';
import { loadProject } from './config/project.ts';
import { runIndexers, selectChains } from './run.ts';

const int = intArg('a non-negative integer');
const collect = (v: string, prev: string[] = []) => [...prev, v];
const log = (line: string) => console.error(line);
/** project.yaml with MESH_RPC_<CHAIN> overrides from the environment (docs/deploy.md). */
const project = (file: string) => {
  const r = applyRpcEnv(loadProject(file));
  for (const o of r.applied) log(`${o.chainId}: RPC from ${o.variable}: ${o.rpc.join(', ')}`);
  for (const v of r.unmatched) log(`warning: ${v} names no chain of ${file}; ignored`);
  return r.project;
};

const program = new Command('mesh-indexer')
  .description('Mesh Security indexer')
  .showHelpAfterError()
  .addHelpText(
    'afterAll',
    [
      '\nEnvironment:',
      '  DATABASE_URL         PostgreSQL to index into (else an embedded one under .data/)',
      `  ${RPC_ENV_PREFIX}<CHAIN>     a chain's RPC endpoints, comma-separated (failover in order), instead of the project`,
      `                       file's; <CHAIN> is the chain id upper-cased, other characters as _ (${RPC_ENV_PREFIX}OSMO_DEVNET_1)`,
    ].join('\n'),
  );

program
  .command('run')
  .description('index every chain of the project (or --chain) into PostgreSQL (DATABASE_URL, else embedded)')
  .option('--project <file>', 'project file', 'project.yaml')
  .option('--chain <id>', 'only this chain (repeatable; one process per chain)', collect)
  .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:<port>/metrics', int)
  .option('--until <height|tip>', 'stop after this height (or the tip seen at start) instead of following the head')
  .option('--batch-blocks <n>', 'flush every n blocks', int)
  .option('--batch-ms <ms>', 'or every ms', int)
  .option('--heap-growth <percent>', 'old-generation growth before a full GC, % over live data (0: V8 default)', int)
  .option('--no-progress', 'no progress lines')
  .action(async (o) => {
    const ac = new AbortController();
    // `on`, not `once`: under npm a Ctrl-C arrives twice (see src/main.ts)
    for (const sig of ['SIGINT', 'SIGTERM'] as const)
      process.on(sig, () => {
        log(`${sig}: flushing and stopping`);
        ac.abort();
      });
    const until = o.until === undefined ? undefined : o.until === 'tip' ? 'tip' : int(o.until);
    const stats = await runIndexers({
      project: project(o.project),
      chains: o.chain,
      metricsPort: o.metricsPort,
      until,
      batchBlocks: o.batchBlocks,
      batchMs: o.batchMs,
      heapGrowthPercent: o.heapGrowth,
      progress: o.progress,
      databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
      signal: ac.signal,
      log,
    });
    for (const s of stats) log(`${s.chainId}: indexed to ${s.height} (${s.blocks} blocks, ${s.events} events, ${s.deadLetters} dead letters this run)`);
  });

program
  .command('verify')
  .description("compare every indexed position with the chain's smart queries at the indexed height")
  .option('--project <file>', 'project file', 'project.yaml')
  .option('--chain <id>', 'only this chain (repeatable)', collect)
  .option('--height <h>', 'the height to check (must be the indexed height)', int)
  .action(async (o) => {
    const chains = selectChains(project(o.project), o.chain);
    // loaded here, not at start: `run` does without them (a smaller process)
    const [{ openDatabase }, { verifyChain }] = await Promise.all([import('../db/database.ts'), import('./verify.ts')]);
    const database = await openDatabase({ log });
    const pool = new pg.Pool({ connectionString: database.url });
    pool.on('error', (e) => log(`database connection lost: ${e.message}`));
    let bad = 0;
    try {
      for (const chain of chains) {
        const r = await verifyChain(pool, chain, { height: o.height });
        for (const m of r.mismatches) console.log(`${r.chainId}@${r.height} MISMATCH ${m}`);
        bad += r.mismatches.length;
        console.log(`${r.chainId}@${r.height}: ${r.mismatches.length} mismatches; checked ${Object.entries(r.checked).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing'}`);
      }
    } finally {
      await pool.end();
      await database.close();
    }
    process.exitCode = bad > 0 ? 1 : 0;
  });

program.parseAsync().catch((e: unknown) => {
  console.error(`mesh-indexer: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
