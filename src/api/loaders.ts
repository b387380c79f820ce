// Per-request DataLoaders: many resolvers asking for the same kind of row in one tick become one
// Prisma query. Modules add their loaders here, keyed by what they batch.
import { fromBech32 } from '@cosmjs/encoding';
import type { PrismaClient } from '@prisma/client';
import DataLoader from 'dataloader';
import { createExplorerLoaders, type ExplorerLoaders } from './modules/explorer-loaders.ts';
import type pg from 'pg';
import { type ChainSnapshot, loadSnapshot } from './modules/account-snapshot.ts';
import { MAX_ADDRESS_LENGTH } from './validate.ts';

export interface Loaders {
  /** Contract kind by `${chainId}/${address}`; null for an address the indexer does not know. */
  contractKind: DataLoader<string, string | null>;
  /** Staker view: an address's positions on each chain of its prefix (one SQL statement each). */
  accountSnapshots: DataLoader<string, ChainSnapshot[]>;
  /** The indexed chains with their bech32 prefixes (key: 'all'). */
  indexedChains: DataLoader<'all', Array<{ chainId: string; bech32Prefix: string }>>;
  /** Explorer and network modules (slash, packet, flow, network, validators). */
  explorer: ExplorerLoaders;
}

export function createLoaders(prisma: PrismaClient, sql: pg.Pool): Loaders {
  return {
    // one statement per address (a request asks for one or two), run side by side
    accountSnapshots: new DataLoader((addresses) => Promise.all(addresses.map((a) => loadSnapshot(sql, a, fromBech32(a, MAX_ADDRESS_LENGTH).prefix)))),
    indexedChains: new DataLoader(async (keys) => {
      const { rows } = await sql.query('SELECT chain_id AS "chainId", bech32_prefix AS "bech32Prefix" FROM chains ORDER BY chain_id');
      return keys.map(() => rows as Array<{ chainId: string; bech32Prefix: string }>);
    }),
    contractKind: new DataLoader(async (keys) => {
      const pairs = keys.map((k) => k.split('/') as [string, string]);
      const rows = await prisma.contract.findMany({
        where: { OR: pairs.map(([chainId, address]) => ({ chainId, address })) },
        select: { chainId: true, address: true, kind: true },
      });
      const byKey = new Map(rows.map((r) => [`${r.chainId}/${r.address}`, r.kind]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
    explorer: createExplorerLoaders(prisma),
  };
}
