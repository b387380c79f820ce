// Explorer: a slash with its whole cascade (spec §4.3) and the slashes connection.
//   cross slash: the consumer slashes a validator → x/meshsecurity's share (consumerAmount, consumer
//   units) → the converter's inverse-price conversion (providerAmount, §4.4) → external staking's
//   per-staker cut (§4.3.2) → the vault: each staker's share (SlashShare) and its propagation case
//   (§4.3.3) → burns on the provider (Burn rows of the vault) → the burn packets to the consumer →
//   the converter's burn (consumer units) → virtual staking's unbonds at the next epoch (§4.3.4, §4.5).
//   native slash: the provider jails its validator → native staking's per-owner slash (§4.3.1) → the
//   same vault shares, propagation and burns.
// How burns are tied to the rows and packets downstream: src/api/modules/burn-links.ts.
import type { Burn, Pairing, Prisma, PrismaClient, Slash, SlashShare, VirtualStake } from '@prisma/client';
import DataLoader from 'dataloader';
import type { ApiContext } from '../context.ts';
import { badInput } from '../errors.ts';
import { type PageArgs, readPage, toConnection } from '../pagination.ts';
import type { ApiModule } from '../schema/module.ts';
import { parseHeightRange, parseTimeRange } from '../validate.ts';
import { type BurnLink, linkBurns } from './burn-links.ts';
import { amount, amountOrNull, decimal18, ID_PART, iso, isoOrNull } from './explorer-format.ts';
import { type KeyColumn, keySelect, keyShape, keysetSql, rowKey } from './keyset.ts';

/**
 * A slash id: `<consumer chain>/<validator>/<consumer height>` for a cross slash (src/mappings/converter.ts
 * crossSlashId), a row id `<chain>/<height>/<tx>/<msg>/<event>/slash` for a native one.
 */
export function parseSlashId(id: string, argument = 'id'): string {
  const parts = id.split('/');
  const ok = id.length <= 300 && parts.every((p) => ID_PART.test(p)) && ((parts.length === 3 && /^\d+$/.test(parts[2]!)) || (parts.length >= 5 && /^\d+$/.test(parts[1]!)));
  if (!ok) throw badInput(`"${argument}" is not a slash id: expected <consumer chain>/<validator>/<height> or <chain>/<height>/<tx>/<msg>/<event>/slash`, argument);
  return id;
}

