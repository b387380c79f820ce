// Reward history: reward_events as a connection — distributions credited per validator on the
// provider and the consumer's side of them, and a staker's withdrawals with their outcome (spec §2.6,
// §4.6). The address filter matches the staker of a withdrawal (reward_events (staker, height));
// distributions are per validator and have no staker: filter them by validator or pairing.
import type { RewardEvent } from '@prisma/client';
import type { ApiContext } from '../context.ts';
import { readPage } from '../pagination.ts';
import { type AccountScope, baseWhere, enumFilter, type HistoryFilterInput, pairingSide, requireAnchor, resolveFilter } from './history-filter.ts';
import { emptyPage, type HistoryKey, historyPage } from './history-keyset.ts';
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

const KEY: HistoryKey<RewardEvent> = { fields: ['height', 'id'], shape: ['number', 'string'], of: (r) => [r.height, r.id] };

export async function rewardHistory(ctx: ApiContext, args: HistoryArgs<RewardHistoryFilterInput>, scope?: AccountScope) {
  const page = readPage(args, KEY.shape);
  const f = args.filter;
  const r = await resolveFilter(ctx, f, scope);
  const kinds = enumFilter(f?.kind, REWARD_EVENT_KINDS);
  requireAnchor(r.staker !== null || r.validator !== null, 'address or validator');
  let sides: Array<Record<string, unknown>> | null = null;
  if (r.pairing) {
    const p = r.pairing;
    sides = [pairingSide(r, p.providerChainId, 'contract', p.externalStaking), pairingSide(r, p.consumerChainId, 'contract', p.converter)].filter((w) => w !== null);
  }
  if (r.empty || sides?.length === 0 || kinds?.length === 0) return emptyPage<RewardEvent>(page);
  const where = {
    ...baseWhere(r),
    ...(sides ? (sides.length === 1 ? sides[0] : { OR: sides }) : {}),
    ...(r.validator !== null ? { validator: r.validator } : {}),
    ...(kinds ? { kind: { in: kinds } } : {}),
  };
  return historyPage({
    page,
    order: args.order ?? 'DESC',
    key: KEY,
    where,
    findMany: (a) => ctx.prisma.rewardEvent.findMany(a),
    count: (a) => ctx.prisma.rewardEvent.count(a),
  });
}

export const rewardEventResolvers = {
  RewardEvent: {
    kind: (e: RewardEvent) => e.kind.toUpperCase(),
    amount: (e: RewardEvent) => e.amount.toFixed(0),
    txId: (e: RewardEvent) => e.txId?.toFixed(0) ?? null,
    time: (e: RewardEvent) => e.time.toISOString(),
  },
};
