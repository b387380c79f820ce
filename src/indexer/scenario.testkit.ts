// Test helpers for indexing a scenario file into PostgreSQL: the scenario runs on the devnet chains,
// the chains are served over the devnet RPC server, and the real indexer (runIndexers) writes them
// into a fresh database. A test may index each chain only up to its height before a given step, read
// the tables as they were then, and index on (the indexer resumes from its cursor).
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { Chain } from '../devnet/chain/chain.ts';
import { type Devnet, deploy } from '../devnet/deploy.ts';
import { ACTIONS, type ActionCtx } from '../devnet/scenario/actions.ts';
import { parseDeployment } from '../devnet/scenario/config.ts';
import { Names } from '../devnet/scenario/resolve.ts';
import { type Step, loadScenarioFile, runScenario } from '../devnet/scenario/runner.ts';
import { type Served, serve, testDb } from './indexer.testkit.ts';
import { runIndexers } from './run.ts';

const VECTORS = new URL('../../scenarios/vectors/', import.meta.url);

/** Picks a step (its index); indexing "until" it stops at each chain's height just before that step ran. */
export type StepMatch = (steps: readonly Step[]) => number;
/** The `nth` step (1-based) running `action`. */
export const before =
  (action: string, nth = 1): StepMatch =>
  (steps) =>
    steps.map((s, i) => (s.action === action ? i : -1)).filter((i) => i >= 0)[nth - 1] ?? -1;

export interface IndexedScenario {
  devnet: Devnet;
  pool: pg.Pool;
  served: Served;
  /** Indexes every chain up to its height just before the matched step, or to the tip. */
  index(until: StepMatch | 'tip'): Promise<void>;
  chain(id: string): Chain;
  /** Resolves a scenario reference ("@alice", "@val1", "@vault") on a chain. */
  ref(chainId: string, name: string): string;
  rows<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Rows as a test reads them: addresses become the scenario's names ("alice", "val1", "vault",
   * "proxy:alice"), integer strings (numeric columns) become bigints.
   */
  table(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** Address → scenario name, for every account, validator and contract the scenario declares. */
function namesOf(devnet: Devnet, names: Names): Map<string, string> {
  const m = new Map<string, string>();
  for (const cfg of devnet.config.chains) {
    const chain = devnet.world.chain(cfg.id);
    for (const a of cfg.accounts) m.set(chain.addr(a.name), a.name);
    for (const v of cfg.validators) m.set(chain.valoper(v.name), v.name);
    for (const a of cfg.accounts) {
      let proxy: string | undefined;
      try {
        proxy = names.proxy(chain, chain.addr(a.name));
      } catch {} // no proxy (yet)
      if (proxy) m.set(proxy, `proxy:${a.name}`);
    }
  }
  for (const p of devnet.providers.values()) m.set(p.vault, 'vault').set(p.nativeStaking, 'native_staking');
  for (const p of devnet.pairings.values()) {
    m.set(p.externalStaking, 'external_staking').set(p.converter, 'converter').set(p.virtualStaking, 'virtual_staking').set(p.priceFeed, 'price_feed');
  }
  return m;
}

function readable(v: unknown, names: Map<string, string>): unknown {
  if (typeof v === 'string') return names.get(v) ?? (/^-?\d+$/.test(v) ? BigInt(v) : v);
  if (Array.isArray(v)) return v.map((x) => readable(x, names));
  return v;
}

const heightsOf = (devnet: Devnet) => new Map([...devnet.world.chains.values()].map((c) => [c.id, Number(c.height)] as const));

/**
 * Runs `scenarios/vectors/<file>` step by step, noting every chain's height before each step, serves
 * its chains and opens a fresh database. The same file also goes through the scenario runner: every
 * step must pass there, and its chains must end in the same blocks (the devnet is deterministic).
 */
export async function indexedScenario(file: string): Promise<IndexedScenario> {
  const scenario = loadScenarioFile(new URL(file, VECTORS).pathname);
  const report = runScenario(scenario);
  const failed = report.results.filter((r) => !r.ok).map((r) => `${r.step.label}: ${r.message}`);
  assert.deepEqual(failed, [], `${file}: every scenario step passes`);

  const devnet = deploy(parseDeployment(scenario.doc));
  const ctx: ActionCtx = { devnet, names: new Names(devnet) };
  const heightsBefore: Array<Map<string, number>> = [];
  for (const step of scenario.steps) {
    heightsBefore.push(heightsOf(devnet));
    if (step.action !== 'query') ACTIONS[step.action]!.run(ctx, step.args); // queries change nothing
  }
  for (const chain of devnet.world.chains.values()) {
    assert.ok(isDeepStrictEqual(chain.blocks, report.devnet.world.chain(chain.id).blocks), `${file}: ${chain.id} has the same blocks as the runner's run`);
  }

  const served = await serve([...devnet.world.chains.values()]);
  const { db, pool, close } = await testDb().catch(async (e) => (await served.close(), Promise.reject(e)));
  return {
    devnet,
    pool,
    served,
    async index(until) {
      if (until === 'tip') {
        await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' });
        return;
      }
      const at = until(scenario.steps);
      assert.ok(at >= 0, `${file}: no such step`);
      await Promise.all([...heightsBefore[at]!].map(([id, h]) => runIndexers({ project: served.project, databaseUrl: db.url, chains: [id], until: h })));
    },
    chain: (id) => devnet.world.chain(id),
    ref: (chainId, name) => String(ctx.names.resolveJson(devnet.world.chain(chainId), name)),
    rows: async (sql, params) => (await pool.query(sql, params)).rows,
    table: async (sql, params) => {
      const named = namesOf(devnet, ctx.names);
      return (await pool.query(sql, params)).rows.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, readable(v, named)])));
    },
    close: async () => (await close(), await served.close()),
  };
}
