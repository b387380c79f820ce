// Network view: the indexed chains with their indexing status, and the pairings (a provider's
// external staking ⇄ a consumer's converter) with channel, price, discount, max cap and its use, and
// total cross-stake.
import type { Chain, Channel, MaxCap, Pairing, Price } from '@prisma/client';
import type { ApiContext } from '../context.ts';
import type { ApiModule } from '../schema/module.ts';
import { Decimal } from '../../protocol/decimal.ts';
import { fromJsonValue } from '../../mappings/replica.ts';
import { CONVERTER_NS } from '../../mappings/virtual-staking.ts';
import { amount, decimal18, iso, isoOrNull } from './explorer-format.ts';

export const networkTypeDefs = /* GraphQL */ `
  "An indexed chain and how far the indexer is behind its tip."
  type Chain {
    chainId: String!
    bech32Prefix: String!
    "CometBFT version the nodes report."
    cometVersion: String
    "Last height whose rows are committed."
    indexedHeight: Int!
    indexedTime: String
    "Highest height a node reported (null until the indexer has asked)."
    tipHeight: Int
    tipTime: String
    "tipHeight − indexedHeight (null while the tip is unknown)."
    lagBlocks: Int
    "tipTime − indexedTime in seconds (null while either is unknown)."
    lagSeconds: Float
    updatedAt: String!
    "Pairings this chain is the provider or the consumer of."
    pairings: [Pairing!]!
  }

  "One end of an IBC channel as its chain reported it."
  type IbcChannel {
    chainId: String!
    portId: String!
    channelId: String!
    counterpartyChainId: String
    counterpartyPortId: String
    counterpartyChannelId: String
    connectionId: String
    version: String
    "INIT | TRYOPEN | OPEN | CLOSED"
    state: String!
    openedHeight: Int
    closedHeight: Int
  }

  "The consumer's price feed: native (consumer) tokens per foreign (provider) token, 18 decimals (spec §4.4)."
  type PairingPrice {
    nativePerForeign: String!
    height: Int!
    time: String!
    txHash: String
  }

  "The virtual-staking contract's max cap (x/meshsecurity) and how much of it is delegated."
  type PairingMaxCap {
    cap: String!
    denom: String!
    """
    What x/meshsecurity has delegated for the contract: its instant bonds minus what its instant
    unbonds took off (the tokens that came back: after a consumer slash a few less than asked).
    """
    used: String!
    "cap − used (0 when used is above a lowered cap)."
    available: String!
    "Where the cap was last set."
    height: Int!
    time: String!
    txHash: String
  }

  "A provider's external staking linked with a consumer's converter."
  type Pairing {
    id: ID!
    "open | closed | pending"
    state: String!
    providerChainId: String!
    consumerChainId: String!
    externalStaking: String!
    converter: String
    virtualStaking: String
    priceFeed: String
    providerConnection: String
    consumerConnection: String
    "The provider's channel end (external staking's port)."
    providerChannel: IbcChannel
    "The consumer's channel end (the converter's port)."
    consumerChannel: IbcChannel
    "The latest price of the consumer's price feed."
    price: PairingPrice
    "The converter's discount, 18 decimals (its adjustment is 1 − discount, spec §4.4)."
    discount: String
    remoteDenom: String
    rewardsDenom: String
    unbondingPeriodSeconds: Int
    maxCap: PairingMaxCap
    "Sum of every staker's cross-stake through this external staking, all validators."
    totalCrossStake: AmountRange!
    "Stakers with a cross-stake (high value) above zero."
    stakerCount: Int!
  }

  extend type Query {
    "Every indexed chain, by chain id."
    chains: [Chain!]!
    chain(chainId: String!): Chain
    "Pairings, by id; filtered to one chain (either side) or one state when asked."
    pairings(chainId: String, state: String): [Pairing!]!
    pairing(id: ID!): Pairing
  }
`;

/** 1 − adjustment, as the converter's `config{}` answers it (the indexer keeps that answer in its replica). */
async function discountOf(ctx: ApiContext, p: Pairing): Promise<string | null> {
  if (p.discount) return decimal18(p.discount);
  if (!p.converter) return null;
  const row = await ctx.prisma.replicaState.findUnique({ where: { chainId_namespace_key: { chainId: p.consumerChainId, namespace: CONVERTER_NS, key: p.converter } } });
  const adjustment = row?.value == null ? undefined : fromJsonValue<{ adjustment?: string }>(row.value).adjustment;
  if (!adjustment) return null;
  try {
    return Decimal.one.sub(Decimal.parse(adjustment)).toFixed18();
  } catch {
    return null;
  }
}

async function channelOf(ctx: ApiContext, chainId: string, contract: string | null, channelId: string | null): Promise<Channel | null> {
  if (!contract || !channelId) return null;
  return ctx.prisma.channel.findUnique({ where: { chainId_portId_channelId: { chainId, portId: `wasm.${contract}`, channelId } } });
}

