// Per-request DataLoaders: many resolvers asking for the same kind of row in one tick become one
// Prisma query. Modules add their loaders here, keyed by what they batch.
import type { PrismaClient } from '@prisma/client';
import DataLoader from 'dataloader';
import { createExplorerLoaders, type ExplorerLoaders } from './modules/explorer-loaders.ts';

export interface Loaders {
  /** Contract kind by `${chainId}/${address}`; null for an address the indexer does not know. */
  contractKind: DataLoader<string, string | null>;
  /** Explorer and network modules (slash, packet, flow, network, validators). */
  explorer: ExplorerLoaders;
}

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
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