export const slashTypeDefs = /* GraphQL */ `
  "One validator slash and its cascade across chains."
  type Slash {
    id: ID!
    kind: SlashKind!
    "Chain where the validator was slashed (the consumer for a cross slash)."
    chainId: String!
    validator: String!
    pairingId: String
    pairing: Pairing
    infractionHeight: Int
    "Slash ratio (18 decimals): the nominal fraction of a cross slash, native staking's ratio of a native one."
    ratio: String
    tombstoned: Boolean!
    height: Int!
    time: String!
    txHash: String
    "Amount slashed from the virtual delegation, consumer units (x/meshsecurity's share, spec §3.1)."
    consumerAmount: String
    "The amount the vault applies, provider units: a cross slash's consumer amount converted with the inverse price (spec §4.4); a native slash's total."
    providerAmount: String
    "Where the vault applied it."
    providerChainId: String
    providerHeight: Int
    providerTime: String
    providerTxHash: String
    "The valset_update packet that carried a cross slash to the provider."
    packet: Packet
    "Each staker's share, as the vault applied it."
    shares: [SlashShare!]!
    "Sum of the shares."
    totalShares: String!
    "Every burn of the cascade on every chain: the vault's burns (provider), then what the consumers burned on receiving them."
    burns: [Burn!]!
    "Virtual staking unbonds on the consumer caused by the slash: the epoch after each converter burn, and a tombstoned validator's unbond (spec §4.5 step 7)."
    consumerUnbonds: [VirtualStakeChange!]!
  }

  "One staker's share of a slash (spec §4.3.3)."
  type SlashShare {
    staker: String!
    chainId: String!
    vault: String!
    amount: String!
    propagation: SlashPropagation!
    collateralAfter: String!
    height: Int!
    "The burns the vault sent for this staker's propagation."
    burns: [Burn!]!
  }

  "A split of an amount over validators."
  type ValidatorAmount {
    validator: String!
    amount: String!
  }

  "A burn of a slash's cascade on one chain (spec §4.3.4)."
  type Burn {
    id: ID!
    slashId: String
    chainId: String!
    "native_staking | external_staking (provider, sent by the vault) | converter (consumer, on receipt of the burn packet)"
    stage: String!
    lienholder: String
    staker: String
    "Validators named: the slashed one for the lien holder that reported it; the packet's list for the converter."
    validators: [String!]
    "Provider units for native_staking / external_staking, consumer units for converter."
    amount: String!
    height: Int!
    time: String!
    txHash: String
    "The burn packet: the one external staking sent, or the one the converter received."
    packet: Packet
    "Per-validator burns on the provider: external staking's distribute_burn over the staker's cross stakes (spec §4.3.5), or the native staking proxy's undelegations."
    validatorBurns: [ValidatorAmount!]!
    "For an external_staking burn: the consumer's converter burn that received its packet."
    consumerBurns: [Burn!]!
    "For a converter burn: virtual staking's unbonds of the listed validators at the next epoch that moved stake (spec §4.3.4: the actual unbond happens at the next epoch)."
    unbonds: [VirtualStakeChange!]!
  }

  "A bond or unbond of a virtual-staking contract on a consumer (x/meshsecurity instant delegation)."
  type VirtualStakeChange {
    chainId: String!
    virtualStaking: String!
    validator: String!
    "bond | unbond"
    kind: String!
    amount: String!
    "The contract's bonded amount on the validator after the epoch."
    bondedAfter: String!
    height: Int!
    time: String!
  }

  type SlashEdge {
    cursor: String!
    node: Slash!
  }

  type SlashConnection {
    edges: [SlashEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  input SlashFilter {
    "The chain where the validator was slashed, or where the vault applied it."
    chainId: String
    validator: String
    pairingId: String
    kind: SlashKind
    tombstoned: Boolean
    "Height on the chain where the validator was slashed."
    height: HeightRange
    time: TimeRange
  }

  extend type Query {
    "A slash by id with its cascade; null when the indexer has not seen it."
    slash(id: ID!): Slash
    "Slashes, newest first (by time, then id) unless order: ASC."
    slashes(filter: SlashFilter, first: Int, after: String, last: Int, before: String, order: OrderDirection = DESC): SlashConnection!
  }
`;

// ---- the cascade's loaders (per request) ------------------------------------------------------------

export interface CascadeLoaders {
  /** Downstream links of a vault burn (by burn id). */
  burnLink: DataLoader<string, BurnLink>;
  /** Virtual-staking changes of the epoch that applied a converter burn (by burn id). */
  burnUnbonds: DataLoader<string, VirtualStake[]>;
}

const cascadeCache = new WeakMap<ApiContext['loaders'], CascadeLoaders>();

function cascade(ctx: ApiContext): CascadeLoaders {
  let c = cascadeCache.get(ctx.loaders);
  if (!c) cascadeCache.set(ctx.loaders, (c = createCascadeLoaders(ctx)));
  return c;
}

const groupKey = (b: Burn) => JSON.stringify([b.chainId, b.height, b.txHash, b.lienholder, b.stage]);

