// Reward history: reward_events as a connection — distributions credited per validator on the
// provider and the consumer's side of them, and a staker's withdrawals with their outcome (spec §2.6,
// §4.6). The address filter matches the staker of a withdrawal (reward_events (staker, height));
// distributions are per validator and have no staker: filter them by validator or pairing.
import type { ApiContext } from '../context.ts';
import { readPage } from '../pagination.ts';
import { blockPosition } from './block-position.ts';
import { type AccountScope, baseConditions, byChainIndex, enumFilter, type HistoryFilterInput, pairingSide, requireAnchor, resolveFilter } from './history-filter.ts';
import { emptyPage, eventKey, historyPage, keyShape, Params, type EventPlace } from './history-keyset.ts';
import type { HistoryArgs } from './history-liens.ts';

export const REWARD_EVENT_KINDS = ['distribution', 'withdrawal', 'withdrawal_committed', 'withdrawal_rolled_back', 'consumer_distribution', 'consumer_payout'] as const;

export const rewardHistoryTypeDefs = /* GraphQL */ `
  enum RewardEventKind {
    "provider: rewards credited to a validator's stakers (wasm-distribute_rewards)"
    DISTRIBUTION
    "provider: a staker's withdraw_rewards, in flight"
    WITHDRAWAL
    "provider: the withdrawal's success acknowledgement (withdrawn amount committed)"
    WITHDRAWAL_COMMITTED
    "provider: the withdrawal failed or timed out; the amount stays claimable"
    WITHDRAWAL_ROLLED_BACK
    "consumer: rewards the converter reported for a validator"
    CONSUMER_DISTRIBUTION
    "consumer: the converter paid a withdrawal's recipient"
    CONSUMER_PAYOUT
  }

  "Needs an address or validator (the indexed ones); the rest narrow it."
  input RewardHistoryFilter {
    "The staker of a withdrawal, on every chain whose bech32 prefix it carries."
    address: String
    chain: String
    validator: String
    "Both sides of the pairing: its external staking (provider) and converter (consumer)."
    pairing: String
    kind: [RewardEventKind!]
    height: HeightRange
    time: TimeRange
  }

  type RewardEvent {
    id: ID!
    chainId: String!
    contract: String!
    kind: RewardEventKind!
    validator: String
    staker: String
    "Consumer address a withdrawal pays."
    recipient: String
    amount: String!
    denom: String
    txId: String
    height: Int!
    time: String!
    txHash: String
    msgIndex: Int
    eventIndex: Int
  }

  type RewardEventEdge {
    cursor: String!
    node: RewardEvent!
  }

  type RewardEventConnection {
    edges: [RewardEventEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`;

export interface RewardHistoryFilterInput extends HistoryFilterInput {
  kind?: string[] | null;
}

export interface RewardEventNode extends EventPlace {
  id: string;
  chainId: string;
  contract: string;
  kind: string;
  validator: string | null;
  staker: string | null;
  recipient: string | null;
  amount: string;
  denom: string | null;
}

const KEY = eventKey('e', blockPosition);

export async function rewardHistory(ctx: ApiContext, args: HistoryArgs<RewardHistoryFilterInput>, scope?: AccountScope) {
  const f = args.filter;
  const page = readPage(args, keyShape(KEY));
  requireAnchor(scope !== undefined || f?.address != null || f?.validator != null, 'address or validator');
  const kinds = enumFilter(f?.kind, REWARD_EVENT_KINDS);
  const r0 = await resolveFilter(ctx, f, scope);
  // (chain_id, staker, height) / (chain_id, validator, height): one ordered branch per chain
  const { filter: r, partition } = r0.staker === null && r0.validator !== null ? await byChainIndex(ctx, r0) : { filter: r0, partition: undefined };
  const q = new Params();
  let sides: string[] | null = null;
  if (r.pairing) {
    const p = r.pairing;
    sides = [pairingSide('e', r, p.providerChainId, 'contract', p.externalStaking, q), pairingSide('e', r, p.consumerChainId, 'contract', p.converter, q)].filter((w) => w !== null);
  }
  if (r.empty || sides?.length === 0 || kinds?.length === 0) return emptyPage<RewardEventNode>(page);
  const conditions = [
    ...baseConditions('e', r, q),
    ...(sides ? [`(${sides.join(' OR ')})`] : []),
    ...(r.validator !== null ? [`e.validator = ${q.p(r.validator)}`] : []),
    ...(kinds ? [`e.kind = ANY(${q.p(kinds)}::text[])`] : []),
  ];
  return historyPage<RewardEventNode>({
    sql: ctx.sql,
    page,
    order: args.order ?? 'DESC',
    from: 'reward_events e',
    columns: 'e.id, e.chain_id, e.contract, e.kind, e.validator, e.staker, e.recipient, e.amount::text, e.denom, e.tx_id::text, e.height, e.time, e.tx_hash, e.msg_index, e.event_index',
    key: KEY,
    conditions,
    params: q,
    partition,
    toNode: (x) => ({
      id: x.id,
      chainId: x.chain_id,
      contract: x.contract,
      kind: String(x.kind).toUpperCase(),
      validator: x.validator,
      staker: x.staker,
      recipient: x.recipient,
      amount: x.amount,
      denom: x.denom,
      txId: x.tx_id,
      height: x.height,
      time: (x.time as Date).toISOString(),
      txHash: x.tx_hash,
      msgIndex: x.msg_index,
      eventIndex: x.event_index,
    }),
  });
}
