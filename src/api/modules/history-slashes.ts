// Slash history: the slashes a staker took, one node per (slash, staker) share as the vault applied it
// (slash_shares, spec §4.3.3) with the slash it belongs to. Ordered by the provider height the vault
// applied it at, then slash id and staker. `slash(id)` (the explorer) has the whole cascade.
import type { ApiContext } from '../context.ts';
import { readPage } from '../pagination.ts';
import { type AccountScope, chainCondition, type HistoryFilterInput, rangeCondition, resolveFilter } from './history-filter.ts';
import { emptyPage, historyPage, type KeyColumn, keyShape, Params } from './history-keyset.ts';
import type { HistoryArgs } from './history-liens.ts';

export const slashHistoryTypeDefs = /* GraphQL */ `
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

export interface StakerSlashNode {
  slashId: string;
  kind: string | null;
  validator: string | null;
  slashChainId: string;
  pairingId: string | null;
  ratio: string | null;
  tombstoned: boolean;
  chainId: string;
  vault: string;
  staker: string;
  amount: string;
  propagation: string;
  collateralAfter: string;
  height: number;
  time: string | null;
  txHash: string | null;
}

const KEY: KeyColumn[] = [
  { expr: 's.height', type: 'int' },
  { expr: 's.slash_id', type: 'text' },
  { expr: 's.staker', type: 'text' },
];

export async function slashHistory(ctx: ApiContext, args: HistoryArgs<SlashHistoryFilterInput>, scope?: AccountScope) {
  const f = args.filter;
  const page = readPage(args, keyShape(KEY));
  const r = await resolveFilter(ctx, f, scope);
  if (r.empty) return emptyPage<StakerSlashNode>(page);
  const q = new Params();
  // slash_shares has (staker) and the small slashes table its primary key; the slash's own filters
  // (validator, kind, pairing, time) apply to the joined row
  const conditions = [
    ...(r.staker !== null ? [`s.staker = ${q.p(r.staker)}`] : []),
    ...chainCondition('s', r.chainIds, q),
    ...rangeCondition('s.height', r.height, q),
    ...(r.validator !== null ? [`x.validator = ${q.p(r.validator)}`] : []),
    ...(f?.kind != null ? [`x.kind = ${q.p(f.kind.toLowerCase())}`] : []),
    ...(r.pairing ? [`x.pairing_id = ${q.p(r.pairing.id)}`] : []),
    ...rangeCondition('coalesce(x.provider_time, x.time)', r.time, q),
  ];
  return historyPage<StakerSlashNode>({
    sql: ctx.sql,
    page,
    order: args.order ?? 'DESC',
    from: 'slash_shares s LEFT JOIN slashes x ON x.id = s.slash_id',
    columns: `s.slash_id, x.kind, x.validator, coalesce(x.chain_id, s.chain_id) AS slash_chain_id, x.pairing_id, x.ratio::text, coalesce(x.tombstoned, false) AS tombstoned,
      s.chain_id, s.vault, s.staker, s.amount::text, s.propagation, s.collateral_after::text, s.height, coalesce(x.provider_time, x.time) AS time,
      coalesce(x.provider_tx_hash, x.tx_hash) AS tx_hash`,
    key: KEY,
    conditions,
    params: q,
    toNode: (x) => ({
      slashId: x.slash_id,
      kind: x.kind === null ? null : String(x.kind).toUpperCase(),
      validator: x.validator,
      slashChainId: x.slash_chain_id,
      pairingId: x.pairing_id,
      ratio: x.ratio,
      tombstoned: x.tombstoned,
      chainId: x.chain_id,
      vault: x.vault,
      staker: x.staker,
      amount: x.amount,
      propagation: String(x.propagation).toUpperCase(),
      collateralAfter: x.collateral_after,
      height: x.height,
      time: x.time === null ? null : (x.time as Date).toISOString(),
      txHash: x.tx_hash,
    }),
  });
}
