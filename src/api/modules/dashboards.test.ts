// series(): the dashboard series over an indexed devnet spanning several hours and a UTC midnight equal
// the same figures computed here from the source tables (lien, delegation and reward events, slashes,
// packets, positions); gaps are filled, levels carry over the range start, bad ranges are
// BAD_USER_INPUT.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyticsWorkload } from '../../db/analytics.testkit.ts';
import { apiOverChains } from '../api.testkit.ts';

const POINT = 'time endTime chainId pairingId denom count level levelLow inflow outflow slashed amount sent failed failureRate latencyAvgMs latencyP50Ms latencyP99Ms';

test('series: collateral, cross stake, rewards, slashes and packets per bucket equal the source tables; ranges and bad input', { timeout: 600_000 }, async (t) => {
  const h = await apiOverChains(analyticsWorkload().chains);
  t.after(() => h.close());
  const series = async (args: string) => {
    const r = await h.gql<{ series: Array<Record<string, any>> }>(`{ series(${args}) { ${POINT} } }`);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.series;
  };
  const sql = async (text: string, params: unknown[] = []) => (await h.pool.query(text, params)).rows;
  const pairings = (await sql('SELECT id, provider_chain_id, external_staking FROM pairings ORDER BY id')) as Array<{ id: string; provider_chain_id: string; external_staking: string }>;
  assert.equal(pairings.length, 2);

  // bonded collateral per chain and hour: level = bonds − unbonds − slashes up to the end of the hour
  const collateral = await series('metric: BONDED_COLLATERAL, bucket: HOUR');
  const wantCollateral = await sql(`
    WITH b AS (
      SELECT chain_id, date_trunc('hour', time, 'UTC') AS t, count(*) AS n,
             sum(amount) FILTER (WHERE kind = 'bond') AS bonded, sum(amount) FILTER (WHERE kind = 'unbond') AS unbonded,
             sum(amount) FILTER (WHERE kind = 'slash') AS slashed, sum(CASE kind WHEN 'bond' THEN amount ELSE -amount END) AS net
        FROM lien_events WHERE kind IN ('bond', 'unbond', 'slash') GROUP BY 1, 2
    )
    SELECT chain_id, t, n::int, coalesce(bonded, 0)::text AS bonded, coalesce(unbonded, 0)::text AS unbonded, coalesce(slashed, 0)::text AS slashed,
           (sum(net) OVER (PARTITION BY chain_id ORDER BY t))::text AS level
      FROM b ORDER BY chain_id, t`);
  assert.ok(wantCollateral.length >= 6, `${wantCollateral.length} chain-hours`);
  assert.deepEqual(
    collateral.map((p) => [p.chainId, p.time, p.count, p.inflow, p.outflow, p.slashed, p.level, p.levelLow, p.pairingId, p.sent]),
    wantCollateral.map((w) => [w.chain_id, w.t.toISOString(), w.n, w.bonded, w.unbonded, w.slashed, w.level, w.level, null, null]),
  );
  const positions = await sql('SELECT chain_id, sum(collateral)::text AS c FROM vault_positions GROUP BY 1 ORDER BY 1');
  for (const { chain_id, c } of positions) assert.equal(collateral.filter((p) => p.chainId === chain_id).at(-1)!.level, c, `${chain_id} ends at its positions`);

  // a range: from inside the first hour of the day, to an hour after the data; the level carries over
  const ranged = await series(`metric: BONDED_COLLATERAL, bucket: HOUR, chainId: "osmo-devnet-1", from: "2026-01-01T00:30:00Z", to: "2026-01-01T02:00:01Z"`);
  const osmo = collateral.filter((p) => p.chainId === 'osmo-devnet-1');
  assert.deepEqual(
    ranged.map((p) => [p.time, p.count, p.inflow, p.level]),
    [
      ['2026-01-01T00:00:00.000Z', osmo[1]!.count, osmo[1]!.inflow, osmo[1]!.level],
      ['2026-01-01T01:00:00.000Z', osmo[2]!.count, osmo[2]!.inflow, osmo[2]!.level],
      ['2026-01-01T02:00:00.000Z', 0, '0', osmo[2]!.level],
    ],
  );
  assert.equal(ranged.at(-1)!.endTime, '2026-01-01T03:00:00.000Z');

  // cross stake per pairing and day: ends at the summed stake ranges; committed stakes per day
  for (const p of pairings) {
    const points = await series(`metric: CROSS_STAKE, bucket: DAY, pairingId: "${p.id}"`);
    assert.deepEqual(points.map((x) => [x.time, x.pairingId, x.chainId]), [
      ['2025-12-31T00:00:00.000Z', p.id, p.provider_chain_id],
      ['2026-01-01T00:00:00.000Z', p.id, p.provider_chain_id],
    ]);
    const [now] = await sql(`SELECT sum(stake_low)::text AS low, sum(stake_high)::text AS high FROM cross_stakes WHERE chain_id = $1 AND external_staking = $2`, [p.provider_chain_id, p.external_staking]);
    assert.deepEqual([points[1]!.levelLow, points[1]!.level], [now.low, now.high]);
    const staked = await sql(
      `SELECT date_trunc('day', time, 'UTC') AS t, sum(amount)::text AS s FROM delegation_events
        WHERE chain_id = $1 AND contract = $2 AND kind = 'stake' AND status = 'committed' GROUP BY 1 ORDER BY 1`,
      [p.provider_chain_id, p.external_staking],
    );
    assert.deepEqual(points.map((x) => x.inflow), staked.map((s) => s.s));
  }

  // packets per pairing and hour: sent by send time; completions, failures and mean latency by completion time
  for (const p of pairings) {
    const points = await series(`metric: PACKETS, pairingId: "${p.id}"`);
    const want = await sql(
      `WITH s AS (SELECT date_trunc('hour', send_time, 'UTC') AS t, count(*)::int AS sent FROM ibc_packets WHERE pairing_id = $1 AND send_time IS NOT NULL GROUP BY 1),
            c AS (SELECT date_trunc('hour', coalesce(ack_time, timeout_time), 'UTC') AS t, count(*)::int AS completed,
                         (count(*) FILTER (WHERE outcome IN ('error', 'timed_out')))::int AS failed, avg(latency_ms)::float8 AS avg
                    FROM ibc_packets WHERE pairing_id = $1 AND coalesce(ack_time, timeout_time) IS NOT NULL GROUP BY 1)
       SELECT t, coalesce(sent, 0) AS sent, coalesce(completed, 0) AS completed, coalesce(failed, 0) AS failed
         FROM (SELECT t FROM s UNION SELECT t FROM c) ts LEFT JOIN s USING (t) LEFT JOIN c USING (t)
        ORDER BY t`,
      [p.id],
    );
    // both chains send on a pairing's channel: the per-source series sum to the pairing's counts
    const sum = new Map<string, { sent: number; completed: number; failed: number }>();
    for (const x of points) {
      const s = sum.get(x.time) ?? { sent: 0, completed: 0, failed: 0 };
      sum.set(x.time, { sent: s.sent + x.sent, completed: s.completed + x.count, failed: s.failed + x.failed });
      assert.equal(x.failureRate, x.count > 0 ? x.failed / x.count : null);
    }
    assert.deepEqual(
      [...sum.entries()].filter(([, v]) => v.sent + v.completed > 0).sort(),
      want.map((w) => [w.t.toISOString(), { sent: w.sent, completed: w.completed, failed: w.failed }]),
    );
    assert.ok(points.some((x) => x.failed > 0) && points.every((x) => x.latencyP50Ms === null || (x.latencyP50Ms > 0 && x.latencyP99Ms >= x.latencyP50Ms)));
  }
  const one = (await series(`metric: PACKETS, chainId: "osmo-devnet-1", pairingId: "${pairings[1]!.id}"`)).filter((x) => x.count > 0);
  const [avg] = await sql(
    `SELECT avg(latency_ms)::float8 AS avg FROM ibc_packets WHERE source_chain_id = 'osmo-devnet-1' AND pairing_id = $1 AND date_trunc('hour', coalesce(ack_time, timeout_time), 'UTC') = $2`,
    [pairings[1]!.id, one[0]!.time],
  );
  assert.ok(Math.abs(one[0]!.latencyAvgMs - avg.avg) < 1e-6);

  // rewards per chain, pairing and day (distributions by default, or another kind)
  for (const kind of ['distribution', 'consumer_payout']) {
    const points = await series(`metric: REWARDS, bucket: DAY${kind === 'distribution' ? '' : `, rewardKind: "${kind}"`}`);
    const want = await sql(
      `SELECT e.chain_id, pc.pairing_id, e.denom, date_trunc('day', e.time, 'UTC') AS t, count(*)::int AS n, sum(e.amount)::text AS amount
         FROM reward_events e LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = e.chain_id AND pc.contract = e.contract
        WHERE e.kind = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2 NULLS FIRST, 3 NULLS FIRST, 4`,
      [kind],
    );
    assert.ok(want.length >= 4);
    assert.deepEqual(
      points.map((p) => [p.chainId, p.pairingId, p.denom, p.time, p.count, p.amount]),
      want.map((w) => [w.chain_id, w.pairing_id, w.denom, w.t.toISOString(), w.n, w.amount]),
    );
  }

  // slashes per chain slashed, pairing and day (every series gets every day of the range)
  const slashes = await series('metric: SLASHES, bucket: DAY');
  const wantSlashes = await sql(
    `SELECT chain_id, pairing_id, date_trunc('day', time, 'UTC') AS t, count(*)::int AS n, sum(provider_amount)::text AS amount FROM slashes GROUP BY 1, 2, 3`,
  );
  assert.ok(wantSlashes.length >= 3);
  for (const w of wantSlashes) {
    const p = slashes.find((x) => x.chainId === w.chain_id && x.pairingId === w.pairing_id && x.time === w.t.toISOString());
    assert.deepEqual([p?.count, p?.amount], [w.n, w.amount], JSON.stringify(w));
  }
  assert.equal(slashes.reduce((n, p) => n + p.count, 0), wantSlashes.reduce((n, w) => n + w.n, 0));
  assert.equal(slashes.length, 2 * new Set(slashes.map((p) => `${p.chainId}/${p.pairingId}`)).size);

  // nothing to show
  assert.deepEqual(await series('metric: CROSS_STAKE, pairingId: "no-such-pairing"'), []);
  assert.deepEqual(await series('metric: SLASHES, chainId: "no-such-chain"'), []);
  assert.deepEqual(await series('metric: REWARDS, bucket: DAY, from: "2020-01-01", to: "2020-01-05"'), []);

  // bad input
  for (const args of [
    'metric: PACKETS, from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z"',
    'metric: PACKETS, from: "2026-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z"',
    'metric: PACKETS, from: "yesterday"',
    'metric: PACKETS, to: "2026-13-01"',
    'metric: PACKETS, bucket: HOUR, from: "2024-01-01", to: "2026-01-01"',
    `metric: BONDED_COLLATERAL, pairingId: "${pairings[0]!.id}"`,
    'metric: SLASHES, rewardKind: "distribution"',
    'metric: REWARDS, rewardKind: "bribes"',
    'metric: PACKETS, chainId: ""',
  ]) {
    const r = await h.gql(`{ series(${args}) { time } }`);
    assert.equal(r.status, 200, args);
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${args}: ${JSON.stringify(r.errors)}`);
  }
});
