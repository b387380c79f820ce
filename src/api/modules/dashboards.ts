// Dashboards (issue 5): hourly and daily series of bonded collateral, cross stake per pairing, rewards,
// slashes, and packet latency and failure rate, read from the rollup tables the database maintains
// while the indexer writes (docs/sql.md "Rollups"), not computed from the histories per request.
import type { ApiContext } from '../context.ts';
import { badInput } from '../errors.ts';
import type { ApiModule } from '../schema/module.ts';
import { BUCKET_MS, type BucketSize, bucketRange, parseBounds } from './dashboards-range.ts';
import { type SeriesMetric, extentSql, seriesSql } from './dashboards-sql.ts';

export const dashboardsTypeDefs = /* GraphQL */ `
  enum SeriesMetric {
    "Bonded vault collateral per provider chain: level at the end of each bucket, bonded / unbonded / slashed in it."
    BONDED_COLLATERAL
    "Cross stake per pairing (provider units): summed stake ranges at the end of each bucket, committed stakes / unstakes and slashes in it."
    CROSS_STAKE
    "Rewards per chain, pairing and denom: the amounts of the reward events of kind rewardKind in each bucket."
    REWARDS
    "Slashes per chain where the validator was slashed and pairing: count and provider amount in each bucket."
    SLASHES
    "IBC packets per source chain and pairing: sent; completed (acknowledged or timed out), failed, failure rate and latency by completion time."
    PACKETS
  }

  enum Bucket {
    HOUR
    DAY
  }

  """
  One bucket of one series. Which fields a metric fills is said on each; the others are null. Amounts
  are exact decimal strings.
  """
  type SeriesPoint {
    "Start of the bucket (ISO-8601, UTC hour or day boundary)."
    time: String!
    "End of the bucket (exclusive)."
    endTime: String!
    "The series' chain: provider chain (BONDED_COLLATERAL, CROSS_STAKE), chain of the events (REWARDS), chain slashed (SLASHES), source chain (PACKETS)."
    chainId: String!
    "The series' pairing (CROSS_STAKE, REWARDS, SLASHES, PACKETS; null when not linked to one)."
    pairingId: String
    "REWARDS: the denom."
    denom: String
    "Events in the bucket: collateral or cross stake changes, reward events, slashes, completed packets."
    count: Int!
    "BONDED_COLLATERAL: collateral at the end of the bucket. CROSS_STAKE: summed cross stakes at the end of the bucket, high end (with pending stakes)."
    level: String
    "CROSS_STAKE: the same, low end (pending unstakes applied). BONDED_COLLATERAL: equals level."
    levelLow: String
    "BONDED_COLLATERAL: bonded. CROSS_STAKE: committed stakes."
    inflow: String
    "BONDED_COLLATERAL: unbonded. CROSS_STAKE: committed unstakes, internal unstakes and channel-close unbonds."
    outflow: String
    "BONDED_COLLATERAL: collateral slashed. CROSS_STAKE: slashed and burned (a slash counts its cut of pending unbondings too)."
    slashed: String
    "REWARDS: sum of the amounts. SLASHES: sum of the provider amounts."
    amount: String
    "PACKETS: packets sent in the bucket."
    sent: Int
    "PACKETS: completions that are an error acknowledgement or a timeout."
    failed: Int
    "PACKETS: failed / completed (null without completions)."
    failureRate: Float
    "PACKETS: mean latency (send to acknowledgement or timeout), milliseconds."
    latencyAvgMs: Float
    "PACKETS: approximate median latency from the fixed histogram (docs/sql.md), milliseconds."
    latencyP50Ms: Int
    "PACKETS: approximate 99th percentile latency, milliseconds."
    latencyP99Ms: Int
  }

  extend type Query {
    """
    Series read from the rollup tables, one point per bucket of [from, to) for each series the
    filters leave (ordered by chain, pairing, denom, then time); buckets without events are filled in.
    \`from\` defaults to the first bucket with data (at most 1000 buckets back), \`to\` to the end of
    the last; a range of more than 1000 buckets is BAD_USER_INPUT. An unknown chain or pairing gives
    an empty list. rewardKind (REWARDS only): distribution (default), withdrawal, withdrawal_committed,
    withdrawal_rolled_back, consumer_distribution or consumer_payout.
    """
    series(
      metric: SeriesMetric!
      bucket: Bucket! = HOUR
      from: String
      to: String
      pairingId: String
      chainId: String
      rewardKind: String
    ): [SeriesPoint!]!
  }
`;

const REWARD_KINDS = new Set(['distribution', 'withdrawal', 'withdrawal_committed', 'withdrawal_rolled_back', 'consumer_distribution', 'consumer_payout']);
const MAX_ID = 300;

