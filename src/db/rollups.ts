// Rollup tables the database maintains itself: hourly and daily series for the dashboards (issue 5),
// kept in the `rollup` schema and updated by statement-level triggers with transition tables on their
// source tables. The triggers run inside the indexer's batch transaction, so a batch's rows and its
// rollup deltas commit (or roll back) together with the chain cursor: no double counting on a replay
// or a crash-resume, and no separate job.
//
// Per statement a trigger runs ONE grouped aggregate over the changed rows only (the transition
// tables) and adds it to the buckets with INSERT … ON CONFLICT DO UPDATE (x = x + delta): an INSERT
// adds the new rows, an UPDATE subtracts the old rows and adds the new ones (a merged IBC packet or
// slash can change its bucket or pairing), a DELETE subtracts. Buckets are never rescanned. A bucket
// whose measures all return to zero is deleted, so each table always equals the same GROUP BY over
// its source (src/db/rollups.test.ts checks exactly that).
//
// This module is pure: it defines the rollups and renders their DDL. `npx tsx src/db/rollups-gen.ts`
// writes it to src/db/rollups.sql (checked in, readable); src/db/analytics.ts installs it.

/** Bucket sizes every rollup keeps (bucket_size column); buckets start at UTC hour / day boundaries. */
export const BUCKET_SIZES = ['hour', 'day'] as const;
export type BucketSize = (typeof BUCKET_SIZES)[number];

/**
 * Upper edges (inclusive, milliseconds) of the packet latency histogram: bucket i counts latencies in
 * (edge[i-1], edge[i]], the first (0, 1 s], the last column everything above 30 min.
 */
export const LATENCY_EDGES_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000] as const;

const edgeName = (ms: number): string => (ms < 60_000 ? `${ms / 1000}s` : `${ms / 60_000}m`);
/** Column names of the histogram, in bucket order (the last is the overflow bucket). */
export const LATENCY_COLUMNS: readonly string[] = [...LATENCY_EDGES_MS.map((e) => `latency_le_${edgeName(e)}`), `latency_gt_${edgeName(LATENCY_EDGES_MS.at(-1)!)}`];

type SqlType = 'text' | 'bigint' | 'numeric(78,0)';

export interface RollupColumn {
  name: string;
  type: SqlType;
  comment: string;
}

/** A key column: `expr` over the source row `r`, never null (nullable sources coalesce to ''). */
export interface RollupKey extends RollupColumn {
  expr: string;
}

/**
 * One contribution of a source row: at time `time` (rows where it is null contribute nothing), when
 * `where` holds, the measures given (the others 0). A packet has two: its send and its completion.
 */
export interface RollupFacet {
  time: string;
  where?: string;
  measures: Record<string, string>;
}

/** A rollup maintained by signed deltas of its source rows. */
export interface DeltaRollup {
  table: string;
  source: string;
  comment: string;
  keys: RollupKey[];
  measures: RollupColumn[];
  facets: RollupFacet[];
  /**
   * Source rows both chains' indexers write (merged halves): the trigger takes a per-rollup advisory
   * lock before touching buckets, so two batch transactions never lock bucket rows in opposite orders
   * (an INSERT … ON CONFLICT fires an INSERT and an UPDATE trigger, each upserting its own buckets).
   */
  shared: boolean;
}

const count = (name: string, comment: string): RollupColumn => ({ name, type: 'bigint', comment });
const amount = (name: string, comment: string): RollupColumn => ({ name, type: 'numeric(78,0)', comment });
const text = (name: string, expr: string, comment: string): RollupKey => ({ name, type: 'text', expr, comment });
const when = (cond: string, value = '1', otherwise = '0'): string => `CASE WHEN ${cond} THEN ${value} ELSE ${otherwise} END`;

/** Delegation event kinds of external staking (the others, local_*, are native staking's). */
export const CROSS_KINDS = ['stake', 'unstake', 'burn', 'slash', 'internal_unstake', 'channel_close'] as const;
const crossKinds = CROSS_KINDS.map((k) => `'${k}'`).join(', ');

