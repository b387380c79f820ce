// Histories as Relay connections (issue 5): lien, delegation, reward and slash history, each as a
// Query field with filters and as a field of Account (scoped to its address and chains). Newest first
// unless order: ASC — by height, then the order of events within the block; heights of different
// chains do not compare, so a history over several chains interleaves them by height only.
// first/after/last/before as in pagination.ts (≤ 100 per page); totalCount is a COUNT run only when
// asked. The nodes are built in SQL reads (history-keyset.ts), so they need no resolvers.
import type { ApiContext } from '../context.ts';
import type { ApiModule } from '../schema/module.ts';
import type { AccountParent } from './account.ts';
import type { AccountScope } from './history-filter.ts';
import { delegationHistory, delegationHistoryTypeDefs } from './history-delegations.ts';
import { type HistoryArgs, lienHistory, lienHistoryTypeDefs } from './history-liens.ts';
import { rewardHistory, rewardHistoryTypeDefs } from './history-rewards.ts';
import { slashHistory, slashHistoryTypeDefs } from './history-slashes.ts';

const PAGE_ARGS = 'order: OrderDirection = DESC, first: Int, after: String, last: Int, before: String';

export const historyTypeDefs = /* GraphQL */ `
  ${lienHistoryTypeDefs}
  ${delegationHistoryTypeDefs}
  ${rewardHistoryTypeDefs}
  ${slashHistoryTypeDefs}

  extend type Query {
    "Lien events: collateral and every lien change of the vaults (spec §4.2–4.3)."
    lienHistory(filter: LienHistoryFilter, ${PAGE_ARGS}): LienEventConnection!
    "Cross and local delegation changes (stake, unstake, burn, slash, internal unstake, channel close)."
    delegationHistory(filter: DelegationHistoryFilter, ${PAGE_ARGS}): DelegationEventConnection!
    "Reward distributions and withdrawals."
    rewardHistory(filter: RewardHistoryFilter, ${PAGE_ARGS}): RewardEventConnection!
    "Stakers' shares of slashes."
    slashHistory(filter: SlashHistoryFilter, ${PAGE_ARGS}): StakerSlashConnection!
  }

  extend type Account {
    "This account's lien events (filter.address may be left out)."
    lienHistory(filter: LienHistoryFilter, ${PAGE_ARGS}): LienEventConnection!
    delegationHistory(filter: DelegationHistoryFilter, ${PAGE_ARGS}): DelegationEventConnection!
    "This account's withdrawals (distributions have no staker: query them by validator)."
    rewardHistory(filter: RewardHistoryFilter, ${PAGE_ARGS}): RewardEventConnection!
    slashHistory(filter: SlashHistoryFilter, ${PAGE_ARGS}): StakerSlashConnection!
  }
`;

const scopeOf = (a: AccountParent): AccountScope => ({ address: a.address, chainIds: a.chains.map((c) => c.chainId) });

type Args = HistoryArgs<any>;

export const historyModule: ApiModule = {
  name: 'history',
  typeDefs: historyTypeDefs,
  resolvers: {
    Query: {
      lienHistory: (_: unknown, args: Args, ctx: ApiContext) => lienHistory(ctx, args),
      delegationHistory: (_: unknown, args: Args, ctx: ApiContext) => delegationHistory(ctx, args),
      rewardHistory: (_: unknown, args: Args, ctx: ApiContext) => rewardHistory(ctx, args),
      slashHistory: (_: unknown, args: Args, ctx: ApiContext) => slashHistory(ctx, args),
    },
    Account: {
      lienHistory: (a: AccountParent, args: Args, ctx: ApiContext) => lienHistory(ctx, args, scopeOf(a)),
      delegationHistory: (a: AccountParent, args: Args, ctx: ApiContext) => delegationHistory(ctx, args, scopeOf(a)),
      rewardHistory: (a: AccountParent, args: Args, ctx: ApiContext) => rewardHistory(ctx, args, scopeOf(a)),
      slashHistory: (a: AccountParent, args: Args, ctx: ApiContext) => slashHistory(ctx, args, scopeOf(a)),
    },
  },
};