/** Fields each metric fills (null in a bucket without a row → '0'). */
const FILLED: Record<SeriesMetric, readonly ('inflow' | 'outflow' | 'slashed' | 'amount' | 'level' | 'levelLow' | 'sent' | 'failed')[]> = {
  BONDED_COLLATERAL: ['inflow', 'outflow', 'slashed', 'level', 'levelLow'],
  CROSS_STAKE: ['inflow', 'outflow', 'slashed', 'level', 'levelLow'],
  REWARDS: ['amount'],
  SLASHES: ['amount'],
  PACKETS: ['sent', 'failed'],
};

interface SeriesArgs {
  metric: SeriesMetric;
  bucket: 'HOUR' | 'DAY';
  from?: string | null;
  to?: string | null;
  pairingId?: string | null;
  chainId?: string | null;
  rewardKind?: string | null;
}

interface Row {
  chain_id: string;
  pairing_id: string | null;
  denom: string | null;
  t: Date;
  count: string;
  inflow: string | null;
  outflow: string | null;
  slashed: string | null;
  amount: string | null;
  level: string | null;
  level_low: string | null;
  sent: string | null;
  failed: string | null;
  latency_count: string | null;
  latency_sum_ms: string | null;
  p50: string | null;
  p99: string | null;
}

function id(value: string | null | undefined, argument: string): string | null {
  if (value == null) return null;
  if (value.length === 0 || value.length > MAX_ID || /\s/.test(value)) throw badInput(`"${argument}" is not an id`, argument);
  return value;
}

async function series(ctx: ApiContext, a: SeriesArgs) {
  const size: BucketSize = a.bucket === 'DAY' ? 'day' : 'hour';
  const bounds = parseBounds(a.from, a.to);
  const chainId = id(a.chainId, 'chainId');
  const pairingId = id(a.pairingId, 'pairingId');
  if (pairingId !== null && a.metric === 'BONDED_COLLATERAL') throw badInput('BONDED_COLLATERAL is per provider chain, not per pairing: filter by chainId', 'pairingId');
  if (a.rewardKind != null && a.metric !== 'REWARDS') throw badInput('"rewardKind" applies to REWARDS only', 'rewardKind');
  const rewardKind = a.metric === 'REWARDS' ? (a.rewardKind ?? 'distribution') : null;
  if (rewardKind !== null && !REWARD_KINDS.has(rewardKind)) throw badInput(`"rewardKind" must be one of ${[...REWARD_KINDS].join(', ')}`, 'rewardKind');

  const params = [size, chainId, pairingId, rewardKind];
  let data = { first: null as Date | null, last: null as Date | null };
  if (!bounds.from || !bounds.to) data = (await ctx.sql.query<{ first: Date | null; last: Date | null }>(extentSql(a.metric), params)).rows[0]!;
  const range = bucketRange(size, bounds, data);
  if (!range) return [];
  const step = BUCKET_MS[size];
  const { rows } = await ctx.sql.query<Row>(seriesSql(a.metric), [...params, range.from.getTime() / 1000, step / 1000, range.buckets]);
  const filled = new Set(FILLED[a.metric]);
  const num = (v: string | null): number | null => (v === null ? null : Number(v));
  return rows.map((r) => {
    const value = (field: (typeof FILLED)[SeriesMetric][number], v: string | null) => (filled.has(field) ? (v ?? '0') : null);
    const completed = Number(r.count);
    const failed = value('failed', r.failed);
    const latencyCount = Number(r.latency_count ?? 0);
    return {
      time: r.t.toISOString(),
      endTime: new Date(r.t.getTime() + step).toISOString(),
      chainId: r.chain_id,
      pairingId: r.pairing_id,
      denom: r.denom,
      count: completed,
      level: value('level', r.level),
      levelLow: value('levelLow', r.level_low),
      inflow: value('inflow', r.inflow),
      outflow: value('outflow', r.outflow),
      slashed: value('slashed', r.slashed),
      amount: value('amount', r.amount),
      sent: num(value('sent', r.sent)),
      failed: num(failed),
      failureRate: a.metric === 'PACKETS' && completed > 0 ? Number(failed) / completed : null,
      latencyAvgMs: latencyCount > 0 ? Number(r.latency_sum_ms) / latencyCount : null,
      latencyP50Ms: num(r.p50),
      latencyP99Ms: num(r.p99),
    };
  });
}

export const dashboardsModule: ApiModule = {
  name: 'dashboards',
  typeDefs: dashboardsTypeDefs,
  resolvers: {
    Query: {
      series: (_: unknown, args: SeriesArgs, ctx: ApiContext) => series(ctx, args),
    },
  },
};