function latencyMeasures(): Record<string, string> {
  const out: Record<string, string> = {};
  LATENCY_EDGES_MS.forEach((edge, i) => {
    const lower = i === 0 ? 'r.latency_ms >= 0' : `r.latency_ms > ${LATENCY_EDGES_MS[i - 1]}`;
    out[LATENCY_COLUMNS[i]!] = when(`${lower} AND r.latency_ms <= ${edge}`);
  });
  out[LATENCY_COLUMNS.at(-1)!] = when(`r.latency_ms > ${LATENCY_EDGES_MS.at(-1)}`);
  return out;
}

export const DELTA_ROLLUPS: readonly DeltaRollup[] = [
  {
    table: 'collateral',
    source: 'lien_events',
    comment:
      'Vault collateral changes per bucket (from lien_events bond, unbond and slash). net_change is the change of the bonded collateral; the level at the end of a bucket is the running sum of net_change (mesh.collateral_series).',
    keys: [text('chain_id', 'r.chain_id', 'Provider chain.'), text('vault', 'r.vault', 'Vault contract.')],
    measures: [
      count('events', 'Collateral changes (bond, unbond, slash events).'),
      amount('bonded', 'Sum of bond amounts.'),
      amount('unbonded', 'Sum of unbond amounts.'),
      amount('slashed', 'Collateral taken by slashes.'),
      amount('net_change', 'bonded − unbonded − slashed: the change of the bonded collateral in this bucket.'),
    ],
    facets: [
      {
        time: 'r.time',
        where: "r.kind IN ('bond', 'unbond', 'slash')",
        measures: {
          events: '1',
          bonded: when("r.kind = 'bond'", 'r.amount'),
          unbonded: when("r.kind = 'unbond'", 'r.amount'),
          slashed: when("r.kind = 'slash'", 'r.amount'),
          net_change: when("r.kind = 'bond'", 'r.amount', '-r.amount'),
        },
      },
    ],
    shared: false,
  },
  {
    table: 'rewards',
    source: 'reward_events',
    comment: 'Reward events per bucket, by chain, contract, kind and denom (from reward_events).',
    keys: [
      text('chain_id', 'r.chain_id', 'Chain of the event.'),
      text('contract', 'r.contract', 'Contract that emitted it (external staking on the provider, converter or virtual staking on the consumer).'),
      text('kind', 'r.kind', 'reward_events.kind.'),
      text('denom', "coalesce(r.denom, '')", "Reward denom ('' when unknown)."),
    ],
    measures: [count('events', 'Reward events.'), amount('amount', 'Sum of their amounts.')],
    facets: [{ time: 'r.time', measures: { events: '1', amount: 'r.amount' } }],
    shared: false,
  },
  {
    table: 'slashes',
    source: 'slashes',
    comment:
      'Validator slashes per bucket of the slash time (the consumer half wins for cross slashes), by chain where the validator was slashed, kind and pairing (from slashes).',
    keys: [
      text('chain_id', 'r.chain_id', 'Chain where the validator was slashed.'),
      text('kind', 'r.kind', 'native | cross.'),
      text('pairing_id', "coalesce(r.pairing_id, '')", "Pairing of a cross slash ('' for native slashes or while unknown)."),
    ],
    measures: [
      count('slashes', 'Slashes.'),
      count('tombstoned', 'Of which tombstoning (double-sign).'),
      amount('consumer_amount', 'Sum of consumer_amount (consumer units; cross slashes).'),
      amount('provider_amount', 'Sum of provider_amount (provider units).'),
    ],
    facets: [
      {
        time: 'r.time',
        measures: {
          slashes: '1',
          tombstoned: when('r.tombstoned'),
          consumer_amount: 'coalesce(r.consumer_amount, 0)',
          provider_amount: 'coalesce(r.provider_amount, 0)',
        },
      },
    ],
    shared: true,
  },
  {
    table: 'packets',
    source: 'ibc_packets',
    comment:
      'IBC packets per bucket: sent counts at the send time; completions (acknowledgement or timeout), failures and latency at the completion time (ack_time or timeout_time). Latency: count, sum and a fixed histogram (edges in docs/sql.md) from which mesh.packet_series reads approximate p50/p99.',
    keys: [
      text('source_chain_id', 'r.source_chain_id', 'Chain that sent the packet.'),
      text('pairing_id', "coalesce(r.pairing_id, '')", "Pairing of the channel ('' while unknown)."),
      text('kind', 'r.kind', 'Packet kind (stake, unstake, …, unknown).'),
    ],
    measures: [
      count('sent', 'Packets sent in this bucket.'),
      count('completed', 'Packets acknowledged or timed out in this bucket.'),
      count('acknowledged', 'Of which acknowledged with a result.'),
      count('errors', 'Of which acknowledged with an error.'),
      count('timeouts', 'Of which timed out.'),
      count('latency_count', 'Completed packets with a known send time (latency_ms not null).'),
      count('latency_sum_ms', 'Sum of their latency_ms.'),
      ...LATENCY_COLUMNS.map((c, i) =>
        count(c, i < LATENCY_EDGES_MS.length ? `Latencies in (${i === 0 ? 0 : LATENCY_EDGES_MS[i - 1]}, ${LATENCY_EDGES_MS[i]}] ms.` : `Latencies above ${LATENCY_EDGES_MS.at(-1)} ms.`),
      ),
    ],
    facets: [
      { time: 'r.send_time', measures: { sent: '1' } },
      {
        time: 'coalesce(r.ack_time, r.timeout_time)',
        measures: {
          completed: '1',
          acknowledged: when("r.outcome = 'acknowledged'"),
          errors: when("r.outcome = 'error'"),
          timeouts: when("r.outcome = 'timed_out'"),
          latency_count: when('r.latency_ms IS NOT NULL'),
          latency_sum_ms: 'coalesce(r.latency_ms, 0)',
          ...latencyMeasures(),
        },
      },
    ],
    shared: true,
  },
];

