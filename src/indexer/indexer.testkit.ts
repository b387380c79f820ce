// Test helpers for the indexer core: a seeded workload devnet served over RPC on 127.0.0.1, a project
// pointing at it (the devnet's code ids), and DB snapshots (per-table content hashes).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../db/database.ts';
import type { Chain } from '../devnet/chain/chain.ts';
import { BlockStore } from '../devnet/node/block-store.ts';
import type { FaultConfig } from '../devnet/rpc/faults.ts';
import { type RpcServer, startRpcServer } from '../devnet/rpc/server.ts';
import { Workload } from '../devnet/workload/run.ts';
import { defaultTopology } from '../devnet/workload/topologies.ts';
import { parseProject, type Project } from './config/project.ts';
import { tableHashes } from './store/hash.ts';

/** Only wall-clock columns differ between two runs over the same chain data. */
export const WALL_CLOCK = { chains: ['updated_at', 'tip_height', 'tip_time'], meta: ['updated_at'] } as const;

const CODE_IDS = `{ vault: 1, native_staking: 2, native_staking_proxy: 3, external_staking: 4, converter: 5, virtual_staking: 6, price_feed: 7 }`;

export function workloadDevnet(opts: { seed?: number; blocks?: number; users?: number } = {}): Workload {
  const w = new Workload({ topology: defaultTopology({ users: opts.users ?? 16, validators: 3 }), seed: opts.seed ?? 11, blocks: opts.blocks ?? 300, invariants: false });
  w.runFast();
  return w;
}

export function projectYaml(chains: Array<{ chain: Chain; urls: string[] }>): string {
  return [
    'name: test',
    'chains:',
    ...chains.flatMap(({ chain, urls }) => [`  - id: ${chain.id}`, `    bech32_prefix: ${chain.params.prefix}`, `    rpc: [${urls.join(', ')}]`, `    code_ids: ${CODE_IDS}`]),
  ].join('\n');
}

export interface Served {
  servers: RpcServer[];
  project: Project;
  /** project.yaml on disk (for the CLI). */
  projectFile: string;
  close(): Promise<void>;
}

export async function serve(chains: readonly Chain[], faults?: FaultConfig): Promise<Served> {
  const servers = await Promise.all(chains.map((c) => startRpcServer(new BlockStore(c), { faults })));
  const yaml = projectYaml(chains.map((chain, i) => ({ chain, urls: [servers[i]!.url] })));
  const projectFile = join(mkdtempSync(join(tmpdir(), 'mesh-ix-')), 'project.yaml');
  writeFileSync(projectFile, yaml);
  return { servers, project: parseProject(yaml), projectFile, close: async () => void (await Promise.all(servers.map((s) => s.close()))) };
}

export async function testDb(): Promise<{ db: TestDatabase; pool: pg.Pool; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const pool = db.pool(8);
  return { db, pool, close: async () => (await pool.end(), await db.drop()) };
}

export const hashes = (pool: pg.Pool) => tableHashes(pool, { exclude: WALL_CLOCK });
