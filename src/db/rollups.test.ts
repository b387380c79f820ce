// The rollup tables the triggers maintain equal, in every bucket, the same aggregates recomputed from
// their source tables with plain GROUP BY; the levels they end at equal the current positions; and
// neither a second run from the cursor, a replayed batch nor a crash-resume counts anything twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { TABLES, type EntityName } from './generated/entities.ts';
import { ROLLUPS_SQL_URL } from './analytics.ts';
import { indexedDevnet } from './analytics.testkit.ts';
import { migrate } from './migrate.ts';
import { CROSS_KINDS, LATENCY_COLUMNS, LATENCY_EDGES_MS, renderRollupsSql } from './rollups.ts';
import { testDb } from '../indexer/indexer.testkit.ts';
import { runIndexers } from '../indexer/run.ts';
import { WriteBuffer } from '../indexer/store/buffer.ts';
import { flush, loadCursor } from '../indexer/store/writer.ts';
import { MERGE_RULES } from '../mappings/index.ts';
import { parseJson } from '../protocol/codec/json.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';
const SIZES = `(VALUES ('hour'), ('day')) AS s(size)`;
const bucket = (col: string) => `date_trunc(s.size, ${col}, 'UTC')`;
const kinds = CROSS_KINDS.map((k) => `'${k}'`).join(', ');

// The same aggregates, written independently of src/db/rollups.ts, straight from the source tables.
const RECOMPUTED: Record<string, string> = {
  collateral: `
    SELECT s.size, ${bucket('e.time')}, e.chain_id, e.vault, count(*),
           coalesce(sum(e.amount) FILTER (WHERE e.kind = 'bond'), 0), coalesce(sum(e.amount) FILTER (WHERE e.kind = 'unbond'), 0),
           coalesce(sum(e.amount) FILTER (WHERE e.kind = 'slash'), 0),
           coalesce(sum(e.amount) FILTER (WHERE e.kind = 'bond'), 0) - coalesce(sum(e.amount) FILTER (WHERE e.kind IN ('unbond', 'slash')), 0)
      FROM lien_events e CROSS JOIN ${SIZES}
     WHERE e.kind IN ('bond', 'unbond', 'slash')
     GROUP BY 1, 2, 3, 4`,
  rewards: `
    SELECT s.size, ${bucket('e.time')}, e.chain_id, e.contract, e.kind, coalesce(e.denom, ''), count(*), sum(e.amount)
      FROM reward_events e CROSS JOIN ${SIZES}
     GROUP BY 1, 2, 3, 4, 5, 6`,
  slashes: `
    SELECT s.size, ${bucket('x.time')}, x.chain_id, x.kind, coalesce(x.pairing_id, ''), count(*), count(*) FILTER (WHERE x.tombstoned),
           coalesce(sum(x.consumer_amount), 0), coalesce(sum(x.provider_amount), 0)
      FROM slashes x CROSS JOIN ${SIZES}
     GROUP BY 1, 2, 3, 4, 5`,
  packets: `
    WITH lat AS (
      SELECT p.*, coalesce(p.ack_time, p.timeout_time) AS done,
             (SELECT count(*) FROM unnest($1::int[]) AS e(ms) WHERE e.ms < p.latency_ms) AS hbucket
        FROM ibc_packets p
    )
    SELECT size, b, source_chain_id, pairing, kind, sum(sent), sum(completed), sum(ack), sum(err), sum(tmo), sum(lc), sum(ls),
           ${LATENCY_COLUMNS.map((_, i) => `sum(h${i})`).join(', ')}
      FROM (
        SELECT s.size, ${bucket('l.send_time')} AS b, l.source_chain_id, coalesce(l.pairing_id, '') AS pairing, l.kind,
               1 AS sent, 0 AS completed, 0 AS ack, 0 AS err, 0 AS tmo, 0 AS lc, 0 AS ls, ${LATENCY_COLUMNS.map((_, i) => `0 AS h${i}`).join(', ')}
          FROM lat l CROSS JOIN ${SIZES} WHERE l.send_time IS NOT NULL
        UNION ALL
        SELECT s.size, ${bucket('l.done')}, l.source_chain_id, coalesce(l.pairing_id, ''), l.kind,
               0, 1, (l.outcome = 'acknowledged')::int, (l.outcome = 'error')::int, (l.outcome = 'timed_out')::int,
               (l.latency_ms IS NOT NULL)::int, coalesce(l.latency_ms, 0),
               ${LATENCY_COLUMNS.map((_, i) => `(l.hbucket = ${i})::int`).join(', ')}
          FROM lat l CROSS JOIN ${SIZES} WHERE l.done IS NOT NULL
      ) f
     GROUP BY 1, 2, 3, 4, 5`,
  cross_stake: `
    WITH e AS (
      SELECT d.*, split_part(rest, '/', 1) AS tx, split_part(rest, '/', 2) AS msg, split_part(rest, '/', 3)::int AS ev
        FROM (SELECT d.*, substr(d.id, length(d.chain_id || '/' || d.height || '/') + 1) AS rest FROM delegation_events d) d
       WHERE d.kind IN (${kinds})
    ), o AS (
      SELECT e.*,
             e.stake_low_after - coalesce(lag(e.stake_low_after) OVER w, 0) AS dl,
             e.stake_high_after - coalesce(lag(e.stake_high_after) OVER w, 0) AS dh
        FROM e
      WINDOW w AS (PARTITION BY e.chain_id, e.contract, e.staker, e.validator
                   ORDER BY e.height, CASE e.tx WHEN 'begin' THEN -1 WHEN 'end' THEN 1000000000 ELSE e.tx::int END,
                            CASE e.msg WHEN '-' THEN -1 ELSE e.msg::int END, e.ev, e.id)
    )
    SELECT s.size, ${bucket('o.time')}, o.chain_id, o.contract, count(*),
           coalesce(sum(o.amount) FILTER (WHERE o.kind = 'stake' AND o.status = 'committed'), 0),
           coalesce(sum(o.amount) FILTER (WHERE (o.kind = 'unstake' AND o.status = 'committed') OR o.kind IN ('internal_unstake', 'channel_close')), 0),
           coalesce(sum(o.amount) FILTER (WHERE o.kind = 'burn'), 0),
           coalesce(sum(o.amount) FILTER (WHERE o.kind = 'slash'), 0),
           sum(o.dl), sum(o.dh)
      FROM o CROSS JOIN ${SIZES}
     GROUP BY 1, 2, 3, 4`,
};

