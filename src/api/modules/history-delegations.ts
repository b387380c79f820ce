// Delegation history: delegation_events as a connection. The table stores cross kinds (stake, unstake,
// burn, slash, internal_unstake, channel_close — external staking, spec §1.4/§2.5) and local ones
// (local_stake, local_unstake, local_burn, local_slash — native staking proxies, spec §1.3/§4.3.1);
// the API shows one kind enum and a side (CROSS | LOCAL), so "every burn" is one filter.
import type { DelegationEvent } from '@prisma/client';
import type { ApiContext } from '../context.ts';
import { readPage } from '../pagination.ts';
import { type AccountScope, baseWhere, type HistoryFilterInput, pairingSide, requireAnchor, resolveFilter } from './history-filter.ts';
import { emptyPage, type HistoryKey, historyPage } from './history-keyset.ts';
import type { HistoryArgs } from './history-liens.ts';

/** Stored kind → [API kind, side]. */
export const DELEGATION_KINDS: Record<string, readonly [string, 'CROSS' | 'LOCAL']> = {
  stake: ['STAKE', 'CROSS'],
  unstake: ['UNSTAKE', 'CROSS'],
  burn: ['BURN', 'CROSS'],
  slash: ['SLASH', 'CROSS'],
  internal_unstake: ['INTERNAL_UNSTAKE', 'CROSS'],
  channel_close: ['CHANNEL_CLOSE', 'CROSS'],
  local_stake: ['STAKE', 'LOCAL'],
  local_unstake: ['UNSTAKE', 'LOCAL'],
  local_burn: ['BURN', 'LOCAL'],
  local_slash: ['SLASH', 'LOCAL'],
};

export const delegationHistoryTypeDefs = /* GraphQL */ `
  enum DelegationKind {
    "cross: stake packet sent (PENDING) then acknowledged (COMMITTED / ROLLED_BACK); local: proxy delegation"
    STAKE
    "cross: unstake packet sent, then acknowledged; local: the owner's unstake through the provider module"
    UNSTAKE
    "stake burned by a vault slash propagation (spec §4.3.4)"
    BURN
    "stake slashed (cross: spec §4.3.2; local: the vault's local_slash, spec §4.3.1)"
    SLASH
    "consumer's zero max cap unstake (spec §2.5)"
    INTERNAL_UNSTAKE
    "the IBC channel closed: all stake unbonds (spec §2.1)"
    CHANNEL_CLOSE
  }

  enum DelegationSide {
    "external staking: stake on a consumer validator"
    CROSS
    "native staking: the staker's proxy on a provider validator"
    LOCAL
  }

  enum TxStatus {
    PENDING
    COMMITTED
    ROLLED_BACK
  }

  "Needs an address or validator (the indexed ones); the rest narrow it."
  input DelegationHistoryFilter {
    "A staker, on every chain whose bech32 prefix it carries."
    address: String
    chain: String
    validator: String
    "The pairing's external staking contract."
    pairing: String
    kind: [DelegationKind!]
    side: DelegationSide
    height: HeightRange
    time: TimeRange
  }

  type DelegationEvent {
    id: ID!
    chainId: String!
    "External staking contract, or the staker's native-staking proxy."
    contract: String!
    staker: String!
    validator: String
    kind: DelegationKind!
    side: DelegationSide!
    amount: String!
    "The stake's range after the event (local: the proxy's principal)."
    stakeAfter: AmountRange
    "Tx id of a two-phase change (vault id for stakes, external staking id for unstakes, spec §4.9)."
    txId: String
    status: TxStatus
    height: Int!
    time: String!
    txHash: String
    msgIndex: Int
    eventIndex: Int
  }

  type DelegationEventEdge {
    cursor: String!
    node: DelegationEvent!
  }

  type DelegationEventConnection {
    edges: [DelegationEventEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`;

export interface DelegationHistoryFilterInput extends HistoryFilterInput {
  kind?: string[] | null;
  side?: 'CROSS' | 'LOCAL' | null;
}

const KEY: HistoryKey<DelegationEvent> = { fields: ['height', 'id'], shape: ['number', 'string'], of: (r) => [r.height, r.id] };

/** The stored kinds a kind/side filter selects (null: no kind condition). */
export function storedDelegationKinds(kinds: readonly string[] | null | undefined, side: string | null | undefined): string[] | null {
  if (kinds == null && side == null) return null;
  return Object.entries(DELEGATION_KINDS)
    .filter(([, [k, s]]) => (kinds == null || kinds.includes(k)) && (side == null || s === side))
    .map(([stored]) => stored);
}

export async function delegationHistory(ctx: ApiContext, args: HistoryArgs<DelegationHistoryFilterInput>, scope?: AccountScope) {
  const page = readPage(args, KEY.shape);
  const f = args.filter;
  const r = await resolveFilter(ctx, f, scope);
  const kinds = storedDelegationKinds(f?.kind, f?.side);
  requireAnchor(r.staker !== null || r.validator !== null, 'address or validator');
  const side = r.pairing ? pairingSide(r, r.pairing.providerChainId, 'contract', r.pairing.externalStaking) : {};
  if (r.empty || side === null || kinds?.length === 0) return emptyPage<DelegationEvent>(page);
  const where = { ...baseWhere(r), ...side, ...(r.validator !== null ? { validator: r.validator } : {}), ...(kinds ? { kind: { in: kinds } } : {}) };
  return historyPage({
    page,
    order: args.order ?? 'DESC',
    key: KEY,
    where,
    findMany: (a) => ctx.prisma.delegationEvent.findMany(a),
    count: (a) => ctx.prisma.delegationEvent.count(a),
  });
}

const known = (e: DelegationEvent) => {
  const k = DELEGATION_KINDS[e.kind];
  if (!k) throw new Error(`unexpected delegation kind ${JSON.stringify(e.kind)}`);
  return k;
};

export const delegationEventResolvers = {
  DelegationEvent: {
    kind: (e: DelegationEvent) => known(e)[0],
    side: (e: DelegationEvent) => known(e)[1],
    amount: (e: DelegationEvent) => e.amount.toFixed(0),
    stakeAfter: (e: DelegationEvent) =>
      e.stakeLowAfter === null || e.stakeHighAfter === null ? null : { low: e.stakeLowAfter.toFixed(0), high: e.stakeHighAfter.toFixed(0) },
    txId: (e: DelegationEvent) => e.txId?.toFixed(0) ?? null,
    status: (e: DelegationEvent) => e.status?.toUpperCase() ?? null,
    time: (e: DelegationEvent) => e.time.toISOString(),
  },
};
