// Per-request DataLoaders of the explorer and network modules (slash.ts, packet.ts, flow.ts,
// network.ts, validators.ts): entity reads by key through Prisma, one query per kind per tick.
import type { Burn, IbcPacket, Pairing, Price, MaxCap, PrismaClient, Slash, SlashShare } from '@prisma/client';
import DataLoader from 'dataloader';

export interface ExplorerLoaders {
  packetById: DataLoader<string, IbcPacket | null>;
  /** A packet's payload as the stored JSON text (exact u64s; Prisma's Json would round them). */
  packetPayloadText: DataLoader<string, string | null>;
  slashById: DataLoader<string, Slash | null>;
  pairingById: DataLoader<string, Pairing | null>;
  sharesBySlash: DataLoader<string, SlashShare[]>;
  /** Burns the vault wrote for a slash (its propagation, provider chain). */
  burnsBySlash: DataLoader<string, Burn[]>;
  /** Burns applied on receipt of a packet (the converter's stage, consumer chain). */
  burnsByPacket: DataLoader<string, Burn[]>;
  /** Latest price of a price feed, by `${chainId}/${priceFeed}`. */
  latestPrice: DataLoader<string, Price | null>;
  /** Latest max cap of a virtual-staking contract, by `${chainId}/${contract}`. */
  latestMaxCap: DataLoader<string, MaxCap | null>;
}

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (r: V) => K): Array<V | null> {
  const m = new Map(rows.map((r) => [keyOf(r), r] as const));
  return keys.map((k) => m.get(k) ?? null);
}

function groupBy<V>(keys: readonly string[], rows: V[], keyOf: (r: V) => string | null): V[][] {
  const m = new Map<string, V[]>();
  for (const r of rows) {
    const k = keyOf(r);
    if (k === null) continue;
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(r);
  }
  return keys.map((k) => m.get(k) ?? []);
}

const split2 = (k: string): [string, string] => {
  const i = k.indexOf('/');
  return [k.slice(0, i), k.slice(i + 1)];
};

export function createExplorerLoaders(prisma: PrismaClient): ExplorerLoaders {
  return {
    packetById: new DataLoader(async (ids) => byKey(ids, await prisma.ibcPacket.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id)),
    packetPayloadText: new DataLoader(async (ids) => {
      const rows = await prisma.$queryRaw<Array<{ id: string; payload: string | null }>>`SELECT id, payload::text AS payload FROM ibc_packets WHERE id = ANY(${[...ids]})`;
      const m = new Map(rows.map((r) => [r.id, r.payload] as const));
      return ids.map((id) => m.get(id) ?? null);
    }),
    slashById: new DataLoader(async (ids) => byKey(ids, await prisma.slash.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id)),
    pairingById: new DataLoader(async (ids) => byKey(ids, await prisma.pairing.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id)),
    sharesBySlash: new DataLoader(async (ids) => groupBy(ids, await prisma.slashShare.findMany({ where: { slashId: { in: [...ids] } }, orderBy: [{ staker: 'asc' }] }), (r) => r.slashId)),
    burnsBySlash: new DataLoader(async (ids) => groupBy(ids, await prisma.burn.findMany({ where: { slashId: { in: [...ids] } }, orderBy: [{ height: 'asc' }, { id: 'asc' }] }), (r) => r.slashId)),
    burnsByPacket: new DataLoader(async (ids) => groupBy(ids, await prisma.burn.findMany({ where: { packetId: { in: [...ids] } }, orderBy: [{ height: 'asc' }, { id: 'asc' }] }), (r) => r.packetId)),
    latestPrice: new DataLoader(async (keys) =>
      Promise.all(
        keys.map((k) => {
          const [chainId, priceFeed] = split2(k);
          return prisma.price.findFirst({ where: { chainId, priceFeed }, orderBy: [{ height: 'desc' }, { id: 'desc' }] });
        }),
      ),
    ),
    latestMaxCap: new DataLoader(async (keys) =>
      Promise.all(
        keys.map((k) => {
          const [chainId, contract] = split2(k);
          return prisma.maxCap.findFirst({ where: { chainId, contract }, orderBy: [{ height: 'desc' }, { id: 'desc' }] });
        }),
      ),
    ),
  };
}