async function maxCapOf(ctx: ApiContext, p: Pairing) {
  if (!p.virtualStaking) return null;
  const cap: MaxCap | null = await ctx.loaders.explorer.latestMaxCap.load(`${p.consumerChainId}/${p.virtualStaking}`);
  if (!cap) return null;
  // x/meshsecurity's total delegated for the contract moves only with its instant bonds and unbonds
  // (an unbond subtracts the tokens returned, not asked: fewer after a slash)
  const { rows } = await ctx.sql.query(
    `SELECT coalesce(sum(CASE kind WHEN 'bond' THEN amount ELSE -returned END), 0)::text AS used FROM virtual_stakes WHERE chain_id = $1 AND virtual_staking = $2`,
    [p.consumerChainId, p.virtualStaking],
  );
  const used = BigInt(rows[0].used as string);
  const c = BigInt(amount(cap.cap));
  return { cap: c.toString(), denom: cap.denom, used: used.toString(), available: (c > used ? c - used : 0n).toString(), height: cap.height, time: iso(cap.time), txHash: cap.txHash };
}

async function crossStakeTotals(ctx: ApiContext, p: Pairing) {
  const { rows } = await ctx.sql.query(
    `SELECT coalesce(sum(stake_low), 0)::text AS low, coalesce(sum(stake_high), 0)::text AS high, count(DISTINCT staker) FILTER (WHERE stake_high > 0)::int AS stakers
       FROM cross_stakes WHERE chain_id = $1 AND external_staking = $2`,
    [p.providerChainId, p.externalStaking],
  );
  return rows[0] as { low: string; high: string; stakers: number };
}

export const networkResolvers = {
  Query: {
    chains: (_: unknown, __: unknown, ctx: ApiContext) => ctx.prisma.chain.findMany({ orderBy: { chainId: 'asc' } }),
    chain: (_: unknown, args: { chainId: string }, ctx: ApiContext) => ctx.prisma.chain.findUnique({ where: { chainId: args.chainId } }),
    pairings: (_: unknown, args: { chainId?: string | null; state?: string | null }, ctx: ApiContext) =>
      ctx.prisma.pairing.findMany({
        where: {
          ...(args.chainId != null ? { OR: [{ providerChainId: args.chainId }, { consumerChainId: args.chainId }] } : {}),
          ...(args.state != null ? { state: args.state } : {}),
        },
        orderBy: { id: 'asc' },
      }),
    pairing: (_: unknown, args: { id: string }, ctx: ApiContext) => ctx.loaders.explorer.pairingById.load(args.id),
  },
  Chain: {
    indexedTime: (c: Chain) => isoOrNull(c.indexedTime),
    tipTime: (c: Chain) => isoOrNull(c.tipTime),
    lagBlocks: (c: Chain) => (c.tipHeight == null ? null : Math.max(0, c.tipHeight - c.indexedHeight)),
    lagSeconds: (c: Chain) => (c.tipTime && c.indexedTime ? Math.max(0, (c.tipTime.getTime() - c.indexedTime.getTime()) / 1000) : null),
    updatedAt: (c: Chain) => iso(c.updatedAt),
    pairings: (c: Chain, _: unknown, ctx: ApiContext) =>
      ctx.prisma.pairing.findMany({ where: { OR: [{ providerChainId: c.chainId }, { consumerChainId: c.chainId }] }, orderBy: { id: 'asc' } }),
  },
  Pairing: {
    providerChannel: (p: Pairing, _: unknown, ctx: ApiContext) => channelOf(ctx, p.providerChainId, p.externalStaking, p.providerChannel),
    consumerChannel: (p: Pairing, _: unknown, ctx: ApiContext) => channelOf(ctx, p.consumerChainId, p.converter, p.consumerChannel),
    price: async (p: Pairing, _: unknown, ctx: ApiContext) => {
      if (!p.priceFeed) return null;
      const price: Price | null = await ctx.loaders.explorer.latestPrice.load(`${p.consumerChainId}/${p.priceFeed}`);
      return price && { nativePerForeign: decimal18(price.nativePerForeign), height: price.height, time: iso(price.time), txHash: price.txHash };
    },
    discount: (p: Pairing, _: unknown, ctx: ApiContext) => discountOf(ctx, p),
    maxCap: (p: Pairing, _: unknown, ctx: ApiContext) => maxCapOf(ctx, p),
    totalCrossStake: async (p: Pairing, _: unknown, ctx: ApiContext) => {
      const t = await crossStakeTotals(ctx, p);
      return { low: t.low, high: t.high };
    },
    stakerCount: async (p: Pairing, _: unknown, ctx: ApiContext) => (await crossStakeTotals(ctx, p)).stakers,
  },
};

export const networkModule: ApiModule = { name: 'network', typeDefs: networkTypeDefs, resolvers: networkResolvers };
