// Test helpers for the explorer and network tests: a spec vector scenario indexed with the API over
// it, and lookups in the devnet chains' own blocks (heights, tx hashes as CometBFT renders them) to
// assert against — never the API's or the indexer's output.
import type { Chain } from '../devnet/chain/chain.ts';
import type { Event } from '../devnet/chain/types.ts';
import { BlockStore } from '../devnet/node/block-store.ts';
import { type IndexedScenario, indexedScenario } from '../indexer/scenario.testkit.ts';
import { type GqlResult, gqlRequest } from './api.testkit.ts';
import { type ApiServer, startApiServer } from './server.ts';

export interface ScenarioApi {
  s: IndexedScenario;
  api: ApiServer;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

/** Runs `scenarios/vectors/<file>`, indexes every chain to its tip and starts the API over the database. */
export async function apiOverScenario(file: string): Promise<ScenarioApi> {
  const s = await indexedScenario(file);
  try {
    await s.index('tip');
    const api = await startApiServer({ databaseUrl: s.pool.options.connectionString!, port: 0 });
    return { s, api, gql: (q, v) => gqlRequest(api.graphqlUrl, q, v), close: async () => (await api.close(), await s.close()) };
  } catch (e) {
    await s.close();
    throw e;
  }
}

export const attrOf = (e: Event, key: string): string | undefined => e.attributes.find((a) => a.key === key)?.value;

export interface ChainTx {
  height: number;
  hash: string;
  time: Date;
  events: Event[];
}

/** Every successful tx of a chain as its node renders it (hash = sha256 of the tx bytes, upper-case hex). */
export function chainTxs(chain: Chain): ChainTx[] {
  const store = new BlockStore(chain);
  const out: ChainTx[] = [];
  for (let h = store.base; h > 0n && h <= store.height; h++) {
    const b = store.at(h)!;
    for (const t of b.txs) if (t.code === 0) out.push({ height: Number(h), hash: t.hash, time: new Date(Number(b.time / 1_000_000n)), events: t.events });
  }
  return out;
}

/** Heights of the blocks whose begin/end events satisfy `pred`. */
export function blockEventHeights(chain: Chain, pred: (e: Event) => boolean): number[] {
  return chain.blocks.filter((b) => [...b.beginEvents, ...b.endEvents].some(pred)).map((b) => Number(b.height));
}

export const isWasm = (action: string) => (e: Event) => e.type === 'wasm' && attrOf(e, 'action') === action;
