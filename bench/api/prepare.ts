// The API bench's database: a seeded devnet workload indexed with the real indexer (realistic
// positions), its history multiplied to ≥ 1M rows (multiply.ts), VACUUM ANALYZE'd. Kept between runs
// in a persistent embedded cluster under .data/bench-api (or database `bench_api` on DATABASE_URL's
// server) and rebuilt when the schema version or the generation parameters change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { schemaSql } from '../../src/db/migrate.ts';
import { serve, workloadDevnet } from '../../src/indexer/indexer.testkit.ts';
import { runIndexers } from '../../src/indexer/run.ts';
import { HISTORY_TABLES, multiplyHistory } from './multiply.ts';

/** Bump when the generated data changes shape (invalidates cached databases). */
const GENERATION = 1;
const DB_NAME = 'bench_api';
const FINGERPRINT_KEY = 'bench_api_fingerprint';
/** Server settings of the embedded bench cluster (a modestly tuned deployment on this machine). */
const SERVER_SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  // planning time per statement too: a prepared statement re-planned on every execution shows here
  'pg_stat_statements.track_planning': 'on',
  shared_buffers: '512MB',
  max_connections: '200',
};

export interface PrepareOptions {
  root: string;
  seed: number;
  users: number;
  blocks: number;
  minRows: number;
  whaleRows: number;
  /** Rebuild even when the cached database matches. */
  rebuild?: boolean;
  log: (line: string) => void;
}

export interface BenchData {
  url: string;
  /** Where the server runs: 'embedded <dir>' or 'DATABASE_URL'. */
  where: string;
  cached: boolean;
  prepareSecs: number;
  historyRows: Record<string, number>;
  totalHistoryRows: number;
  /** Stakers with a vault position (the account view's addresses), sorted. */
  stakers: string[];
  whale: { address: string; rows: Record<string, number> };
  /** Postmaster pid when embedded (for CPU accounting of its backends). */
  postmasterPid?: number;
  pgStatStatements: boolean;
  stop(): Promise<void>;
}

const withDb = (base: string, name: string): string => {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Starts the embedded bench cluster with SERVER_SETTINGS (set once with ALTER SYSTEM, then a restart). */
async function startBenchCluster(dataDir: string, log: (l: string) => void): Promise<EmbeddedPostgres> {
  let server = await startEmbeddedPostgres({ dataDir, persistent: true, fast: true });
  const missing = await withClient(server.url, async (c) => {
    const out: string[] = [];
    for (const [k, v] of Object.entries(SERVER_SETTINGS)) {
      // an extension's setting is unknown until its library is loaded (after the first restart)
      const have = await c.query<Record<string, string>>(`SHOW ${k}`).then((r) => Object.values(r.rows[0]!)[0], () => undefined);
      if (have !== v) {
        const set = await c.query(`ALTER SYSTEM SET ${k} = '${v}'`).then(() => true, () => false);
        if (set) out.push(`${k}=${v}`);
      }
    }
    return out;
  });
  if (missing.length > 0) {
    log(`bench cluster: ${missing.join(', ')} (restarting)`);
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir, persistent: true, fast: true });
  }
  return server;
}

function fingerprint(o: PrepareOptions): string {
  return JSON.stringify({ generation: GENERATION, schema: schemaSql().version, seed: o.seed, users: o.users, blocks: o.blocks, minRows: o.minRows, whaleRows: o.whaleRows });
}

async function cachedFingerprint(url: string): Promise<string | undefined> {
  try {
    return await withClient(url, async (c) => (await c.query<{ value: string }>(`SELECT value FROM meta WHERE key = $1`, [FINGERPRINT_KEY])).rows[0]?.value);
  } catch {
    return undefined; // no database, no meta table
  }
}

async function build(serverUrl: string, url: string, o: PrepareOptions): Promise<void> {
  const { log } = o;
  await withClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${DB_NAME}`);
  });
  let t = performance.now();
  const workload = workloadDevnet({ seed: o.seed, users: o.users, blocks: o.blocks });
  log(`  devnet workload: ${o.users} users, ${workload.chains.map((c) => `${c.id} ${c.height} blocks`).join(', ')} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const served = await serve(workload.chains);
  try {
    t = performance.now();
    const stats = await runIndexers({ project: served.project, databaseUrl: url, until: 'tip' });
    log(`  indexed: ${stats.map((s) => `${s.blocks} blocks, ${s.events} events`).join('; ')} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    await served.close();
  }
  await withClient(url, async (c) => {
    t = performance.now();
    const m = await multiplyHistory(c, { minRows: o.minRows, whaleRows: o.whaleRows }, log);
    log(`  multiplied: ${m.copies} copies of every history row (+${m.whaleCopies} of ${m.whale}'s), heights shifted by ${m.span}·k, in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await c.query('VACUUM (ANALYZE)');
    log(`  VACUUM ANALYZE in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await c.query(`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, [FINGERPRINT_KEY, fingerprint(o)]);
  });
}

export async function prepareBenchData(o: PrepareOptions): Promise<BenchData> {
  const t0 = performance.now();
  const external = process.env.DATABASE_URL?.trim();
  const dataDir = join(o.root, '.data', 'bench-api');
  const server = external ? undefined : await startBenchCluster(dataDir, o.log);
  const serverUrl = external ?? server!.url;
  const url = withDb(serverUrl, DB_NAME);
  try {
    const cached = !o.rebuild && (await cachedFingerprint(url)) === fingerprint(o);
    if (!cached) {
      o.log(`building the bench database (seed ${o.seed}, ${o.users} users, ${o.blocks} blocks, ≥ ${o.minRows.toLocaleString('en-US')} history rows):`);
      await build(serverUrl, url, o);
    }
    const info = await withClient(url, async (c) => {
      const historyRows: Record<string, number> = {};
      for (const t of HISTORY_TABLES) historyRows[t] = Number((await c.query<{ n: string }>(`SELECT count(*) n FROM ${t}`)).rows[0]!.n);
      const stakers = (await c.query<{ staker: string }>(`SELECT DISTINCT staker FROM vault_positions ORDER BY staker`)).rows.map((r) => r.staker);
      const whale = (await c.query<{ staker: string }>(`SELECT staker FROM delegation_events GROUP BY staker ORDER BY count(*) DESC, staker LIMIT 1`)).rows[0]!.staker;
      const whaleRows: Record<string, number> = {};
      for (const t of ['delegation_events', 'lien_events', 'reward_events'])
        whaleRows[t] = Number((await c.query<{ n: string }>(`SELECT count(*) n FROM ${t} WHERE staker = $1`, [whale])).rows[0]!.n);
      let pgStatStatements = false;
      try {
        await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        await c.query('SELECT pg_stat_statements_reset()');
        pgStatStatements = true;
      } catch {
        // not preloaded on an external server: per-query PG times are then not reported
      }
      return { historyRows, stakers, whale: { address: whale, rows: whaleRows }, pgStatStatements };
    });
    let postmasterPid: number | undefined;
    if (server) {
      postmasterPid = Number(readFileSync(join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    }
    return {
      url,
      where: external ? 'DATABASE_URL' : `embedded PostgreSQL, data ${server!.dataDir}`,
      cached,
      prepareSecs: (performance.now() - t0) / 1000,
      ...info,
      totalHistoryRows: Object.values(info.historyRows).reduce((a, b) => a + b, 0),
      postmasterPid,
      stop: async () => void (await server?.stop()),
    };
  } catch (err) {
    await server?.stop();
    throw err;
  }
}
