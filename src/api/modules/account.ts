// Staker view: `account(address)` — a staker's positions on every indexed chain its address belongs
// to, per vault: collateral, free collateral, max lien and total slashable (ranges, spec §4.1–4.2),
// liens per lien holder, cross stakes per validator and pairing, local stakes, unbondings, claimable
// rewards (spec §4.6) and pending txs. The histories hang off `Account` too (history.ts).
//
// Chains: an address belongs to every indexed chain whose bech32 prefix it carries (several chains may
// share one, like the spec vectors' `mesh`); its positions there come back per chain and vault. The
// same key on a chain with another prefix is another address: `sameKey` lists those the indexer has
// seen (bech32 re-encoded with each other chain's prefix), each a full Account; nothing is merged,
// because positions on two chains are independent contracts.
//
// All positions of a request come from one SQL statement per tick (account-snapshot.ts, batched by
// the `accountSnapshots` loader): one round trip, one consistent snapshot.
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import type { ApiContext } from '../context.ts';
import type { ApiModule } from '../schema/module.ts';
import { MAX_ADDRESS_LENGTH, parseAddress } from '../validate.ts';
import type { AmountRange, PendingTxRow } from './account-snapshot.ts';
import { type ChainView, chainView, type CrossStakeView, isReleasable, type RewardView, type UnbondingView } from './account-view.ts';