/** The cross-stake rollup's measures (delegation_events of external staking; see crossStakeSql). */
export const CROSS_STAKE_MEASURES: readonly RollupColumn[] = [
  count('events', 'External-staking delegation events (any status).'),
  amount('staked', 'Committed stakes (kind stake, status committed).'),
  amount('unstaked', 'Committed unstakes, internal unstakes and channel-close unbonds.'),
  amount('burned', 'Burns.'),
  amount('slashed', 'Slashes (stake cut plus pending-unbond cut, as the event reports it).'),
  amount('stake_low_change', 'Change of the summed stake ranges’ low ends (committed minus pending unstakes).'),
  amount('stake_high_change', 'Change of the summed stake ranges’ high ends (committed plus pending stakes).'),
];

// ---- rendering --------------------------------------------------------------------------------

const SIZES_SQL = `(VALUES ${BUCKET_SIZES.map((s) => `('${s}')`).join(', ')}) AS s(size)`;
const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function tableDdl(name: string, comment: string, keys: readonly RollupColumn[], measures: readonly RollupColumn[]): string {
  const cols = [
    `  bucket_size text NOT NULL CHECK (bucket_size IN (${BUCKET_SIZES.map(q).join(', ')}))`,
    '  bucket_start timestamptz NOT NULL',
    ...keys.map((k) => `  ${k.name} ${k.type} NOT NULL`),
    ...measures.map((m) => `  ${m.name} ${m.type} NOT NULL DEFAULT 0`),
    `  PRIMARY KEY (bucket_size, ${keys.map((k) => k.name).join(', ')}, bucket_start)`,
  ];
  return [
    `CREATE TABLE rollup.${name} (\n${cols.join(',\n')}\n);`,
    `COMMENT ON TABLE rollup.${name} IS ${q(comment)};`,
    `COMMENT ON COLUMN rollup.${name}.bucket_size IS ${q(`${BUCKET_SIZES.join(' | ')}`)};`,
    `COMMENT ON COLUMN rollup.${name}.bucket_start IS 'Start of the bucket (UTC hour or day boundary).';`,
    ...[...keys, ...measures].map((c) => `COMMENT ON COLUMN rollup.${name}.${c.name} IS ${q(c.comment)};`),
  ].join('\n');
}

/** Rows of `changes` (a relation with a `_sign` column and the source's columns, aliased r) → facet rows. */
function projection(r: DeltaRollup, changes: string): string {
  return r.facets
    .map((f) => {
      const cols = [
        'r._sign',
        `${f.time} AS _t`,
        ...r.keys.map((k) => `${k.expr} AS ${k.name}`),
        ...r.measures.map((m) => `${f.measures[m.name] ?? '0'} AS ${m.name}`),
      ];
      const where = [`${f.time} IS NOT NULL`, ...(f.where ? [f.where] : [])].join(' AND ');
      return `SELECT ${cols.join(', ')}\n        FROM (${changes}) r\n       WHERE ${where}`;
    })
    .join('\n      UNION ALL\n      ');
}

