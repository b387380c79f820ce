// Lien history: the vault's lien_events (collateral bonds/unbonds and every lien change, spec §4.2–4.3)
// as a connection, newest first by (height, id) unless order: ASC.
import type { LienEvent } from '@prisma/client';
import type { ApiContext } from '../context.ts';
import type { PageArgs } from '../pagination.ts';
import { readPage } from '../pagination.ts';
import { parseAddress } from '../validate.ts';
import { type AccountScope, baseWhere, enumFilter, type HistoryFilterInput, pairingSide, requireAnchor, resolveFilter } from './history-filter.ts';
import { type Direction, emptyPage, type HistoryKey, historyPage } from './history-keyset.ts';

export const LIEN_EVENT_KINDS = ['bond', 'unbond', 'stake_local', 'stake_remote', 'commit', 'rollback', 'release', 'slash', 'propagation'] as const;

export const lienHistoryTypeDefs = /* GraphQL */ `
  "What a lien event did (schema.graphql LienEvent.kind)."
  enum LienEventKind {
    "collateral bonded (lienholder = the vault)"
    BOND
    "collateral unbonded (lienholder = the vault)"
    UNBOND
    "lien to native staking"
    STAKE_LOCAL
    "lien to an external staker, pending until its acknowledgement"
    STAKE_REMOTE
    "the pending stake_remote committed"
    COMMIT
    "the pending stake_remote rolled back"
    ROLLBACK
    "the lien holder released stake (unstake matured)"
    RELEASE
    "slashed by this lien holder (spec §4.3.3)"
    SLASH
    "burned from this lien by a slash's propagation (spec §4.3.3 cases A/B)"
    PROPAGATION
  }

  "Needs an address, lienholder or pairing (the indexed ones); the rest narrow it."
  input LienHistoryFilter {
    "A staker, on every chain whose bech32 prefix it carries."
    address: String
    chain: String
    lienholder: String
    "The pairing's external staking contract as lien holder."
    pairing: String
    kind: [LienEventKind!]
    height: HeightRange
    time: TimeRange
  }

  type LienEvent {
    id: ID!
    chainId: String!
    vault: String!
    staker: String!
    lienholder: String!
    kind: LienEventKind!
    amount: String!
    "The lien's range after the event."
    amountAfter: AmountRange!
    collateralAfter: String!
    "Vault tx id of a stake_remote / commit / rollback."
    txId: String
    height: Int!
    time: String!
    txHash: String
    msgIndex: Int
    eventIndex: Int
  }

  type LienEventEdge {
    cursor: String!
    node: LienEvent!
  }

  type LienEventConnection {
    edges: [LienEventEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`;

export interface HistoryArgs<F> extends PageArgs {
  filter?: F | null;
  order?: Direction | null;
}

export interface LienHistoryFilterInput extends HistoryFilterInput {
  lienholder?: string | null;
  kind?: string[] | null;
}

const KEY: HistoryKey<LienEvent> = { fields: ['height', 'id'], shape: ['number', 'string'], of: (r) => [r.height, r.id] };

export async function lienHistory(ctx: ApiContext, args: HistoryArgs<LienHistoryFilterInput>, scope?: AccountScope) {
  const page = readPage(args, KEY.shape);
  const f = args.filter;
  const r = await resolveFilter(ctx, f, scope);
  const lienholder = f?.lienholder != null ? parseAddress(f.lienholder, 'filter.lienholder') : null;
  const kinds = enumFilter(f?.kind, LIEN_EVENT_KINDS);
  requireAnchor(r.staker !== null || lienholder !== null || f?.pairing != null, 'address, lien holder or pairing');
  const side = r.pairing ? pairingSide(r, r.pairing.providerChainId, 'lienholder', r.pairing.externalStaking) : {};
  if (r.empty || side === null || (lienholder !== null && r.pairing && lienholder !== r.pairing.externalStaking) || kinds?.length === 0) return emptyPage<LienEvent>(page);
  const where = { ...baseWhere(r), ...side, ...(lienholder !== null ? { lienholder } : {}), ...(kinds ? { kind: { in: kinds } } : {}) };
  return historyPage({
    page,
    order: args.order ?? 'DESC',
    key: KEY,
    where,
    findMany: (a) => ctx.prisma.lienEvent.findMany(a),
    count: (a) => ctx.prisma.lienEvent.count(a),
  });
}

export const lienEventResolvers = {
  LienEvent: {
    kind: (e: LienEvent) => e.kind.toUpperCase(),
    amount: (e: LienEvent) => e.amount.toFixed(0),
    amountAfter: (e: LienEvent) => ({ low: e.amountLowAfter.toFixed(0), high: e.amountHighAfter.toFixed(0) }),
    collateralAfter: (e: LienEvent) => e.collateralAfter.toFixed(0),
    txId: (e: LienEvent) => e.txId?.toFixed(0) ?? null,
    time: (e: LienEvent) => e.time.toISOString(),
  },
};