export const accountTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    A staker's positions on every indexed chain whose bech32 prefix the address carries. Null when
    the indexer has never seen the address as a staker there (no position or history row names it).
    A malformed address is a BAD_USER_INPUT error.
    """
    account(address: String!): Account
  }

  "A chain the account was seen on, and how far the indexer has read it (the positions are as of that block)."
  type AccountChain {
    chainId: String!
    indexedHeight: Int!
    indexedTime: String
  }

  type Account {
    "The address, lower case."
    address: String!
    chains: [AccountChain!]!
    "One entry per vault (and chain) the address has collateral in."
    vaults: [VaultAccount!]!
    "Every cross stake on every chain (also listed under their vault)."
    crossStakes(validator: String, pairing: String): [AccountCrossStake!]!
    localStakes: [AccountLocalStake!]!
    "Unbondings not yet released, in the order the contracts keep them (creation); with includeReleased, the released ones too (oldest first)."
    unbondings(includeReleased: Boolean = false): [AccountUnbonding!]!
    "Claimable rewards per external staking contract and validator."
    rewards: [AccountReward!]!
    "Transactions the contracts still wait on (an IBC acknowledgement)."
    pendingTxs: [AccountPendingTx!]!
    "The same key's addresses on indexed chains with another bech32 prefix, where the indexer has seen them."
    sameKey: [Account!]!
  }

  "A staker's account in one vault (spec §4.2)."
  type VaultAccount {
    chainId: String!
    vault: String!
    "Bonded collateral."
    collateral: String!
    "collateral − max(max lien, total slashable): the vault's \`free\` (low: if every pending stake succeeds)."
    freeCollateral: AmountRange!
    maxLien: AmountRange!
    "Kept incrementally by the vault (spec §4.2), so it may differ by rounding from Σ lien × slashable."
    totalSlashable: AmountRange!
    "Block of the last change."
    height: Int!
    time: String!
    "Height the position is read at (the chain's indexed height)."
    indexedHeight: Int!
    liens: [AccountLien!]!
    crossStakes(validator: String, pairing: String): [AccountCrossStake!]!
    localStakes: [AccountLocalStake!]!
    unbondings: [AccountUnbonding!]!
    rewards: [AccountReward!]!
    pendingTxs: [AccountPendingTx!]!
  }

  enum LienholderKind {
    "native staking, the vault's local lien holder"
    LOCAL
    "an external staking contract (one per consumer chain)"
    EXTERNAL
    UNKNOWN
  }

  "Collateral lent to one lien holder."
  type AccountLien {
    lienholder: String!
    kind: LienholderKind!
    "For external stakers: their pairing and consumer chain."
    pairingId: String
    consumerChainId: String
    "low..high while stake_remote txs are pending."
    amount: AmountRange!
    "The lien's slashable ratio, fixed when it was created (18 fraction digits)."
    slashable: String!
    "Pending stake_remote txs of this lien."
    pendingTxs: [AccountPendingTx!]!
    height: Int!
    time: String!
  }

  "A cross stake on a consumer validator (external staking, spec §1.4)."
  type AccountCrossStake {
    chainId: String!
    externalStaking: String!
    pairingId: String
    consumerChainId: String
    validator: String!
    "low: committed; high: including pending stakes (spec §4.1)."
    stake: AmountRange!
    "Signed reward points alignment (spec §4.6)."
    pointsAlignment: String!
    "Rewards already withdrawn (committed by an acknowledgement)."
    withdrawnRewards: String!
    reward: AccountReward!
    pendingUnbondings: [AccountUnbonding!]!
    pendingTxs: [AccountPendingTx!]!
    height: Int!
    time: String!
  }

  "Rewards a staker can withdraw from one validator of one external staking contract."
  type AccountReward {
    chainId: String!
    externalStaking: String!
    pairingId: String
    validator: String!
    """
    What the contract's pending_rewards query answers: floor((points_per_stake × stake.low + alignment)
    / 10^9) − withdrawn (spec §4.6). Null when that query fails on the chain (see error).
    """
    amount: String
    "Why the contract's query fails (e.g. after two withdrawals raced, spec §7 Q5)."
    error: String
    "Consumer staking denom the rewards are paid in (on the consumer chain, spec §2.6)."
    denom: String
    "withdraw_rewards still waiting for their acknowledgement; the contract does not subtract them (spec §7 Q5)."
    withdrawing: String!
  }

  "A native-staking delegation held by the staker's proxy (principal: delegated − undelegated − burned)."
  type AccountLocalStake {
    chainId: String!
    nativeStaking: String!
    proxy: String
    validator: String!
    amount: String!
    height: Int!
    time: String!
  }

  enum UnbondingKind {
    "ack of a cross unstake"
    CROSS
    "zero max cap internal unstake"
    INTERNAL
    "channel closed"
    CHANNEL_CLOSE
    LOCAL
  }

  enum UnbondingState {
    PENDING
    RELEASED
  }

  type AccountUnbonding {
    id: String!
    chainId: String!
    contract: String!
    validator: String
    amount: String!
    releaseAt: String!
    kind: UnbondingKind!
    state: UnbondingState!
    "Pending and due by the chain's indexed block time: withdraw_unbonded would release it now (spec §4.7)."
    releasable: Boolean!
    height: Int!
    time: String!
    txHash: String
    releasedHeight: Int
    releasedTxHash: String
  }

  enum PendingTxKind {
    IN_FLIGHT_STAKING
    IN_FLIGHT_REMOTE_STAKING
    IN_FLIGHT_REMOTE_UNSTAKING
    IN_FLIGHT_TRANSFER_FUNDS
  }

  type AccountPendingTx {
    chainId: String!
    contract: String!
    "u64 tx id (external staking ids are ≥ 2^63, spec §4.9)."
    txId: String!
    kind: PendingTxKind!
    amount: String!
    validator: String
    lienholder: String
    createdHeight: Int!
    createdTime: String!
    createdTxHash: String
  }
`;

/** The resolved Account: the address and its chain views (seen chains only). */
export interface AccountParent {
  address: string;
  chains: ChainView[];
}

/** The account of a well-formed address, or null when no chain has seen it. */
export async function loadAccount(ctx: ApiContext, address: string): Promise<AccountParent | null> {
  const snapshots = await ctx.loaders.accountSnapshots.load(address);
  const seen = snapshots.filter((s) => s.seen);
  return seen.length === 0 ? null : { address, chains: seen.map(chainView) };
}

const str = (v: bigint): string => v.toString();
const iso = (d: Date): string => d.toISOString();
const range = (r: AmountRange) => ({ low: str(r.low), high: str(r.high) });

function crossFilter(args: { validator?: string | null; pairing?: string | null }) {
  const validator = args.validator != null ? parseAddress(args.validator, 'validator') : null;
  return (c: CrossStakeView) => (validator === null || c.validator === validator) && (args.pairing == null || c.pairingId === args.pairing);
}

const UNBONDING_KINDS = new Set(['cross', 'internal', 'channel_close', 'local']);
const PENDING_TX_KINDS = new Set(['in_flight_staking', 'in_flight_remote_staking', 'in_flight_remote_unstaking', 'in_flight_transfer_funds']);
/** Stored enum values as GraphQL enum values; an unknown one is a server error, never a silent guess. */
const enumOf = (known: Set<string>, v: string): string => {
  if (!known.has(v)) throw new Error(`unexpected stored value ${JSON.stringify(v)}`);
  return v.toUpperCase();
};

/** Released unbondings are history: read on demand (Prisma), oldest first. */
async function allUnbondings(ctx: ApiContext, parent: AccountParent): Promise<UnbondingView[]> {
  const rows = await ctx.prisma.unbonding.findMany({
    where: { chainId: { in: parent.chains.map((c) => c.chainId) }, staker: parent.address },
    orderBy: [{ height: 'asc' }, { id: 'asc' }],
  });
  const time = new Map(parent.chains.map((c) => [c.chainId, c.indexedTime]));
  return rows.map((u) => ({
    id: u.id,
    chainId: u.chainId,
    contract: u.contract,
    validator: u.validator,
    amount: BigInt(u.amount.toFixed(0)),
    releaseAt: u.releaseAt,
    kind: u.kind,
    state: u.state,
    height: u.height,
    time: u.time,
    txHash: u.txHash,
    releasedHeight: u.releasedHeight,
    releasedTxHash: u.releasedTxHash,
    releasable: isReleasable(u, time.get(u.chainId) ?? null),
  }));
}

/** Accounts of the same key on chains with another prefix (re-encoded; only those seen). */
async function sameKey(ctx: ApiContext, parent: AccountParent): Promise<AccountParent[]> {
  const { prefix, data } = fromBech32(parent.address, MAX_ADDRESS_LENGTH);
  const prefixes = [...new Set((await ctx.loaders.indexedChains.load('all')).map((c) => c.bech32Prefix))].filter((p) => p !== prefix).sort();
  const accounts = await Promise.all(prefixes.map((p) => loadAccount(ctx, toBech32(p, data))));
  return accounts.filter((a): a is AccountParent => a !== null);
}

type Args = Record<string, any>;

export const accountModule: ApiModule = {
  name: 'account',
  typeDefs: accountTypeDefs,
  resolvers: {
    Query: {
      account: (_: unknown, args: { address: string }, ctx: ApiContext) => loadAccount(ctx, parseAddress(args.address)),
    },
    Account: {
      chains: (p: AccountParent) => p.chains.map((c) => ({ chainId: c.chainId, indexedHeight: c.indexedHeight, indexedTime: c.indexedTime ? iso(c.indexedTime) : null })),
      vaults: (p: AccountParent) => p.chains.flatMap((c) => c.vaults),
      crossStakes: (p: AccountParent, args: Args) => p.chains.flatMap((c) => c.crossStakes).filter(crossFilter(args)),
      localStakes: (p: AccountParent) => p.chains.flatMap((c) => c.localStakes),
      unbondings: (p: AccountParent, args: Args, ctx: ApiContext) => (args.includeReleased ? allUnbondings(ctx, p) : p.chains.flatMap((c) => c.unbondings)),
      rewards: (p: AccountParent) => p.chains.flatMap((c) => c.rewards),
      pendingTxs: (p: AccountParent) => p.chains.flatMap((c) => c.pendingTxs),
      sameKey: (p: AccountParent, _: Args, ctx: ApiContext) => sameKey(ctx, p),
    },
    VaultAccount: {
      collateral: (v: { collateral: bigint }) => str(v.collateral),
      freeCollateral: (v: { free: AmountRange }) => range(v.free),
      maxLien: (v: { maxLien: AmountRange }) => range(v.maxLien),
      totalSlashable: (v: { totalSlashable: AmountRange }) => range(v.totalSlashable),
      time: (v: { time: Date }) => iso(v.time),
      crossStakes: (v: { crossStakes: CrossStakeView[] }, args: Args) => v.crossStakes.filter(crossFilter(args)),
    },
    AccountLien: {
      amount: (l: { amount: AmountRange }) => range(l.amount),
      time: (l: { time: Date }) => iso(l.time),
    },
    AccountCrossStake: {
      stake: (c: CrossStakeView) => range(c.stake),
      pointsAlignment: (c: CrossStakeView) => str(c.pointsAlignment),
      withdrawnRewards: (c: CrossStakeView) => str(c.withdrawnFunds),
      time: (c: CrossStakeView) => iso(c.time),
    },
    AccountReward: {
      amount: (r: RewardView) => (r.amount === null ? null : str(r.amount)),
      withdrawing: (r: RewardView) => str(r.withdrawing),
    },
    AccountLocalStake: {
      amount: (s: { amount: bigint }) => str(s.amount),
      time: (s: { time: Date }) => iso(s.time),
    },
    AccountUnbonding: {
      amount: (u: UnbondingView) => str(u.amount),
      releaseAt: (u: UnbondingView) => iso(u.releaseAt),
      kind: (u: UnbondingView) => enumOf(UNBONDING_KINDS, u.kind),
      state: (u: UnbondingView) => (u.state === 'released' ? 'RELEASED' : 'PENDING'),
      time: (u: UnbondingView) => iso(u.time),
    },
    AccountPendingTx: {
      txId: (t: PendingTxRow) => str(t.txId),
      kind: (t: PendingTxRow) => enumOf(PENDING_TX_KINDS, t.kind),
      amount: (t: PendingTxRow) => str(t.amount),
      createdTime: (t: PendingTxRow) => iso(t.createdTime),
    },
  },
};
