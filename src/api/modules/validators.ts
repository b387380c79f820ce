// Network view: validators of a chain with their state history on both sides of each pairing — the
// consumer's own reports (validator_states view 'consumer', from the converter's valset_update) and
// the provider's CRDT of them (view 'provider_crdt', spec §4.8) — plus what is staked on them.
// Provider validators (native staking) have no state rows: they are listed from local stakes and
// native slashes.
import type { ValidatorState } from '@prisma/client';
import type { ApiContext } from '../context.ts';
import { type PageArgs, readPage, toConnection } from '../pagination.ts';
import type { ApiModule } from '../schema/module.ts';
import { parseAddress } from '../validate.ts';
import { iso, isoOrNull } from './explorer-format.ts';
import { type KeyColumn, keySelect, keyShape, keysetSql, rowKey } from './keyset.ts';

export const validatorTypeDefs = /* GraphQL */ `
  enum ValidatorView {
    "The provider's CRDT view of a consumer validator (spec §4.8), one per pairing."
    PROVIDER_CRDT
    "The consumer's own reports (x/meshsecurity's valset updates through the converter)."
    CONSUMER
  }

  "A validator state as one side saw it."
  type ValidatorStateChange {
    id: ID!
    view: ValidatorView!
    "The chain whose view this is (the provider for the CRDT, the consumer for its own)."
    chainId: String!
    pairingId: String
    validator: String!
    "active | unbonded | jailed | tombstoned | unjailed | updated"
    state: String!
    "Consumer height the state starts at (the CRDT's start_height)."
    startHeight: Int
    startTime: String
    height: Int!
    time: String!
    txHash: String
  }

  type ValidatorStateChangeEdge {
    cursor: String!
    node: ValidatorStateChange!
  }

  type ValidatorStateChangeConnection {
    edges: [ValidatorStateChangeEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  "The provider's latest CRDT state of a consumer validator, per pairing."
  type ProviderValidatorView {
    pairingId: String!
    providerChainId: String!
    state: ValidatorStateChange!
  }

  "A validator of one chain."
  type Validator {
    "Operator address (valoper)."
    address: String!
    "The chain it validates."
    chainId: String!
    "The consumer's latest own report of it (null for provider validators and validators never reported)."
    consumerState: ValidatorStateChange
    "Each pairing's provider CRDT state of it."
    providerViews: [ProviderValidatorView!]!
    "State history on both sides, newest first (by time, then id) unless order: ASC."
    history(view: ValidatorView, first: Int, after: String, last: Int, before: String, order: OrderDirection = DESC): ValidatorStateChangeConnection!
    "Cross-stake on it summed over every provider's external staking."
    crossStake: AmountRange!
    "What the virtual-staking contracts have bonded on it (after their last epoch)."
    virtualStake: String!
    "Local (native) stake on it, for a provider validator."
    localStake: String!
    "Its slashes, newest first."
    slashes: [Slash!]!
  }

  type ValidatorEdge {
    cursor: String!
    node: Validator!
  }

  type ValidatorConnection {
    edges: [ValidatorEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  extend type Query {
    "Validators of a chain seen by the indexer (state reports, stakes, slashes), by address."
    validators(chainId: String!, pairingId: String, first: Int, after: String, last: Int, before: String, order: OrderDirection = ASC): ValidatorConnection!
    "A validator of a chain; null when the indexer has never seen it there."
    validator(chainId: String!, address: String!): Validator
  }
`;

/** Every validator the indexer saw on `chainId` ($1), optionally through one pairing ($2). */
const VALIDATORS_OF_CHAIN = `
  SELECT validator FROM validator_states
   WHERE (view = 'consumer' AND chain_id = $1 AND ($2::text IS NULL OR pairing_id = $2))
      OR (view = 'provider_crdt' AND pairing_id IN (SELECT id FROM pairings WHERE consumer_chain_id = $1 AND ($2::text IS NULL OR id = $2)))
  UNION SELECT validator FROM virtual_stakes
   WHERE chain_id = $1 AND ($2::text IS NULL OR virtual_staking IN (SELECT virtual_staking FROM pairings WHERE id = $2))
  UNION SELECT cs.validator FROM cross_stakes cs JOIN pairings p ON p.provider_chain_id = cs.chain_id AND p.external_staking = cs.external_staking
   WHERE p.consumer_chain_id = $1 AND ($2::text IS NULL OR p.id = $2)
  UNION SELECT validator FROM local_stakes WHERE chain_id = $1 AND $2::text IS NULL
  UNION SELECT validator FROM slashes WHERE chain_id = $1 AND ($2::text IS NULL OR pairing_id = $2)`;

