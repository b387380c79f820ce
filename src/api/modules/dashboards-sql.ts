// SQL of the dashboard series: read from the rollup tables the database maintains (src/db/rollups.ts,
// docs/sql.md "Rollups"), never from the history tables. One series per group (chain, pairing, denom),
// one point per bucket of the range: buckets without a rollup row are filled in (flows 0, levels
// carried), and levels are running sums of the bucket changes including those before the range.
//
// Parameters of every statement: $1 bucket size ('hour' | 'day'), $2 chain id or null, $3 pairing id or
// null, $4 reward kind (REWARDS); the series statement adds $5 the range start (epoch seconds), $6 the
// bucket length in seconds and $7 the number of buckets.

export type SeriesMetric = 'BONDED_COLLATERAL' | 'CROSS_STAKE' | 'REWARDS' | 'SLASHES' | 'PACKETS';

/** Columns every metric's bucket query yields (null where the metric has no such measure). */
const MEASURES = ['count', 'inflow', 'outflow', 'slashed', 'amount', 'change_low', 'change_high', 'sent', 'failed', 'latency_count', 'latency_sum_ms', 'hist'] as const;

interface MetricSql {
  /** Per (chain_id, pairing_id, denom, t): the bucket's measures, as MEASURES name them. */
  buckets: string;
  /** Levels (running sums of change_low / change_high) need the buckets before the range. */
  levels: boolean;
}

const LATENCY_HIST = `ARRAY[sum(r.latency_le_1s), sum(r.latency_le_2s), sum(r.latency_le_5s), sum(r.latency_le_10s), sum(r.latency_le_20s), sum(r.latency_le_30s),
                sum(r.latency_le_1m), sum(r.latency_le_2m), sum(r.latency_le_5m), sum(r.latency_le_10m), sum(r.latency_le_30m), sum(r.latency_gt_30m)]::bigint[]`;

function select(cols: Partial<Record<(typeof MEASURES)[number], string>>): string {
  return MEASURES.map((m) => `${cols[m] ?? (m === 'hist' ? 'NULL::bigint[]' : 'NULL::numeric')} AS ${m}`).join(', ');
}

const METRICS: Record<SeriesMetric, MetricSql> = {
  BONDED_COLLATERAL: {
    levels: true,
    buckets: `
      SELECT r.chain_id, NULL::text AS pairing_id, NULL::text AS denom, r.bucket_start AS t,
             ${select({ count: 'sum(r.events)', inflow: 'sum(r.bonded)', outflow: 'sum(r.unbonded)', slashed: 'sum(r.slashed)', change_low: 'sum(r.net_change)', change_high: 'sum(r.net_change)' })}
        FROM rollup.collateral r
       WHERE r.bucket_size = $1 AND ($2::text IS NULL OR r.chain_id = $2) AND $3::text IS NULL AND $4::text IS NULL
       GROUP BY 1, 2, 3, 4`,
  },
  CROSS_STAKE: {
    levels: true,
    buckets: `
      SELECT r.chain_id, p.id AS pairing_id, NULL::text AS denom, r.bucket_start AS t,
             ${select({ count: 'sum(r.events)', inflow: 'sum(r.staked)', outflow: 'sum(r.unstaked)', slashed: 'sum(r.slashed + r.burned)', change_low: 'sum(r.stake_low_change)', change_high: 'sum(r.stake_high_change)' })}
        FROM rollup.cross_stake r
        LEFT JOIN pairings p ON p.provider_chain_id = r.chain_id AND p.external_staking = r.contract
       WHERE r.bucket_size = $1 AND ($2::text IS NULL OR r.chain_id = $2) AND ($3::text IS NULL OR p.id = $3) AND $4::text IS NULL
       GROUP BY 1, 2, 3, 4`,
  },
  REWARDS: {
    levels: false,
    buckets: `
      SELECT r.chain_id, pc.pairing_id, nullif(r.denom, '') AS denom, r.bucket_start AS t,
             ${select({ count: 'sum(r.events)', amount: 'sum(r.amount)' })}
        FROM rollup.rewards r
        LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = r.chain_id AND pc.contract = r.contract
       WHERE r.bucket_size = $1 AND ($2::text IS NULL OR r.chain_id = $2) AND ($3::text IS NULL OR pc.pairing_id = $3) AND r.kind = $4
       GROUP BY 1, 2, 3, 4`,
  },
  SLASHES: {
    levels: false,
    buckets: `
      SELECT r.chain_id, nullif(r.pairing_id, '') AS pairing_id, NULL::text AS denom, r.bucket_start AS t,
             ${select({ count: 'sum(r.slashes)', amount: 'sum(r.provider_amount)' })}
        FROM rollup.slashes r
       WHERE r.bucket_size = $1 AND ($2::text IS NULL OR r.chain_id = $2) AND ($3::text IS NULL OR r.pairing_id = $3) AND $4::text IS NULL
       GROUP BY 1, 2, 3, 4`,
  },
  PACKETS: {
    levels: false,
    buckets: `
      SELECT r.source_chain_id AS chain_id, nullif(r.pairing_id, '') AS pairing_id, NULL::text AS denom, r.bucket_start AS t,
             ${select({ count: 'sum(r.completed)', sent: 'sum(r.sent)', failed: 'sum(r.errors + r.timeouts)', latency_count: 'sum(r.latency_count)', latency_sum_ms: 'sum(r.latency_sum_ms)', hist: LATENCY_HIST })}
        FROM rollup.packets r
       WHERE r.bucket_size = $1 AND ($2::text IS NULL OR r.source_chain_id = $2) AND ($3::text IS NULL OR r.pairing_id = $3) AND $4::text IS NULL
       GROUP BY 1, 2, 3, 4`,
  },
};

