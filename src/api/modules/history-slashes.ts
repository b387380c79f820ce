// Slash history: the slashes a staker took, one node per (slash, staker) share as the vault applied it
// (slash_shares, spec §4.3.3) with the slash it belongs to. Ordered by the provider height the vault
// applied it at, then slash id and staker. `slash(id)` (the explorer) has the whole cascade.
import type { Slash, SlashShare } from '@prisma/client';
import type { ApiContext } from '../context.ts';
import { readPage } from '../pagination.ts';
import { type AccountScope, chainWhere, type HistoryFilterInput, rangeWhere, resolveFilter } from './history-filter.ts';
import { emptyPage, type HistoryKey, historyPage } from './history-keyset.ts';
import type { HistoryArgs } from './history-liens.ts';

export const slashHistoryTypeDefs = /* GraphQL */ `
  enum SlashKind {
    "A provider validator, slashed on the provider (spec §4.3.1)."
    NATIVE
    "A consumer validator, slashed on the consumer and reported to the provider (spec §4.3.2)."
    CROSS
  }

  enum SlashPropagation {
    "The staker's free collateral covered the slash."
    NONE
    "Case A of spec §4.3.3: liens above the new collateral are clamped and burned."
    LIENS_ADJUSTMENT
    "Case B of spec §4.3.3: every lien is cut by the same amount and burned."
    TOTAL_SLASHABLE_ADJUSTMENT
  }

  input SlashHistoryFilter {
    "The slashed staker, on every chain whose bech32 prefix it carries."
    address: String
    "The provider chain where the vault applied the slash."
    chain: String
    "The slashed validator."
    validator: String
    pairing: String
    kind: SlashKind
    "Provider height where the vault applied it."
    height: HeightRange
    "Provider time where the vault applied it."
    time: TimeRange
  }

  "One staker's share of a slash."
  type StakerSlash {
    "The slash (see slash(id) for its cascade)."
    slashId: String!
    "Null only when the slash row is missing (a share the vault applied without its slash being indexed)."
    kind: SlashKind
    validator: String
    "Chain where the validator was slashed (the consumer for a cross slash)."
    slashChainId: String!
    pairingId: String
    ratio: String
    tombstoned: Boolean!
    "Provider chain and vault where it was applied."
    chainId: String!
    vault: String!
    staker: String!
    "What the vault took from this staker's collateral."
    amount: String!
    propagation: SlashPropagation!
    collateralAfter: String!
    height: Int!
    time: String
    txHash: String
  }

  type StakerSlashEdge {
    cursor: String!
    node: StakerSlash!
  }

  type StakerSlashConnection {
    edges: [StakerSlashEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`;

export interface SlashHistoryFilterInput extends HistoryFilterInput {
  kind?: 'NATIVE' | 'CROSS' | null;
}

interface StakerSlashRow {
  share: SlashShare;
  slash: Slash | null;
}

const KEY: HistoryKey<SlashShare> = { fields: ['height', 'slashId', 'staker'], shape: ['number', 'string', 'string'], of: (r) => [r.height, r.slashId, r.staker] };

/** Slash ids matching the slash-level filters (validator, kind, pairing, time); null when none is set. */
async function slashIds(ctx: ApiContext, w: Record<string, unknown>): Promise<string[] | null> {
  if (Object.keys(w).length === 0) return null;
  return (await ctx.prisma.slash.findMany({ where: w, select: { id: true } })).map((s) => s.id);
}

export async function slashHistory(ctx: ApiContext, args: HistoryArgs<SlashHistoryFilterInput>, scope?: AccountScope) {
  const page = readPage(args, KEY.shape);
  const f = args.filter;
  const r = await resolveFilter(ctx, f, scope);
  if (r.empty) return emptyPage<StakerSlashRow>(page);
  const time = rangeWhere('time', r.time);
  const slashWhere: Record<string, unknown> = {
    ...(r.validator !== null ? { validator: r.validator } : {}),
    ...(f?.kind != null ? { kind: f.kind.toLowerCase() } : {}),
    ...(r.pairing ? { pairingId: r.pairing.id } : {}),
    ...('time' in time ? { OR: [{ providerTime: time.time }, { providerTime: null, time: time.time }] } : {}),
  };
  const ids = await slashIds(ctx, slashWhere);
  if (ids?.length === 0) return emptyPage<StakerSlashRow>(page);
  const where = {
    ...(r.staker !== null ? { staker: r.staker } : {}),
    ...chainWhere(r.chainIds),
    ...rangeWhere('height', r.height),
    ...(ids ? { slashId: { in: ids } } : {}),
  };
  const shares = await historyPage({
    page,
    order: args.order ?? 'DESC',
    key: KEY,
    where,
    findMany: (a) => ctx.prisma.slashShare.findMany(a),
    count: (a) => ctx.prisma.slashShare.count(a),
  });
  const slashes = new Map((await ctx.prisma.slash.findMany({ where: { id: { in: [...new Set(shares.edges.map((e) => e.node.slashId))] } } })).map((s) => [s.id, s]));
  return { ...shares, edges: shares.edges.map((e) => ({ cursor: e.cursor, node: { share: e.node, slash: slashes.get(e.node.slashId) ?? null } })) };
}

export const stakerSlashResolvers = {
  StakerSlash: {
    slashId: (x: StakerSlashRow) => x.share.slashId,
    kind: (x: StakerSlashRow) => x.slash?.kind.toUpperCase() ?? null,
    validator: (x: StakerSlashRow) => x.slash?.validator ?? null,
    slashChainId: (x: StakerSlashRow) => x.slash?.chainId ?? x.share.chainId,
    pairingId: (x: StakerSlashRow) => x.slash?.pairingId ?? null,
    ratio: (x: StakerSlashRow) => x.slash?.ratio?.toFixed(18) ?? null,
    tombstoned: (x: StakerSlashRow) => x.slash?.tombstoned ?? false,
    chainId: (x: StakerSlashRow) => x.share.chainId,
    vault: (x: StakerSlashRow) => x.share.vault,
    staker: (x: StakerSlashRow) => x.share.staker,
    amount: (x: StakerSlashRow) => x.share.amount.toFixed(0),
    propagation: (x: StakerSlashRow) => x.share.propagation.toUpperCase(),
    collateralAfter: (x: StakerSlashRow) => x.share.collateralAfter.toFixed(0),
    height: (x: StakerSlashRow) => x.share.height,
    time: (x: StakerSlashRow) => (x.slash?.providerTime ?? x.slash?.time)?.toISOString() ?? null,
    txHash: (x: StakerSlashRow) => x.slash?.providerTxHash ?? x.slash?.txHash ?? null,
  },
};