const ROLLUP_COLUMNS: Record<string, string> = {
  collateral: 'bucket_size, bucket_start, chain_id, vault, events, bonded, unbonded, slashed, net_change',
  rewards: 'bucket_size, bucket_start, chain_id, contract, kind, denom, events, amount',
  slashes: 'bucket_size, bucket_start, chain_id, kind, pairing_id, slashes, tombstoned, consumer_amount, provider_amount',
  packets: `bucket_size, bucket_start, source_chain_id, pairing_id, kind, sent, completed, acknowledged, errors, timeouts, latency_count, latency_sum_ms, ${LATENCY_COLUMNS.join(', ')}`,
  cross_stake: 'bucket_size, bucket_start, chain_id, contract, events, staked, unstaked, burned, slashed, stake_low_change, stake_high_change',
};

/** Rows as text, sorted: equal lists mean equal tables (every bucket, every column, exactly). */
async function rowsOf(db: pg.Pool, sql: string, params: unknown[] = []): Promise<string[]> {
  const client = await db.connect();
  try {
    await client.query("SET TimeZone = 'UTC'");
    const { rows } = await client.query<{ r: string }>(`SELECT ROW(q.*)::text AS r FROM (${sql}) q ORDER BY ROW(q.*)::text COLLATE "C"`, params);
    return rows.map((x) => x.r);
  } finally {
    client.release();
  }
}

const rollup = (db: pg.Pool, table: string) => rowsOf(db, `SELECT ${ROLLUP_COLUMNS[table]} FROM rollup.${table}`);
const recomputed = (db: pg.Pool, table: string) => rowsOf(db, RECOMPUTED[table]!, table === 'packets' ? [LATENCY_EDGES_MS] : []);