/** The one statement that adds the signed deltas of `changes` to the buckets. */
function upsert(r: DeltaRollup, changes: string, returningZeros: boolean): string {
  const keys = r.keys.map((k) => k.name);
  const sums = r.measures.map((m) => `sum(p._sign * p.${m.name})::${m.type}`);
  const pk = ['bucket_size', ...keys, 'bucket_start'];
  const lines = [
    `INSERT INTO rollup.${r.table} AS x (bucket_size, bucket_start, ${keys.join(', ')}, ${r.measures.map((m) => m.name).join(', ')})`,
    `    SELECT s.size, date_trunc(s.size, p._t, 'UTC'), ${keys.map((k) => `p.${k}`).join(', ')},`,
    `           ${sums.join(',\n           ')}`,
    `      FROM (\n      ${projection(r, changes)}\n      ) p CROSS JOIN ${SIZES_SQL}`,
    `     GROUP BY 1, 2, ${keys.map((k) => `p.${k}`).join(', ')}`,
    `    HAVING ${sums.map((s) => `${s} <> 0`).join(' OR ')}`,
    // the primary key's order: concurrent writers lock bucket rows in one order
    `     ORDER BY 1, ${keys.map((_, i) => i + 3).join(', ')}, 2`,
    `    ON CONFLICT (${pk.join(', ')}) DO UPDATE SET ${r.measures.map((m) => `${m.name} = x.${m.name} + EXCLUDED.${m.name}`).join(', ')}`,
  ];
  if (returningZeros) lines.push(`    RETURNING x.ctid AS c, (${r.measures.map((m) => `x.${m.name} = 0`).join(' AND ')}) AS zero`);
  return lines.join('\n');
}

function lock(r: DeltaRollup): string {
  return r.shared ? `\n  PERFORM pg_advisory_xact_lock(hashtextextended('rollup.${r.table}', 0));` : '';
}

function deltaFunctions(r: DeltaRollup): string {
  const fn = (suffix: string, guard: string, changes: string, subtracts: boolean): string => {
    const body = subtracts
      ? `  WITH up AS (\n  ${upsert(r, changes, true).replace(/\n/g, '\n  ')}\n  )\n  SELECT array_agg(c) FILTER (WHERE zero) INTO zeros FROM up;\n  -- buckets every row has left\n  IF zeros IS NOT NULL THEN\n    DELETE FROM rollup.${r.table} WHERE ctid = ANY (zeros);\n  END IF;`
      : `  ${upsert(r, changes, false)};`;
    return `CREATE FUNCTION rollup.${r.table}_${suffix}() RETURNS trigger LANGUAGE plpgsql AS $fn$
${subtracts ? 'DECLARE\n  zeros tid[];\n' : ''}BEGIN
  IF NOT EXISTS (SELECT 1 FROM ${guard}) THEN
    RETURN NULL;
  END IF;${lock(r)}
${body}
  RETURN NULL;
END
$fn$;`;
  };
  return [
    fn('ins', 'n', 'SELECT 1 AS _sign, n.* FROM n', false),
    fn('upd', 'n', 'SELECT -1 AS _sign, o.* FROM o UNION ALL SELECT 1, n.* FROM n', true),
    fn('del', 'o', 'SELECT -1 AS _sign, o.* FROM o', true),
    `CREATE FUNCTION rollup.${r.table}_trunc() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE rollup.${r.table};
  RETURN NULL;
END
$fn$;`,
    `CREATE FUNCTION rollup.${r.table}_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE rollup.${r.table};
  ${upsert(r, `SELECT 1 AS _sign, src.* FROM ${r.source} src`, false)};
END
$fn$;`,
    `COMMENT ON FUNCTION rollup.${r.table}_rebuild() IS ${q(`Recomputes rollup.${r.table} from ${r.source}.`)};`,
  ].join('\n\n');
}

