// Lien history: the vault's lien_events (collateral bonds/unbonds and every lien change, spec §4.2–4.3)
// as a connection, newest first (height, then the order within the block) unless order: ASC.
import type { ApiContext } from '../context.ts';
import type { PageArgs } from '../pagination.ts';
import { readPage } from '../pagination.ts';
import { parseAddress } from '../validate.ts';
import { blockPosition } from './block-position.ts';
import { type AccountScope, baseConditions, byChainIndex, enumFilter, type HistoryFilterInput, pairingSide, requireAnchor, resolveFilter } from './history-filter.ts';
import { type Direction, emptyPage, eventKey, historyPage, keyShape, Params, type EventPlace } from './history-keyset.ts';

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

export interface LienEventNode extends EventPlace {
  id: string;
  chainId: string;
  vault: string;
  staker: string;
  lienholder: string;
  kind: string;
  amount: string;
  amountAfter: { low: string; high: string };
  collateralAfter: string;
}

const KEY = eventKey('e', blockPosition);

export async function lienHistory(ctx: ApiContext, args: HistoryArgs<LienHistoryFilterInput>, scope?: AccountScope) {
  const f = args.filter;
  const page = readPage(args, keyShape(KEY));
  requireAnchor(scope !== undefined || f?.address != null || f?.lienholder != null || f?.pairing != null, 'address, lien holder or pairing');
  const lienholder = f?.lienholder != null ? parseAddress(f.lienholder, 'filter.lienholder') : null;
  const kinds = enumFilter(f?.kind, LIEN_EVENT_KINDS);
  const r0 = await resolveFilter(ctx, f, scope);
  // (chain_id, staker, height) / (chain_id, validator, height): one ordered branch per chain
  const { filter: r, partition } = r0.staker !== null ? await byChainIndex(ctx, r0) : { filter: r0, partition: undefined };
  const q = new Params();
  const side = r.pairing ? pairingSide('e', r, r.pairing.providerChainId, 'lienholder', r.pairing.externalStaking, q) : undefined;
  if (r.empty || side === null || (lienholder !== null && r.pairing && lienholder !== r.pairing.externalStaking) || kinds?.length === 0) return emptyPage<LienEventNode>(page);
  const conditions = [
    ...baseConditions('e', r, q),
    ...(side ? [side] : []),
    ...(lienholder !== null ? [`e.lienholder = ${q.p(lienholder)}`] : []),
    ...(kinds ? [`e.kind = ANY(${q.p(kinds)}::text[])`] : []),
  ];
  return historyPage<LienEventNode>({
    sql: ctx.sql,
    page,
    order: args.order ?? 'DESC',
    from: 'lien_events e',
    columns: `e.id, e.chain_id, e.vault, e.staker, e.lienholder, e.kind, e.amount::text, e.amount_low_after::text, e.amount_high_after::text,
      e.collateral_after::text, e.tx_id::text, e.height, e.time, e.tx_hash, e.msg_index, e.event_index`,
    key: KEY,
    conditions,
    params: q,
    partition,
    toNode: (x) => ({
      id: x.id,
      chainId: x.chain_id,
      vault: x.vault,
      staker: x.staker,
      lienholder: x.lienholder,
      kind: String(x.kind).toUpperCase(),
      amount: x.amount,
      amountAfter: { low: x.amount_low_after, high: x.amount_high_after },
      collateralAfter: x.collateral_after,
      txId: x.tx_id,
      height: x.height,
      time: (x.time as Date).toISOString(),
      txHash: x.tx_hash,
      msgIndex: x.msg_index,
      eventIndex: x.event_index,
    }),
  });
}