const VALIDATOR_KEYS: KeyColumn[] = [{ expr: 'validator', type: 'text' }];
const HISTORY_KEYS: KeyColumn[] = [
  { expr: 'time', type: 'time' },
  { expr: 'id', type: 'text' },
];

interface ValidatorRef {
  address: string;
  chainId: string;
}

/** State rows of a validator of `chainId`: its consumer's reports there and the CRDTs of the pairings consuming from it. */
const STATE_SCOPE = `validator = $1 AND ((view = 'consumer' AND chain_id = $2) OR (view = 'provider_crdt' AND pairing_id IN (SELECT id FROM pairings WHERE consumer_chain_id = $2)))`;

async function validatorsConnection(ctx: ApiContext, args: PageArgs & { chainId: string; pairingId?: string | null; order?: 'ASC' | 'DESC' }) {
  const page = readPage(args, keyShape(VALIDATOR_KEYS));
  const params: unknown[] = [args.chainId, args.pairingId ?? null];
  const ks = keysetSql(VALIDATOR_KEYS, page, args.order ?? 'ASC', params);
  params.push(page.take);
  const { rows } = await ctx.sql.query(
    `SELECT ${keySelect(VALIDATOR_KEYS)} FROM (${VALIDATORS_OF_CHAIN}) v ${ks.after ? `WHERE ${ks.after}` : ''} ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
    params,
  );
  const conn = toConnection(
    rows.map((r) => ({ key: rowKey(r, VALIDATOR_KEYS), node: { address: String(r.k0), chainId: args.chainId } })),
    page,
    (n) => n.key,
    async () => (await ctx.sql.query(`SELECT count(*)::int AS n FROM (${VALIDATORS_OF_CHAIN}) v`, [args.chainId, args.pairingId ?? null])).rows[0].n as number,
  );
  return { ...conn, edges: conn.edges.map((e) => ({ cursor: e.cursor, node: e.node.node })) };
}

async function historyConnection(ctx: ApiContext, v: ValidatorRef, args: PageArgs & { view?: 'PROVIDER_CRDT' | 'CONSUMER' | null; order?: 'ASC' | 'DESC' }) {
  const page = readPage(args, keyShape(HISTORY_KEYS));
  const params: unknown[] = [v.address, v.chainId];
  const where = [STATE_SCOPE];
  if (args.view != null) where.push(`view = $${params.push(args.view.toLowerCase())}`);
  const countParams = [...params];
  const ks = keysetSql(HISTORY_KEYS, page, args.order ?? 'DESC', params);
  if (ks.after) where.push(ks.after);
  params.push(page.take);
  const { rows } = await ctx.sql.query(`SELECT id, ${keySelect(HISTORY_KEYS)} FROM validator_states WHERE ${where.join(' AND ')} ORDER BY ${ks.orderBy} LIMIT $${params.length}`, params);
  const states = await ctx.prisma.validatorState.findMany({ where: { id: { in: rows.map((r) => r.id as string) } } });
  const byId = new Map(states.map((s) => [s.id, s] as const));
  const countWhere = ks.after ? where.slice(0, -1) : where;
  const conn = toConnection(
    rows.map((r) => ({ key: rowKey(r, HISTORY_KEYS), node: byId.get(r.id as string)! })),
    page,
    (n) => n.key,
    async () => (await ctx.sql.query(`SELECT count(*)::int AS n FROM validator_states WHERE ${countWhere.join(' AND ')}`, countParams)).rows[0].n as number,
  );
  return { ...conn, edges: conn.edges.map((e) => ({ cursor: e.cursor, node: e.node.node })) };
}

export const validatorResolvers = {
  Query: {
    validators: (_: unknown, args: PageArgs & { chainId: string; pairingId?: string | null; order?: 'ASC' | 'DESC' }, ctx: ApiContext) => validatorsConnection(ctx, args),
    validator: async (_: unknown, args: { chainId: string; address: string }, ctx: ApiContext): Promise<ValidatorRef | null> => {
      const address = parseAddress(args.address, 'address');
      const { rows } = await ctx.sql.query(`SELECT 1 FROM (${VALIDATORS_OF_CHAIN}) v WHERE validator = $3 LIMIT 1`, [args.chainId, null, address]);
      return rows.length ? { address, chainId: args.chainId } : null;
    },
  },
  Validator: {
    consumerState: (v: ValidatorRef, _: unknown, ctx: ApiContext) =>
      ctx.prisma.validatorState.findFirst({ where: { chainId: v.chainId, view: 'consumer', validator: v.address }, orderBy: [{ height: 'desc' }, { id: 'desc' }] }),
    providerViews: async (v: ValidatorRef, _: unknown, ctx: ApiContext) => {
      const pairings = await ctx.prisma.pairing.findMany({ where: { consumerChainId: v.chainId }, orderBy: { id: 'asc' } });
      const views = await Promise.all(
        pairings.map(async (p) => {
          const state = await ctx.prisma.validatorState.findFirst({ where: { view: 'provider_crdt', pairingId: p.id, validator: v.address }, orderBy: [{ height: 'desc' }, { id: 'desc' }] });
          return state && { pairingId: p.id, providerChainId: p.providerChainId, state };
        }),
      );
      return views.filter((x) => x !== null);
    },
    history: (v: ValidatorRef, args: PageArgs & { view?: 'PROVIDER_CRDT' | 'CONSUMER' | null; order?: 'ASC' | 'DESC' }, ctx: ApiContext) => historyConnection(ctx, v, args),
    crossStake: async (v: ValidatorRef, _: unknown, ctx: ApiContext) => {
      const { rows } = await ctx.sql.query(
        `SELECT coalesce(sum(cs.stake_low), 0)::text AS low, coalesce(sum(cs.stake_high), 0)::text AS high
           FROM cross_stakes cs JOIN pairings p ON p.provider_chain_id = cs.chain_id AND p.external_staking = cs.external_staking
          WHERE p.consumer_chain_id = $2 AND cs.validator = $1`,
        [v.address, v.chainId],
      );
      return rows[0];
    },
    virtualStake: async (v: ValidatorRef, _: unknown, ctx: ApiContext) => {
      // the latest bonded_after of each virtual-staking contract on this validator
      const { rows } = await ctx.sql.query(
        `SELECT coalesce(sum(bonded_after), 0)::text AS bonded FROM (
           SELECT DISTINCT ON (virtual_staking) bonded_after FROM virtual_stakes WHERE chain_id = $2 AND validator = $1 ORDER BY virtual_staking, height DESC, id DESC) x`,
        [v.address, v.chainId],
      );
      return rows[0].bonded as string;
    },
    localStake: async (v: ValidatorRef, _: unknown, ctx: ApiContext) => {
      const { rows } = await ctx.sql.query(`SELECT coalesce(sum(amount), 0)::text AS a FROM local_stakes WHERE chain_id = $2 AND validator = $1`, [v.address, v.chainId]);
      return rows[0].a as string;
    },
    slashes: (v: ValidatorRef, _: unknown, ctx: ApiContext) => ctx.prisma.slash.findMany({ where: { chainId: v.chainId, validator: v.address }, orderBy: [{ time: 'desc' }, { id: 'desc' }] }),
  },
  ValidatorStateChange: {
    view: (s: ValidatorState) => s.view.toUpperCase(),
    startTime: (s: ValidatorState) => isoOrNull(s.startTime),
    time: (s: ValidatorState) => iso(s.time),
  },
  ValidatorStateChangeConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
  ValidatorConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};

export const validatorModule: ApiModule = { name: 'validators', typeDefs: validatorTypeDefs, resolvers: validatorResolvers };
