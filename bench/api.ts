// `npm run bench -- api`: the GraphQL API under load, against issue 5's targets.
//   data: a seeded devnet workload indexed with the real indexer, its history tables multiplied with
//         SQL to ≥ 1M rows (bench/api/prepare.ts, cached under .data/bench-api between runs);
//   load: the API server (startApiServer) in a child process; 32 closed-loop keep-alive clients in
//         this process; per scenario a warm-up then a fixed window; p50/p90/p99/max latency, req/s,
//         errors (non-200 or any GraphQL error fails the bench);
//   scenarios: the staker view `account(address)` round robin over every staker with a position,
//         a delegation history first page, a filtered lien history page after a cursor (+ totalCount),
//         both on the staker with the most history rows (≥ 10k);
//   why: per scenario the CPU of server / PostgreSQL / this client / everything else, PostgreSQL's
//         statements per request and execution time (pg_stat_statements), and afterwards a V8 CPU
//         profile of the server under the account load (self time per package and function).
// Targets missed print FAIL and the exit code stays 0 (like a slow machine, it is a finding); errors
// exit 1. Options: --duration S (10), --warmup S (2), --concurrency N (32), --seed S, --users N (200),
// --blocks N (500), --rows N (1,000,000), --rebuild, --profile S (5; 0 = no profile), --profile-dir DIR
// (keep the .cpuprofile files), --only NAME (scenarios whose name starts with it), --node-env V (the
// server's NODE_ENV, default production as deployed; '' leaves it unset: graphql-js's slower dev checks).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuBetween, type CpuUse, loadAverage, sampleCpu } from './api/cpu.ts';
import { graphqlFailure, type LoadResult, runLoad } from './api/load.ts';
import { readPgStats, resetPgStats, type PgStats } from './api/pg-stats.ts';
import { type BenchData, prepareBenchData } from './api/prepare.ts';
import { summarizeProfile } from './api/profile.ts';
import { buildSchema } from '../src/api/schema/build.ts';
import { ACCOUNT_QUERY, body, DELEGATION_PAGE_QUERY, LIEN_PAGE_QUERY, unselectedFields } from './api/queries.ts';
import { startServerProcess, type ServerProcess } from './api/server-process.ts';

