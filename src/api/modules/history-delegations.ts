// Delegation history: delegation_events as a connection. The table stores cross kinds (stake, unstake,
// burn, slash, internal_unstake, channel_close — external staking, spec §1.4/§2.5) and local ones
// (local_stake, local_unstake, local_burn, local_slash — native staking proxies, spec §1.3/§4.3.1);
// the API shows one kind enum and a side (CROSS | LOCAL), so "every burn" is one filter.
import type { ApiContext } from '../context.ts';
import { readPage } from '../pagination.ts';
import { blockPosition } from './block-position.ts';
import { type AccountScope, baseConditions, byChainIndex, type HistoryFilterInput, pairingSide, requireAnchor, resolveFilter } from './history-filter.ts';
import { emptyPage, eventKey, historyPage, keyShape, Params, type EventPlace } from './history-keyset.ts';
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

export interface DelegationEventNode extends EventPlace {
  id: string;
  chainId: string;
  contract: string;
  staker: string;
  validator: string | null;
  kind: string;
  side: 'CROSS' | 'LOCAL';
  amount: string;
  stakeAfter: { low: string; high: string } | null;
  status: string | null;
}

const KEY = eventKey('e', blockPosition);

/** The stored kinds a kind/side filter selects (null: no kind condition). */
export function storedDelegationKinds(kinds: readonly string[] | null | undefined, side: string | null | undefined): string[] | null {
  if (kinds == null && side == null) return null;
  return Object.entries(DELEGATION_KINDS)
    .filter(([, [k, s]]) => (kinds == null || kinds.includes(k)) && (side == null || s === side))
    .map(([stored]) => stored);
}

function known(kind: string): readonly [string, 'CROSS' | 'LOCAL'] {
  const k = DELEGATION_KINDS[kind];
  if (!k) throw new Error(`unexpected delegation kind ${JSON.stringify(kind)}`);
  return k;
}

export async function delegationHistory(ctx: ApiContext, args: HistoryArgs<DelegationHistoryFilterInput>, scope?: AccountScope) {
  const f = args.filter;
  const page = readPage(args, keyShape(KEY));
  requireAnchor(scope !== undefined || f?.address != null || f?.validator != null, 'address or validator');
  const kinds = storedDelegationKinds(f?.kind, f?.side);
  const r0 = await resolveFilter(ctx, f, scope);
  // (chain_id, staker, height) / (chain_id, validator, height): one ordered branch per chain
  const { filter: r, partition } = r0.staker !== null ? await byChainIndex(ctx, r0) : { filter: r0, partition: undefined };
  const q = new Params();
  const side = r.pairing ? pairingSide('e', r, r.pairing.providerChainId, 'contract', r.pairing.externalStaking, q) : undefined;
  if (r.empty || side === null || kinds?.length === 0) return emptyPage<DelegationEventNode>(page);
  const conditions = [
    ...baseConditions('e', r, q),
    ...(side ? [side] : []),
    ...(r.validator !== null ? [`e.validator = ${q.p(r.validator)}`] : []),
    ...(kinds ? [`e.kind = ANY(${q.p(kinds)}::text[])`] : []),
  ];
  return historyPage<DelegationEventNode>({
    sql: ctx.sql,
    page,
    order: args.order ?? 'DESC',
    from: 'delegation_events e',
    columns: `e.id, e.chain_id, e.contract, e.staker, e.validator, e.kind, e.amount::text, e.stake_low_after::text, e.stake_high_after::text,
      e.tx_id::text, e.status, e.height, e.time, e.tx_hash, e.msg_index, e.event_index`,
    key: KEY,
    conditions,
    params: q,
    partition,
    toNode: (x) => {
      const [kind, side] = known(x.kind);
      return {
        id: x.id,
        chainId: x.chain_id,
        contract: x.contract,
        staker: x.staker,
        validator: x.validator,
        kind,
        side,
        amount: x.amount,
        stakeAfter: x.stake_low_after === null || x.stake_high_after === null ? null : { low: x.stake_low_after, high: x.stake_high_after },
        txId: x.tx_id,
        status: x.status === null ? null : String(x.status).toUpperCase(),
        height: x.height,
        time: (x.time as Date).toISOString(),
        txHash: x.tx_hash,
        msgIndex: x.msg_index,
        eventIndex: x.event_index,
      };
    },
  });
}