/** First and last bucket with data for the filters (to default the range). Parameters $1–$4. */
export function extentSql(metric: SeriesMetric): string {
  return `SELECT min(d.t) AS first, max(d.t) AS last FROM (${METRICS[metric].buckets}) d`;
}

/** One row per group and bucket of the range, ordered by group then time. Parameters $1–$7. */
export function seriesSql(metric: SeriesMetric): string {
  const m = METRICS[metric];
  const key = 'chain_id, pairing_id, denom';
  const same = ['chain_id', 'pairing_id', 'denom'].map((c) => `d.${c} IS NOT DISTINCT FROM f.${c}`).join(' AND ');
  return `
    WITH d AS (${m.buckets}),
    range AS (SELECT to_timestamp($5::bigint) AS from_t, to_timestamp($5::bigint + $6::bigint * $7::int) AS to_t),
    grid AS (SELECT to_timestamp($5::bigint + $6::bigint * i) AS t FROM generate_series(0, $7::int - 1) AS i),
    groups AS (SELECT DISTINCT ${key} FROM d, range WHERE d.t < range.to_t${m.levels ? '' : ' AND d.t >= range.from_t'}),
    f AS (
      SELECT g.chain_id, g.pairing_id, g.denom, grid.t FROM groups g CROSS JOIN grid${
        m.levels
          ? `
      UNION ALL
      -- buckets before the range: only their changes count, towards the levels
      SELECT d.chain_id, d.pairing_id, d.denom, d.t FROM d, range WHERE d.t < range.from_t`
          : ''
      }
    ),
    p AS (
      SELECT f.chain_id, f.pairing_id, f.denom, f.t, ${MEASURES.map((c) => `d.${c}`).join(', ')},
             sum(coalesce(d.change_low, 0)) OVER w AS level_low,
             sum(coalesce(d.change_high, 0)) OVER w AS level
        FROM f LEFT JOIN d ON d.t = f.t AND ${same}
      WINDOW w AS (PARTITION BY f.chain_id, f.pairing_id, f.denom ORDER BY f.t)
    )
    SELECT p.chain_id, p.pairing_id, p.denom, p.t,
           coalesce(p.count, 0)::text AS count, p.inflow::text, p.outflow::text, p.slashed::text, p.amount::text,
           p.level::text, p.level_low::text, p.sent::text, p.failed::text, p.latency_count::text, p.latency_sum_ms::text,
           CASE WHEN p.hist IS NOT NULL THEN mesh.latency_quantile(p.hist, 0.5::float8) END AS p50,
           CASE WHEN p.hist IS NOT NULL THEN mesh.latency_quantile(p.hist, 0.99::float8) END AS p99
      FROM p, range
     WHERE p.t >= range.from_t
     ORDER BY p.chain_id, p.pairing_id NULLS FIRST, p.denom NULLS FIRST, p.t`;
}
