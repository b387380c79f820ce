// Test helpers for the API: a seeded devnet workload indexed into a fresh database, the API server
// on 127.0.0.1 over it, and a small GraphQL client.
import pg from 'pg';
import type { Chain } from '../devnet/chain/chain.ts';
import { serve, testDb, workloadDevnet } from '../indexer/indexer.testkit.ts';
import { runIndexers } from '../indexer/run.ts';
import { type ApiServer, type ApiServerOptions, startApiServer } from './server.ts';

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [k: string]: unknown } }>;
}

export interface ApiHarness {
  api: ApiServer;
  /** Pool on the indexed database (for asserting against SQL). */
  pool: pg.Pool;
  databaseUrl: string;
  chains: Chain[];
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

export async function gqlRequest<T>(graphqlUrl: string, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
  return { status: res.status, ...body };
}

/** Indexes `chains` (already produced) into a fresh database and starts the API over it. */
export async function apiOverChains(chains: Chain[], opts: Partial<ApiServerOptions> = {}): Promise<ApiHarness> {
  const served = await serve(chains);
  const { db, pool, close: closeDb } = await testDb();
  try {
    await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' });
  } finally {
    await served.close();
  }
  const api = await startApiServer({ databaseUrl: db.url, port: 0, ...opts });
  return {
    api,
    pool,
    databaseUrl: db.url,
    chains,
    gql: (query, variables) => gqlRequest(api.graphqlUrl, query, variables),
    close: async () => {
      await api.close();
      await closeDb();
    },
  };
}

/** A seeded workload devnet (two chains providing to each other), indexed, with the API over it. */
export async function apiOverWorkload(opts: { seed?: number; blocks?: number; users?: number } = {}, server: Partial<ApiServerOptions> = {}): Promise<ApiHarness> {
  return apiOverChains(workloadDevnet(opts).chains, server);
}