function triggers(table: string, source: string): string {
  return [
    `CREATE TRIGGER rollup_${table}_ins AFTER INSERT ON ${source} REFERENCING NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION rollup.${table}_ins();`,
    `CREATE TRIGGER rollup_${table}_upd AFTER UPDATE ON ${source} REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT EXECUTE FUNCTION rollup.${table}_upd();`,
    `CREATE TRIGGER rollup_${table}_del AFTER DELETE ON ${source} REFERENCING OLD TABLE AS o FOR EACH STATEMENT EXECUTE FUNCTION rollup.${table}_del();`,
    `CREATE TRIGGER rollup_${table}_trunc AFTER TRUNCATE ON ${source} FOR EACH STATEMENT EXECUTE FUNCTION rollup.${table}_trunc();`,
  ].join('\n');
}

// ---- cross stake: level changes from the stake ranges after each event ---------------------------
//
// A delegation event carries the stake range of its (staker, validator) after the event
// (stake_low_after, stake_high_after), not its change: a cross slash's amount also includes what it
// cut from pending unbondings, and saturating rollbacks move less than their amount. The change of an
// event is its range minus the range after the previous event of the same stake, so the rollup keeps
// the last range per stake in rollup.cross_stake_last (one primary-key lookup per changed stake,
// no history scan). The indexer appends events in chain order; an event older than the last one seen
// for its stake (or any UPDATE / DELETE of delegation_events, which the indexer never does) makes the
// trigger recompute the affected chains from delegation_events instead.

const CROSS_KEY = ['chain_id', 'contract', 'staker', 'validator'] as const;
const CROSS_FILTER = (a: string): string => `${a}.kind IN (${crossKinds})`;
/** Order of events within a chain: height, then the position rowId (src/indexer/route.ts) encodes. */
const ORDER = 'e.height, e.pos, e.id';

/**
 * The position of row `a` within its block, from its rowId (src/indexer/route.ts:
 * <chain>/<height>/<tx index | begin | end>/<msg index | ->/<event index>[/suffix]): (tx index with
 * begin first and end last, msg index, event index). Needs `positionFrom(a)` in the FROM clause. Plain
 * SQL rather than a function: it runs for every changed row, and a SQL function with a FROM is not
 * inlined (a call per row costs ~20 µs).
 */
const positionFrom = (a: string): string =>
  // OFFSET 0 keeps the split once per row (flattened, each use of p would split the id again)
  `CROSS JOIN LATERAL (SELECT string_to_array(substr(${a}.id, length(${a}.chain_id) + length(${a}.height::text) + 3), '/') AS p OFFSET 0) ${a}_id`;
const digits = (x: string): string => when(`${x} ~ '^[0-9]{1,9}$'`, `${x}::integer`, '-1');
const position = (a: string): string =>
  `CASE WHEN starts_with(${a}.id, ${a}.chain_id || '/' || ${a}.height || '/') THEN ARRAY[CASE ${a}_id.p[1] WHEN 'begin' THEN -1 WHEN 'end' THEN 2147483647 ELSE ${digits(`${a}_id.p[1]`)} END, ${digits(`${a}_id.p[2]`)}, ${digits(`${a}_id.p[3]`)}] ELSE ARRAY[]::integer[] END`;

/**
 * The cross stake statement over `events` (rows shaped like delegation_events). With the state (the
 * trigger): changes start from rollup.cross_stake_last, and the statement answers whether any stake's
 * first new event is not after its last one seen (`stale`), in which case it writes nothing. Without
 * (a rebuild): changes start from zero, and the statement writes.
 */
