// Test kit for the rollups, views and docs tests: a seeded devnet workload that spans several hours and
// a UTC midnight (30 s blocks from 23:00), with validator jailings and a tombstone so there are native
// and cross slashes, error acks and timeouts; served over RPC and indexed by the real indexer.
import type { TestContext } from 'node:test';
import type pg from 'pg';
import type { TestDatabase } from './database.ts';
import { Workload } from '../devnet/workload/run.ts';
import { defaultTopology } from '../devnet/workload/topologies.ts';
import { DEFAULT_GENESIS_TIME } from '../devnet/world.ts';
import { serve, testDb, type Served } from '../indexer/indexer.testkit.ts';
import { runIndexers } from '../indexer/run.ts';

const NS_PER_S = 1_000_000_000n;

export function analyticsWorkload(opts: { blocks?: number; seed?: number } = {}): Workload {
  const w = new Workload({
    topology: defaultTopology({ users: 16, validators: 3, blockTimeSec: 30n, genesisTime: DEFAULT_GENESIS_TIME - 3600n * NS_PER_S }),
    seed: opts.seed ?? 11,
    blocks: opts.blocks ?? 300,
    invariants: false,
    generator: { events: { jailPerBlock: 1 / 60, tombstoneMinBlocks: 200 } },
  });
  w.runFast();
  return w;
}

export interface IndexedDevnet {
  workload: Workload;
  served: Served;
  db: TestDatabase;
  pool: pg.Pool;
}

/** The workload served and indexed to its tip into a fresh database; everything closes after the test. */
export async function indexedDevnet(t: TestContext, opts: { blocks?: number; seed?: number } = {}): Promise<IndexedDevnet> {
  const workload = analyticsWorkload(opts);
  const served = await serve(workload.chains);
  t.after(() => served.close());
  const { db, pool, close } = await testDb();
  t.after(close);
  await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' });
  return { workload, served, db, pool };
}