async function snapshot(db: pg.Pool): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of [...Object.keys(ROLLUP_COLUMNS), 'cross_stake_last']) out[t] = await rowsOf(db, `SELECT * FROM rollup.${t}`);
  return out;
}

async function one<T>(db: pg.Pool, sql: string): Promise<T> {
  return (await db.query(sql)).rows[0] as T;
}

test('src/db/rollups.sql is what src/db/rollups.ts renders (npx tsx src/db/rollups-gen.ts)', () => {
  assert.equal(readFileSync(ROLLUPS_SQL_URL, 'utf8'), renderRollupsSql());
});

test('rollups equal the recomputed aggregates in every bucket, end at the current positions, and never count twice', { skip: noServer, timeout: 600_000 }, async (t) => {
  const { served, db, pool } = await indexedDevnet(t);

  // the workload covers what the rollups distinguish
  const cover = await one<Record<string, number>>(
    pool,
    `SELECT (SELECT count(DISTINCT bucket_start)::int FROM rollup.collateral WHERE bucket_size = 'hour') AS hours,
            (SELECT count(DISTINCT bucket_start)::int FROM rollup.collateral WHERE bucket_size = 'day') AS days,
            (SELECT count(DISTINCT kind)::int FROM rollup.slashes) AS slash_kinds,
            (SELECT sum(errors)::int FROM rollup.packets WHERE bucket_size = 'day') AS errors,
            (SELECT sum(timeouts)::int FROM rollup.packets WHERE bucket_size = 'day') AS timeouts,
            (SELECT count(*)::int FROM rollup.packets WHERE bucket_size = 'day' AND pairing_id <> '') AS packet_buckets,
            (SELECT count(*)::int FROM unnest(ARRAY[${LATENCY_COLUMNS.map((c) => `(SELECT sum(${c}) FROM rollup.packets)`).join(', ')}]) AS h(n) WHERE n > 0) AS latency_buckets,
            (SELECT count(*)::int FROM rollup.cross_stake WHERE slashed > 0 AND bucket_size = 'hour') AS slashed_hours`,
  );
  t.diagnostic(JSON.stringify(cover));
  assert.ok(cover.hours! >= 3 && cover.days === 2, `hours ${cover.hours}, days ${cover.days}`);
  assert.equal(cover.slash_kinds, 2);
  assert.ok(cover.errors! > 0 && cover.timeouts! > 0 && cover.packet_buckets! > 4 && cover.latency_buckets! >= 4 && cover.slashed_hours! > 0);

  for (const table of Object.keys(ROLLUP_COLUMNS)) {
    const got = await rollup(pool, table);
    assert.ok(got.length > 0, `${table} has rows`);
    assert.deepEqual(got, await recomputed(pool, table), `rollup.${table} equals its recomputation`);
  }

  // levels: the running sums end at the current positions
  const collateral = await rowsOf(
    pool,
    `SELECT p.chain_id, p.vault, sum(p.collateral), (SELECT sum(net_change) FROM rollup.collateral r WHERE r.bucket_size = 'hour' AND r.chain_id = p.chain_id AND r.vault = p.vault)
       FROM vault_positions p GROUP BY 1, 2`,
  );
  assert.equal(collateral.length, 2);
  for (const row of collateral) {
    const [, , level, sum] = row.slice(1, -1).split(',');
    assert.equal(sum, level, `collateral level ${row}`);
  }
  const stakes = await rowsOf(
    pool,
    `SELECT c.chain_id, c.external_staking, sum(c.stake_low), sum(c.stake_high),
            (SELECT sum(stake_low_change) FROM rollup.cross_stake r WHERE r.bucket_size = 'day' AND r.chain_id = c.chain_id AND r.contract = c.external_staking),
            (SELECT sum(stake_high_change) FROM rollup.cross_stake r WHERE r.bucket_size = 'day' AND r.chain_id = c.chain_id AND r.contract = c.external_staking)
       FROM cross_stakes c GROUP BY 1, 2`,
  );
  assert.equal(stakes.length, 2);
  for (const row of stakes) {
    const [, , low, high, lowSum, highSum] = row.slice(1, -1).split(',');
    assert.deepEqual([lowSum, highSum], [low, high], `cross stake level ${row}`);
  }
  const want = await snapshot(pool);

  // a second run from the cursor
  await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' });
  assert.deepEqual(await snapshot(pool), want, 'after a second run');

  // the last 100 blocks of each chain written again, as a replayed batch is: history rows are kept
  // (DO NOTHING), merged rows (packets, slashes) are updated to what they already are
  for (const chainId of ['osmo-devnet-1', 'juno-devnet-1']) {
    const cursor = (await loadCursor(pool, chainId))!;
    const from = cursor.height - 100;
    const buffer = new WriteBuffer({ merge: MERGE_RULES });
    const put = async (entity: EntityName, mode: 'insert' | 'merge', where: string) => {
      const rows = await storedRows(pool, entity, where, [chainId, from]);
      for (const r of rows) (mode === 'insert' ? buffer.insert : buffer.merge).call(buffer, entity, r as never);
      return rows.length;
    };
    const n =
      (await put('LienEvent', 'insert', 'chain_id = $1 AND height > $2')) +
      (await put('DelegationEvent', 'insert', 'chain_id = $1 AND height > $2')) +
      (await put('RewardEvent', 'insert', 'chain_id = $1 AND height > $2')) +
      (await put('Slash', 'merge', '(chain_id = $1 OR provider_chain_id = $1) AND height > $2 - 1000')) +
      (await put('IbcPacket', 'merge', '(source_chain_id = $1 AND send_height > $2) OR (dest_chain_id = $1 AND recv_height > $2)'));
    assert.ok(n > 500, `${n} rows replayed on ${chainId}`);
    await flush(pool, buffer, { chainId, height: cursor.height, time: cursor.time!, hash: cursor.hash! });
  }
  assert.deepEqual(await snapshot(pool), want, 'after replayed batches');

  // crash-resume: the CLI indexer SIGKILLed twice during a sync of a fresh database, then run to the end
  const crashed = await testDb();
  t.after(crashed.close);
  await migrate(crashed.pool);
  const heights = async () => (await one<{ h: number }>(crashed.pool, 'SELECT coalesce(sum(indexed_height), 0)::int AS h FROM chains')).h;
  let kills = 0;
  for (; ; kills++) {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'run', '--project', served.projectFile, '--until', 'tip', '--no-progress', '--batch-blocks', '25'], {
      env: { ...process.env, DATABASE_URL: crashed.db.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    if (kills < 2) {
      const start = await heights();
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (await heights()) < start + 100 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      const r = await exited;
      if (r.signal === 'SIGKILL') {
        t.diagnostic(`killed at ~${await heights()} summed height`);
        continue;
      }
      assert.equal(r.code, 0, stderr);
      break;
    }
    const r = await exited;
    assert.equal(r.code, 0, stderr);
    break;
  }
  assert.equal(kills, 2);
  assert.deepEqual(await snapshot(crashed.pool), want, 'after a crash-resume');
});

const CLI = fileURLToPath(new URL('../indexer/cli.ts', import.meta.url));

/** Rows of an entity table as the mappings produce them (bigint amounts, exact JSON). */
async function storedRows(db: pg.Pool, entity: EntityName, where: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const t = TABLES[entity];
  const { rows } = await db.query(`SELECT ${t.columns.map((c) => (c.scalar === 'JSON' ? `${c.quoted}::text AS ${c.quoted}` : c.quoted)).join(', ')} FROM ${t.name} WHERE ${where}`, params);
  return rows.map((r: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const c of t.columns) {
      const v = r[c.column];
      out[c.name] = v == null ? null : c.scalar === 'BigInt' ? (c.array ? (v as string[]).map((x) => BigInt(x)) : BigInt(v as string)) : c.scalar === 'JSON' ? parseJson(v as string) : v;
    }
    return out;
  });
}