function crossStakeStatement(events: string, withState: boolean): string {
  const key = CROSS_KEY.map((k) => `e.${k}`).join(', ');
  const prev = (col: 'low' | 'high'): string => `coalesce(lag(e.stake_${col}_after) OVER w, ${withState ? `l.stake_${col}` : '0'}, 0)`;
  const flows = CROSS_STAKE_MEASURES.slice(1, 5).map((m) => `sum(d.${m.name})::numeric(78,0)`);
  const measures = CROSS_STAKE_MEASURES.map((m) => m.name);
  const unlessStale = withState ? ' AND NOT (SELECT stale FROM flag)' : '';
  const state = `INSERT INTO rollup.cross_stake_last AS l (${CROSS_KEY.join(', ')}, height, pos, id, stake_low, stake_high)
    SELECT ${CROSS_KEY.join(', ')}, height, pos, id, stake_low_after, stake_high_after
      FROM d WHERE nth_last = 1 AND validator IS NOT NULL AND stake_low_after IS NOT NULL AND stake_high_after IS NOT NULL${unlessStale}
     ORDER BY ${CROSS_KEY.join(', ')}
    ON CONFLICT (${CROSS_KEY.join(', ')}) DO UPDATE
      SET height = EXCLUDED.height, pos = EXCLUDED.pos, id = EXCLUDED.id, stake_low = EXCLUDED.stake_low, stake_high = EXCLUDED.stake_high`;
  const buckets = `INSERT INTO rollup.cross_stake AS x (bucket_size, bucket_start, chain_id, contract, ${measures.join(', ')})
    SELECT s.size, date_trunc(s.size, d.time, 'UTC'), d.chain_id, d.contract,
           count(*), ${flows.join(', ')},
           sum(d.stake_low_change)::numeric(78,0), sum(d.stake_high_change)::numeric(78,0)
      FROM d CROSS JOIN ${SIZES_SQL}
     WHERE true${unlessStale}
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 3, 4, 2
    ON CONFLICT (bucket_size, chain_id, contract, bucket_start) DO UPDATE SET ${measures.map((m) => `${m} = x.${m} + EXCLUDED.${m}`).join(', ')}`;
  const head = `WITH e AS (
    SELECT ev.chain_id, ev.contract, ev.staker, ev.validator, ev.kind, ev.status, ev.amount, ev.time, ev.height, ev.id,
           ${position('ev')} AS pos, ev.stake_low_after, ev.stake_high_after
      FROM (${events}) ev ${positionFrom('ev')}
     WHERE ${CROSS_FILTER('ev')}
  ), d AS (
    SELECT e.*,
           ${when("e.kind = 'stake' AND e.status = 'committed'", 'e.amount')} AS staked,
           ${when("(e.kind = 'unstake' AND e.status = 'committed') OR e.kind IN ('internal_unstake', 'channel_close')", 'e.amount')} AS unstaked,
           ${when("e.kind = 'burn'", 'e.amount')} AS burned,
           ${when("e.kind = 'slash'", 'e.amount')} AS slashed,
           ${when('e.stake_low_after IS NOT NULL', `e.stake_low_after - ${prev('low')}`)} AS stake_low_change,
           ${when('e.stake_high_after IS NOT NULL', `e.stake_high_after - ${prev('high')}`)} AS stake_high_change,
           row_number() OVER (PARTITION BY ${key} ORDER BY e.height DESC, e.pos DESC, e.id DESC) AS nth_last${
             withState ? `,
           (lag(e.id) OVER w IS NULL AND l.id IS NOT NULL AND (e.height, e.pos, e.id) <= (l.height, l.pos, l.id)) AS stale` : ''
           }
      FROM e${withState ? `
      LEFT JOIN rollup.cross_stake_last l USING (${CROSS_KEY.join(', ')})` : ''}
    WINDOW w AS (PARTITION BY ${key} ORDER BY ${ORDER})
  )`;
  if (!withState) return `${head}, last AS (
    ${state}
  )
  ${buckets}`;
  return `${head}, flag AS (
    SELECT coalesce(bool_or(d.stale), false) AS stale FROM d
  ), last AS (
    ${state}
  ), up AS (
    ${buckets}
  )
  SELECT flag.stale INTO out_of_order FROM flag`;
}