/** Links vault burns (native_staking / external_staking stages) to their rows and packets downstream. */
export async function loadBurnLinks(prisma: PrismaClient, burns: readonly Burn[]): Promise<Map<string, BurnLink>> {
  const groups = new Map<string, Burn[]>();
  for (const b of burns) if (b.stage === 'external_staking' || b.stage === 'native_staking') groups.set(groupKey(b), [...(groups.get(groupKey(b)) ?? []), b]);
  const links = new Map<string, BurnLink>();
  await Promise.all(
    [...groups.values()].map(async (g) => {
      const b0 = g[0]!;
      const at = { chainId: b0.chainId, height: b0.height, txHash: b0.txHash };
      const external = b0.stage === 'external_staking';
      // every vault burn of this lien holder there, not just the ones asked: the match is by order
      const [all, rows, packets] = await Promise.all([
        prisma.burn.findMany({ where: { ...at, lienholder: b0.lienholder, stage: b0.stage } }),
        prisma.delegationEvent.findMany({
          where: external ? { ...at, contract: b0.lienholder ?? '', kind: 'burn' } : { ...at, kind: 'local_burn', staker: { in: [...new Set(g.map((b) => b.staker ?? ''))] } },
        }),
        external ? prisma.ibcPacket.findMany({ where: { sourceChainId: b0.chainId, sourcePort: `wasm.${b0.lienholder}`, sendHeight: b0.height, sendTxHash: b0.txHash, kind: 'burn' } }) : Promise.resolve(null),
      ]);
      const linked = linkBurns(
        all.map((b) => ({ id: b.id, staker: b.staker, amount: BigInt(b.amount.toFixed(0)) })),
        rows.map((r) => ({ staker: r.staker, validator: r.validator, amount: BigInt(r.amount.toFixed(0)), msgIndex: r.msgIndex, eventIndex: r.eventIndex })),
        packets && packets.map((p) => ({ id: p.id, sequence: BigInt(p.sequence.toFixed(0)) })),
      );
      for (const b of g) {
        const l = linked.get(b.id);
        if (l) links.set(b.id, l);
      }
    }),
  );
  return links;
}

function createCascadeLoaders(ctx: ApiContext): CascadeLoaders {
  const { prisma } = ctx;
  return {
    burnLink: new DataLoader(async (ids) => {
      const links = await loadBurnLinks(prisma, await prisma.burn.findMany({ where: { id: { in: [...ids] } } }));
      return ids.map((id) => links.get(id) ?? { validatorBurns: [], packetId: null });
    }),
    burnUnbonds: new DataLoader(async (ids) => {
      const burns = await prisma.burn.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(burns.map((b) => [b.id, b] as const));
      return Promise.all(
        ids.map(async (id) => {
          const b = byId.get(id);
          if (!b || b.stage !== 'converter' || !b.packetId) return [];
          const packet = await ctx.loaders.explorer.packetById.load(b.packetId);
          const pairing = packet?.pairingId ? await ctx.loaders.explorer.pairingById.load(packet.pairingId) : null;
          if (!pairing?.virtualStaking) return [];
          return epochChanges(ctx, b.chainId, pairing.virtualStaking, b.height, b.validators ?? [], 'unbond');
        }),
      );
    }),
  };
}

/**
 * The changes of the first epoch at or after `height` that moved any of the contract's stake, kept to
 * `validators` and `kind`. Epochs run in the EndBlocker, after the block's txs (spec §3.1).
 */
async function epochChanges(ctx: ApiContext, chainId: string, virtualStaking: string, height: number, validators: readonly string[], kind: 'bond' | 'unbond'): Promise<VirtualStake[]> {
  const first = await ctx.prisma.virtualStake.findFirst({ where: { chainId, virtualStaking, height: { gte: height } }, orderBy: [{ height: 'asc' }], select: { height: true } });
  if (!first) return [];
  return ctx.prisma.virtualStake.findMany({ where: { chainId, virtualStaking, height: first.height, kind, validator: { in: [...validators] } }, orderBy: [{ id: 'asc' }] });
}

// ---- resolvers -------------------------------------------------------------------------------------

const SLASH_KEYS: KeyColumn[] = [
  { expr: 'time', type: 'time' },
  { expr: 'id', type: 'text' },
];

interface SlashFilterArgs {
  chainId?: string | null;
  validator?: string | null;
  pairingId?: string | null;
  kind?: 'NATIVE' | 'CROSS' | null;
  tombstoned?: boolean | null;
  height?: { from?: number | null; to?: number | null } | null;
  time?: { from?: string | null; to?: string | null } | null;
}