export const TARGETS = {
  /** account view at 32 clients */
  accountP99Ms: 15,
  accountRps: 2_000,
  concurrency: 32,
  /** history rows in the database */
  historyRows: 1_000_000,
  /** history rows of the address the history pages read */
  whaleRows: 10_000,
} as const;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const num = (args: string[], name: string, dflt: number): number => {
  const v = arg(args, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} wants a non-negative number, got ${JSON.stringify(v)}`);
  return n;
};
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');

interface Scenario {
  name: string;
  what: string;
  bodies: Buffer[];
  /** CPU-profile the server under this load after the measurements (every scenario with --only). */
  profile?: boolean;
  /** Run against the server with the response cache on. */
  cached?: boolean;
}

interface Measured {
  load: LoadResult;
  cpu: CpuUse;
  pg?: PgStats;
}

async function gql<T>(url: string, b: Buffer): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
  const text = await res.text();
  const failure = graphqlFailure(res.status, text);
  if (failure) throw new Error(failure);
  return (JSON.parse(text) as { data: T }).data;
}

/** Cursors spread over the whale's filtered lien history (pages of 100 walked through the API). */
async function lienCursors(url: string, address: string, pages: number): Promise<{ cursors: string[]; total: number }> {
  const cursors: string[] = [];
  let after: string | null = null;
  let total = 0;
  for (let i = 0; i < pages; i++) {
    type Page = { lienHistory: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const d: Page = await gql<Page>(url, body(LIEN_PAGE_QUERY, { address, after, first: 100 }));
    total = d.lienHistory.totalCount;
    if (!d.lienHistory.pageInfo.hasNextPage || !d.lienHistory.pageInfo.endCursor) break;
    after = d.lienHistory.pageInfo.endCursor;
    cursors.push(after);
  }
  return { cursors, total };
}

async function measure(s: Scenario, server: ServerProcess, data: BenchData, pool: pg.Pool, o: { concurrency: number; warmupMs: number; durationMs: number }): Promise<Measured> {
  let before = sampleCpu(server.pid, data.postmasterPid);
  // reset the statement counters and take the CPU baseline when the warm-up ends
  const baseline = new Promise<void>((resolve) =>
    setTimeout(() => {
      void (data.pgStatStatements ? resetPgStats(pool) : Promise.resolve()).finally(() => {
        before = sampleCpu(server.pid, data.postmasterPid);
        resolve();
      });
    }, o.warmupMs),
  );
  const load = await runLoad({ url: server.graphqlUrl, concurrency: o.concurrency, warmupMs: o.warmupMs, durationMs: o.durationMs, bodies: s.bodies });
  await baseline;
  const cpu = cpuBetween(before, sampleCpu(server.pid, data.postmasterPid));
  const pgStats = data.pgStatStatements ? await readPgStats(pool) : undefined;
  return { load, cpu, pg: pgStats };
}

function report(s: Scenario, m: Measured, concurrency: number): void {
  const l = m.load;
  console.log(`\n${s.name}: ${s.what}`);
  console.log(
    `  ${fmt(l.requests)} requests in ${fmt(l.seconds, 1)} s at ${concurrency} clients: ${fmt(l.rps)} req/s; latency mean ${fmt(l.latencyMs.mean, 2)} ms, p50 ${fmt(l.latencyMs.p50, 2)} ms, p90 ${fmt(l.latencyMs.p90, 2)} ms, ` +
      `p99 ${fmt(l.latencyMs.p99, 2)} ms, max ${fmt(l.latencyMs.max, 1)} ms; ${fmt(l.bytes)} B per answer; ${l.errors} errors`,
  );
  for (const e of l.errorSamples) console.log(`    error: ${e}`);
  const c = m.cpu;
  console.log(
    `  CPU (cores of 2): API server ${fmt(c.server, 2)}, PostgreSQL ${fmt(c.postgres, 2)}, load generator ${fmt(c.client, 2)}, other processes ${fmt(c.other, 2)} (machine ${fmt(c.machineBusy * 100)}% busy); ` +
      `server ${fmt((c.server * 1000) / l.rps, 3)} ms CPU/request, PostgreSQL ${fmt((c.postgres * 1000) / l.rps, 3)} ms CPU/request`,
  );
  // What this CPU cost per request allows on an otherwise idle machine: one Node process uses one
  // core; the server, PostgreSQL and the load generator share the machine's cores.
  const serverMs = (c.server * 1000) / l.rps;
  const allMs = ((c.server + (Number.isNaN(c.postgres) ? 0 : c.postgres) + c.client) * 1000) / l.rps;
  const cores = loadAverage().cores;
  console.log(
    `  ceiling at this CPU cost: ${fmt(1000 / serverMs)} req/s for one server process (1 core), ${fmt((cores * 1000) / allMs)} req/s for server + PostgreSQL + load generator on ${cores} cores`,
  );
  if (m.pg && l.requests > 0) {
    const pgAll = m.pg.execMs + m.pg.planMs;
    console.log(
      `  PostgreSQL: ${fmt(m.pg.calls / l.requests, 2)} statements/request, ${fmt(m.pg.planMs / l.requests, 3)} ms planning + ${fmt(m.pg.execMs / l.requests, 3)} ms execution per request (pg_stat_statements); by time:`,
    );
    for (const t of m.pg.top.slice(0, 4))
      console.log(
        `    ${fmt(((t.totalMs + t.planMs) / Math.max(pgAll, 1e-9)) * 100)}% ${fmt(t.calls)} calls, plan ${fmt(t.planMs / Math.max(1, t.calls), 3)} ms + exec ${fmt(t.meanMs, 3)} ms each, ${fmt(t.rows / Math.max(1, t.calls), 1)} rows: ` +
          `${t.query.slice(0, 130)}${t.query.length > 130 ? '…' : ''}`,
      );
  }
}

/** Profiles the running server (V8 sampler via the inspector) while scenario `s` runs for `seconds`. */
async function profile(s: Scenario, server: ServerProcess, data: BenchData, seconds: number, concurrency: number, keepDir: string | undefined): Promise<number> {
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'bench-api-prof-'));
  const file = join(dir, `${s.name.replace(/\W+/g, '-')}.cpuprofile`);
  try {
    await server.profileStart();
    const before = sampleCpu(server.pid, data.postmasterPid);
    let load: LoadResult;
    try {
      load = await runLoad({ url: server.graphqlUrl, concurrency, warmupMs: 0, durationMs: seconds * 1000, bodies: s.bodies });
    } finally {
      await server.profileStop(file);
    }
    const cpu = cpuBetween(before, sampleCpu(server.pid, data.postmasterPid));
    const p = summarizeProfile(file);
    const pct = (x: number) => `${fmt(x * 100, 1)}%`;
    console.log(
      `\nCPU profile of the API server, ${s.name} at ${concurrency} clients for ${seconds} s: ${fmt(load.rps)} req/s under the profiler, ` +
        `server ${fmt(cpu.server, 2)} cores = ${fmt((cpu.server * 1000) / load.rps, 3)} ms CPU/request; ${fmt(p.busy)} busy samples of ${fmt(p.samples)}`,
    );
    console.log(`  self time by owner: ${p.byOwner.map(([k, x]) => `${k} ${pct(x)}`).join(', ')}`);
    console.log('  hottest functions (self time):');
    for (const [k, x] of p.byFunction.slice(0, 10)) console.log(`    ${pct(x)} ${k}`);
    if (load.errors) console.log(`  (${load.errors} errors during the profile run)`);
    return load.errors;
  } finally {
    if (keepDir) console.log(`  profile kept in ${file} (open it in Chrome DevTools → Performance)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<boolean> {
  const o = {
    concurrency: num(args, 'concurrency', TARGETS.concurrency),
    warmupMs: num(args, 'warmup', 2) * 1000,
    durationMs: num(args, 'duration', 10) * 1000,
  };
  const profileSecs = num(args, 'profile', 5);
  const only = arg(args, 'only');
  const profileDir = arg(args, 'profile-dir');
  const nodeEnv = arg(args, 'node-env') ?? 'production';
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const { load1, cores } = loadAverage();
  console.log(`api bench (node ${process.version}, ${cores} cores, load average ${fmt(load1, 2)} at start)`);

  const data = await prepareBenchData({
    root,
    seed: num(args, 'seed', 1),
    users: num(args, 'users', 200),
    blocks: num(args, 'blocks', 500),
    minRows: num(args, 'rows', TARGETS.historyRows),
    whaleRows: Math.ceil(TARGETS.whaleRows * 1.2),
    rebuild: args.includes('--rebuild'),
    log: (l) => console.log(l),
  });
  const pool = new pg.Pool({ connectionString: data.url, max: 2 });
  pool.on('error', () => {});
  let server: ServerProcess | undefined;
  let cached: ServerProcess | undefined;
  let errors = 0;
  try {
    console.log(`\ndatabase: ${data.where}; ${data.cached ? 'cached, ready' : 'built'} in ${fmt(data.prepareSecs, 1)} s`);
    console.log(`  history rows: ${fmt(data.totalHistoryRows)} (${Object.entries(data.historyRows).map(([t, n]) => `${t} ${fmt(n)}`).join(', ')})`);
    console.log(`  ${fmt(data.stakers.length)} stakers with a vault position; busiest ${data.whale.address}: ${Object.entries(data.whale.rows).map(([t, n]) => `${t} ${fmt(n)}`).join(', ')}`);
    const dataOk = data.totalHistoryRows >= TARGETS.historyRows && data.whale.rows.delegation_events! >= TARGETS.whaleRows;
    console.log(`  ${verdict(dataOk)} ≥ ${fmt(TARGETS.historyRows)} history rows, ≥ ${fmt(TARGETS.whaleRows)} for the history pages' address`);
    if (!data.pgStatStatements) console.log('  (pg_stat_statements unavailable on this server: no per-statement figures)');

    server = await startServerProcess({ root, databaseUrl: data.url, nodeEnv, responseCache: false });
    console.log(`\nAPI server: child process ${server.pid}, ${server.graphqlUrl}, NODE_ENV=${nodeEnv || '(unset)'}, response cache off`);
    cached = await startServerProcess({ root, databaseUrl: data.url, nodeEnv, responseCache: true });
    console.log(`API server: child process ${cached.pid}, ${cached.graphqlUrl}, NODE_ENV=${nodeEnv || '(unset)'}, response cache on (the default; valid until the indexer's next commit)`);

    // Every staker once: the account query is valid and answers a non-null account for each.
    const t = performance.now();
    let nulls = 0;
    for (const address of data.stakers) {
      const d = await gql<{ account: unknown }>(server.graphqlUrl, body(ACCOUNT_QUERY, { address }));
      if (d.account === null) nulls++;
    }
    console.log(`  account query checked on all ${data.stakers.length} stakers one by one in ${fmt((performance.now() - t) / 1000, 1)} s: ${nulls} null`);
    if (nulls > 0) throw new Error(`account(address) is null for ${nulls} stakers that have a vault position`);
    // the server's own schema, built in this process (a production server answers no introspection)
    const missing = unselectedFields(buildSchema(), ACCOUNT_QUERY);
    console.log(`  staker view fields the account query leaves out: ${missing.length ? missing.join(', ') : 'none'}`);
    const { cursors, total } = await lienCursors(server.graphqlUrl, data.whale.address, 60);

    const scenarios: Scenario[] = [
      {
        name: 'account view',
        what: `the full staker view account(address), round robin over ${data.stakers.length} stakers, response cache on (the server's default: between two indexer commits an answer is sent again)`,
        bodies: data.stakers.map((address) => body(ACCOUNT_QUERY, { address })),
        cached: true,
      },
      {
        name: 'account view uncached',
        what: `the same through Apollo, the resolvers and PostgreSQL on every request (response cache off: the cost right after a commit)`,
        bodies: data.stakers.map((address) => body(ACCOUNT_QUERY, { address })),
        profile: true,
      },
      {
        name: 'floor',
        what: '`{ apiVersion }`: no database, one field — what HTTP, Express and Apollo cost per request',
        bodies: [body('{ apiVersion }', {})],
      },
      {
        name: 'delegation history',
        what: `delegationHistory(filter: {address}, first: 20), newest first, on ${data.whale.address} (${fmt(data.whale.rows.delegation_events!)} rows)`,
        bodies: [body(DELEGATION_PAGE_QUERY, { address: data.whale.address })],
        profile: true,
      },
      {
        name: 'lien history',
        what: `lienHistory(filter: {address, kind: [STAKE_REMOTE, COMMIT, ROLLBACK]}, first: 20, after: cursor) + totalCount (${fmt(total)}), ${cursors.length} cursors 100 rows apart`,
        bodies: cursors.map((after) => body(LIEN_PAGE_QUERY, { address: data.whale.address, after, first: 20 })),
      },
    ].filter((s) => !only || s.name.startsWith(only));

    const results = new Map<string, Measured>();
    for (const s of scenarios) {
      const m = await measure(s, s.cached ? cached : server, data, pool, o);
      results.set(s.name, m);
      errors += m.load.errors;
      report(s, m, o.concurrency);
    }
    if (profileSecs > 0) for (const sc of scenarios.filter((x) => x.profile || only)) errors += await profile(sc, (sc.cached ? cached : server)!, data, profileSecs, o.concurrency, profileDir);
    await server.stop();
    server = undefined;
    await cached.stop();
    cached = undefined;

    const account = results.get('account view');

    console.log(`\nload average ${fmt(loadAverage().load1, 2)} at the end (other helpers' tests share this machine: figures are noisy)`);
    if (account) {
      const l = account.load;
      console.log(`${verdict(l.latencyMs.p99 <= TARGETS.accountP99Ms)} account view p99 ≤ ${TARGETS.accountP99Ms} ms at ${o.concurrency} clients: ${fmt(l.latencyMs.p99, 2)} ms`);
      console.log(`${verdict(l.rps >= TARGETS.accountRps)} account view ≥ ${fmt(TARGETS.accountRps)} req/s at ${o.concurrency} clients: ${fmt(l.rps)} req/s`);
      // closed loop: every client waits for its answer, so mean latency = clients / throughput
      console.log(
        `  (${o.concurrency} closed-loop clients: mean latency = ${o.concurrency} / throughput (Little's law), so p99 ≤ ${TARGETS.accountP99Ms} ms needs more than ` +
          `${fmt((o.concurrency * 1000) / TARGETS.accountP99Ms)} req/s; measured ${fmt(l.rps)} req/s × ${fmt(l.latencyMs.mean / 1000, 4)} s = ${fmt(l.rps * (l.latencyMs.mean / 1000), 1)} in flight)`,
      );
    }
    const uncached = results.get('account view uncached');
    if (uncached) console.log(`(no target) account view without the response cache: p99 ${fmt(uncached.load.latencyMs.p99, 2)} ms, ${fmt(uncached.load.rps)} req/s`);
    for (const [name, m] of results) if (name !== 'account view' && name !== 'account view uncached') console.log(`(no target) ${name}: p99 ${fmt(m.load.latencyMs.p99, 2)} ms, ${fmt(m.load.rps)} req/s`);
    console.log(`${verdict(errors === 0)} no errors: ${errors}`);
  } finally {
    await server?.stop();
    await cached?.stop();
    await pool.end();
    await data.stop();
  }
  return errors === 0;
}