function crossStakeSql(): string {
  const keys = [text('chain_id', '', 'Provider chain.'), text('contract', '', 'External staking contract (one per pairing; mesh views name the pairing).')];
  return [
    tableDdl(
      'cross_stake',
      'Cross stakes per bucket and external staking contract (from delegation_events of kinds stake, unstake, burn, slash, internal_unstake, channel_close): flows and the change of the summed stake ranges; the level at the end of a bucket is the running sum of the changes (mesh.cross_stake_series).',
      keys,
      CROSS_STAKE_MEASURES,
    ),
    `CREATE TABLE rollup.cross_stake_last (
  chain_id text NOT NULL,
  contract text NOT NULL,
  staker text NOT NULL,
  validator text NOT NULL,
  height integer NOT NULL,
  pos integer[] NOT NULL,
  id text NOT NULL,
  stake_low numeric(78,0) NOT NULL,
  stake_high numeric(78,0) NOT NULL,
  PRIMARY KEY (chain_id, contract, staker, validator)
) WITH (fillfactor = 50);
COMMENT ON TABLE rollup.cross_stake_last IS 'Trigger state of rollup.cross_stake: the stake range after the last delegation event of each cross stake.';
-- every batch rewrites the rows of the stakes it touches: room on each page keeps those updates HOT
-- (no new index entries), so the table and its index do not bloat between vacuums`,
    `CREATE FUNCTION rollup.cross_stake_rebuild(chains text[] DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM rollup.cross_stake WHERE chains IS NULL OR chain_id = ANY (chains);
  DELETE FROM rollup.cross_stake_last WHERE chains IS NULL OR chain_id = ANY (chains);
  ${crossStakeStatement('SELECT * FROM delegation_events WHERE chains IS NULL OR chain_id = ANY (chains)', false)};
END
$fn$;
COMMENT ON FUNCTION rollup.cross_stake_rebuild(text[]) IS 'Recomputes rollup.cross_stake (and its state) from delegation_events, for the chains given or all.';`,
    `CREATE FUNCTION rollup.cross_stake_ins() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  out_of_order boolean;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM n WHERE ${CROSS_FILTER('n')}) THEN
    RETURN NULL;
  END IF;
  ${crossStakeStatement('SELECT * FROM n', true)};
  IF out_of_order THEN
    -- not appended in chain order (nothing was written): recompute those chains
    PERFORM rollup.cross_stake_rebuild(ARRAY(SELECT DISTINCT chain_id FROM n));
  END IF;
  RETURN NULL;
END
$fn$;`,
    `CREATE FUNCTION rollup.cross_stake_upd() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM n) THEN
    PERFORM rollup.cross_stake_rebuild(ARRAY(SELECT chain_id FROM o UNION SELECT chain_id FROM n));
  END IF;
  RETURN NULL;
END
$fn$;`,
    `CREATE FUNCTION rollup.cross_stake_del() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM o) THEN
    PERFORM rollup.cross_stake_rebuild(ARRAY(SELECT DISTINCT chain_id FROM o));
  END IF;
  RETURN NULL;
END
$fn$;`,
    `CREATE FUNCTION rollup.cross_stake_trunc() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE rollup.cross_stake, rollup.cross_stake_last;
  RETURN NULL;
END
$fn$;`,
  ].join('\n\n');
}

/** Source table of every rollup table (the cross-stake state table has none of its own). */
export const ROLLUP_SOURCES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(DELTA_ROLLUPS.map((r) => [r.table, r.source])),
  cross_stake: 'delegation_events',
};

/** Names of the triggers the script creates, per source table (the installer checks they exist). */
export function rollupTriggerNames(): string[] {
  return Object.keys(ROLLUP_SOURCES).flatMap((t) => ['ins', 'upd', 'del', 'trunc'].map((op) => `rollup_${t}_${op}`));
}

/**
 * The whole DDL: schema, tables, functions, triggers and rollup.rebuild(). Run on a database without
 * the `rollup` schema (src/db/analytics.ts drops an outdated one first), then rollup.rebuild().
 */
export function renderRollupsSql(): string {
  const header = `-- GENERATED by \`npx tsx src/db/rollups-gen.ts\` from src/db/rollups.ts: do not edit.
-- Rollup tables maintained by statement-level triggers (transition tables) on their sources; see
-- docs/sql.md ("Rollups") for the design. Installed by src/db/analytics.ts (called by migrate()).`;
  const rebuild = `CREATE FUNCTION rollup.rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
${[...DELTA_ROLLUPS.map((r) => `  PERFORM rollup.${r.table}_rebuild();`), '  PERFORM rollup.cross_stake_rebuild();'].join('\n')}
END
$fn$;
COMMENT ON FUNCTION rollup.rebuild() IS 'Recomputes every rollup table from its source tables (run by the installer after creating them).';`;
  return [
    header,
    `CREATE SCHEMA rollup;`,
    ...DELTA_ROLLUPS.flatMap((r) => [`-- ---- rollup.${r.table} (from ${r.source}) ----`, tableDdl(r.table, r.comment, r.keys, r.measures), deltaFunctions(r), triggers(r.table, r.source)]),
    '-- ---- rollup.cross_stake (from delegation_events) ----',
    crossStakeSql(),
    triggers('cross_stake', 'delegation_events'),
    rebuild,
  ].join('\n\n') + '\n';
}
