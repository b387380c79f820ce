// Test helpers for the API platform: a fresh migrated database (no indexing: tests insert the rows
// they need) with the API server on 127.0.0.1 over it, and small HTTP helpers.
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { type GqlResult, gqlRequest } from '../api.testkit.ts';
import { type ApiServer, type ApiServerOptions, startApiServer } from '../server.ts';

export interface PlatformHarness {
  api: ApiServer;
  /** Admin pool on the database (inserting rows, NOTIFY, checking). */
  pool: pg.Pool;
  db: TestDatabase;
  /** Lines the server logged. */
  logs: string[];
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

/** A fresh migrated database, prepared by `setup` (as admin) before the server starts. */
export async function freshDb(): Promise<{ db: TestDatabase; pool: pg.Pool; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const pool = db.pool(4);
  await migrate(pool);
  return { db, pool, close: async () => (await pool.end(), await db.drop()) };
}

export async function platformApi(opts: Partial<ApiServerOptions> = {}, setup?: (pool: pg.Pool) => Promise<void>): Promise<PlatformHarness> {
  const { db, pool, close: closeDb } = await freshDb();
  const logs: string[] = [];
  try {
    await setup?.(pool);
    const api = await startApiServer({ databaseUrl: db.url, port: 0, log: (l) => logs.push(l), ...opts });
    return {
      api,
      pool,
      db,
      logs,
      gql: (query, variables) => gqlRequest(api.graphqlUrl, query, variables),
      close: async () => {
        await api.close();
        await closeDb();
      },
    };
  } catch (err) {
    await closeDb();
    throw err;
  }
}

/** A raw HTTP request; the body parsed as JSON when it is JSON. */
export async function http(url: string, init: RequestInit = {}): Promise<{ status: number; type: string; text: string; json: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  let json: unknown = undefined;
  if (type.includes('json')) json = JSON.parse(text);
  return { status: res.status, type, text, json };
}

/** Inserts a `chains` row as the indexer would. */
export async function insertChain(pool: pg.Pool, chainId: string, indexed: number, tip: number | null): Promise<void> {
  await pool.query(
    `INSERT INTO chains (chain_id, bech32_prefix, indexed_height, tip_height, updated_at) VALUES ($1, 'osmo', $2, $3, now())
     ON CONFLICT (chain_id) DO UPDATE SET indexed_height = EXCLUDED.indexed_height, tip_height = EXCLUDED.tip_height, updated_at = now()`,
    [chainId, indexed, tip],
  );
}