function slashWhere(f: SlashFilterArgs | null | undefined, params: unknown[]): string[] {
  const where: string[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  if (f?.chainId != null) {
    const x = p(f.chainId);
    where.push(`(chain_id = ${x} OR provider_chain_id = ${x})`);
  }
  if (f?.validator != null) where.push(`validator = ${p(f.validator)}`);
  if (f?.pairingId != null) where.push(`pairing_id = ${p(f.pairingId)}`);
  if (f?.kind != null) where.push(`kind = ${p(f.kind.toLowerCase())}`);
  if (f?.tombstoned != null) where.push(`tombstoned = ${p(f.tombstoned)}`);
  const h = parseHeightRange(f?.height, 'filter.height');
  if (h.from !== null) where.push(`height >= ${p(h.from)}`);
  if (h.to !== null) where.push(`height <= ${p(h.to)}`);
  const t = parseTimeRange(f?.time, 'filter.time');
  if (t.from) where.push(`time >= ${p(t.from)}`);
  if (t.to) where.push(`time <= ${p(t.to)}`);
  return where;
}

async function slashesConnection(ctx: ApiContext, args: PageArgs & { filter?: SlashFilterArgs | null; order?: 'ASC' | 'DESC' }) {
  const page = readPage(args, keyShape(SLASH_KEYS));
  const params: unknown[] = [];
  const where = slashWhere(args.filter, params);
  const countParams = [...params];
  const ks = keysetSql(SLASH_KEYS, page, args.order ?? 'DESC', params);
  const all = ks.after ? [...where, ks.after] : where;
  params.push(page.take);
  const { rows } = await ctx.sql.query(`SELECT id, ${keySelect(SLASH_KEYS)} FROM slashes ${all.length ? `WHERE ${all.join(' AND ')}` : ''} ORDER BY ${ks.orderBy} LIMIT $${params.length}`, params);
  const slashes = await ctx.loaders.explorer.slashById.loadMany(rows.map((r) => r.id as string));
  const nodes = rows.map((r, i) => ({ key: rowKey(r, SLASH_KEYS), slash: slashes[i] as Slash }));
  const conn = toConnection(nodes, page, (n) => n.key, async () => {
    const { rows: c } = await ctx.sql.query(`SELECT count(*)::int AS n FROM slashes ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, countParams);
    return c[0].n as number;
  });
  return { ...conn, edges: conn.edges.map((e) => ({ cursor: e.cursor, node: e.node.slash })) };
}

/** The provider burns of a slash followed by the consumer burns their packets caused. */
async function cascadeBurns(ctx: ApiContext, s: Slash): Promise<Burn[]> {
  const provider = await ctx.loaders.explorer.burnsBySlash.load(s.id);
  const links = await cascade(ctx).burnLink.loadMany(provider.map((b) => b.id));
  const packets = links.map((l) => (l instanceof Error ? null : l.packetId)).filter((p): p is string => p !== null);
  const consumer = (await ctx.loaders.explorer.burnsByPacket.loadMany(packets)).flatMap((x) => (x instanceof Error ? [] : x));
  return [...provider, ...consumer];
}

const sum = (xs: Array<{ amount: Prisma.Decimal }>) => xs.reduce((s, x) => s + BigInt(x.amount.toFixed(0)), 0n).toString();

export const slashResolvers = {
  Query: {
    slash: (_: unknown, args: { id: string }, ctx: ApiContext) => ctx.loaders.explorer.slashById.load(parseSlashId(args.id)),
    slashes: (_: unknown, args: PageArgs & { filter?: SlashFilterArgs; order?: 'ASC' | 'DESC' }, ctx: ApiContext) => slashesConnection(ctx, args),
  },
  Slash: {
    kind: (s: Slash) => s.kind.toUpperCase(),
    pairing: (s: Slash, _: unknown, ctx: ApiContext): Promise<Pairing | null> | null => (s.pairingId ? ctx.loaders.explorer.pairingById.load(s.pairingId) : null),
    ratio: (s: Slash) => decimal18(s.ratio),
    time: (s: Slash) => iso(s.time),
    consumerAmount: (s: Slash) => amountOrNull(s.consumerAmount),
    providerAmount: (s: Slash) => amountOrNull(s.providerAmount),
    providerTime: (s: Slash) => isoOrNull(s.providerTime),
    packet: (s: Slash, _: unknown, ctx: ApiContext) => (s.packetId ? ctx.loaders.explorer.packetById.load(s.packetId) : null),
    shares: (s: Slash, _: unknown, ctx: ApiContext) => ctx.loaders.explorer.sharesBySlash.load(s.id),
    totalShares: async (s: Slash, _: unknown, ctx: ApiContext) => sum(await ctx.loaders.explorer.sharesBySlash.load(s.id)),
    burns: (s: Slash, _: unknown, ctx: ApiContext) => cascadeBurns(ctx, s),
    consumerUnbonds: async (s: Slash, _: unknown, ctx: ApiContext) => {
      const burns = (await cascadeBurns(ctx, s)).filter((b) => b.stage === 'converter');
      const fromBurns = (await cascade(ctx).burnUnbonds.loadMany(burns.map((b) => b.id))).flatMap((x) => (x instanceof Error ? [] : x));
      // a tombstoned consumer validator is unbonded whole at the next epoch (spec §4.5 steps 5 and 7)
      let tombstone: VirtualStake[] = [];
      if (s.kind === 'cross' && s.tombstoned && s.pairingId) {
        const pairing = await ctx.loaders.explorer.pairingById.load(s.pairingId);
        if (pairing?.virtualStaking) {
          const first = await ctx.prisma.virtualStake.findFirst({
            where: { chainId: s.chainId, virtualStaking: pairing.virtualStaking, validator: s.validator, kind: 'unbond', height: { gte: s.height } },
            orderBy: [{ height: 'asc' }, { id: 'asc' }],
          });
          if (first) tombstone = [first];
        }
      }
      const seen = new Set<string>();
      return [...fromBurns, ...tombstone].filter((v) => !seen.has(v.id) && (seen.add(v.id), true));
    },
  },
  SlashShare: {
    amount: (x: SlashShare) => amount(x.amount),
    collateralAfter: (x: SlashShare) => amount(x.collateralAfter),
    propagation: (x: SlashShare) => x.propagation.toUpperCase(),
    burns: async (x: SlashShare, _: unknown, ctx: ApiContext) => (await ctx.loaders.explorer.burnsBySlash.load(x.slashId)).filter((b) => b.staker === x.staker),
  },
  Burn: {
    amount: (b: Burn) => amount(b.amount),
    time: (b: Burn) => iso(b.time),
    packet: async (b: Burn, _: unknown, ctx: ApiContext) => {
      const id = b.stage === 'external_staking' ? (await cascade(ctx).burnLink.load(b.id)).packetId : b.packetId;
      return id ? ctx.loaders.explorer.packetById.load(id) : null;
    },
    validatorBurns: async (b: Burn, _: unknown, ctx: ApiContext) =>
      b.stage === 'external_staking' || b.stage === 'native_staking' ? (await cascade(ctx).burnLink.load(b.id)).validatorBurns.map((v) => ({ validator: v.validator, amount: v.amount.toString() })) : [],
    consumerBurns: async (b: Burn, _: unknown, ctx: ApiContext) => {
      if (b.stage !== 'external_staking') return [];
      const { packetId } = await cascade(ctx).burnLink.load(b.id);
      return packetId ? ctx.loaders.explorer.burnsByPacket.load(packetId) : [];
    },
    unbonds: (b: Burn, _: unknown, ctx: ApiContext) => (b.stage === 'converter' ? cascade(ctx).burnUnbonds.load(b.id) : []),
  },
  VirtualStakeChange: {
    amount: (v: VirtualStake) => amount(v.amount),
    bondedAfter: (v: VirtualStake) => amount(v.bondedAfter),
    time: (v: VirtualStake) => iso(v.time),
  },
  SlashConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};

export const slashModule: ApiModule = { name: 'slash', typeDefs: slashTypeDefs, resolvers: slashResolvers };
