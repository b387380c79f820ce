// The rollup triggers on hand-written rows, for the paths the indexer rarely or never takes: a merged
// row moving to another bucket (UPDATE), rows deleted, a truncated source, several rows of one bucket
// in one statement, and delegation events arriving out of chain order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from './database.ts';
import { migrate } from './migrate.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

async function withDb(fn: (c: pg.Client) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await migrate(c);
    await c.query("SET TimeZone = 'UTC'");
    await fn(c);
  } finally {
    await c.end().catch(() => {});
    await db.drop();
  }
}

const rows = async (c: pg.Client, sql: string) => (await c.query({ text: sql, rowMode: 'array' })).rows.map((r: unknown[]) => r.map(String).join(' '));

const slash = (id: string, time: string, o: { kind?: string; pairing?: string | null; consumer?: number | null; provider?: number; tombstoned?: boolean } = {}) =>
  `INSERT INTO slashes (id, chain_id, validator, kind, pairing_id, tombstoned, consumer_amount, provider_amount, height, time)
   VALUES ('${id}', 'c', 'val', '${o.kind ?? 'cross'}', ${o.pairing === null ? 'NULL' : `'${o.pairing ?? 'p'}'`}, ${o.tombstoned ?? false},
           ${o.consumer ?? 'NULL'}, ${o.provider ?? 0}, 1, '${time}')`;

test('slash rollups follow inserts, updates that move a row to another bucket or pairing, deletes and truncate', { skip: noServer }, async () => {
  await withDb(async (c) => {
    const hourly = () => rows(c, `SELECT to_char(bucket_start, 'DD HH24'), kind, pairing_id, slashes, tombstoned, consumer_amount, provider_amount FROM rollup.slashes WHERE bucket_size = 'hour' ORDER BY 1, 2, 3`);
    const daily = () => rows(c, `SELECT to_char(bucket_start, 'DD'), kind, pairing_id, slashes, consumer_amount, provider_amount FROM rollup.slashes WHERE bucket_size = 'day' ORDER BY 1, 2, 3`);

    // one statement, three rows, two of them in one bucket
    await c.query(`${slash('a', '2026-01-01 10:05Z', { consumer: 100, provider: 90 })}, ('b', 'c', 'val', 'cross', 'p', true, 7, 6, 1, '2026-01-01 10:59:59.999Z'), ('n', 'c', 'val', 'native', NULL, false, NULL, 40, 1, '2026-01-02 00:00Z')`);
    assert.deepEqual(await hourly(), ['01 10 cross p 2 1 107 96', '02 00 native  1 0 0 40']);
    assert.deepEqual(await daily(), ['01 cross p 2 107 96', '02 native  1 0 40']);

    // the consumer half arrives: time, amounts and pairing change (the row leaves its bucket)
    await c.query(`UPDATE slashes SET time = '2026-01-01 11:30Z', pairing_id = 'q', consumer_amount = 120 WHERE id = 'a'`);
    assert.deepEqual(await hourly(), ['01 10 cross p 1 1 7 6', '01 11 cross q 1 0 120 90', '02 00 native  1 0 0 40']);
    assert.deepEqual(await daily(), ['01 cross p 1 7 6', '01 cross q 1 120 90', '02 native  1 0 40']);

    // an update that changes nothing the rollup sees, and an ON CONFLICT upsert of the same values
    await c.query(`UPDATE slashes SET tx_hash = 'T' WHERE id = 'n'`);
    await c.query(`${slash('b', '2026-01-01 10:59:59.999Z', { consumer: 7, provider: 6, tombstoned: true })} ON CONFLICT (id) DO UPDATE SET tombstoned = EXCLUDED.tombstoned`);
    assert.deepEqual(await hourly(), ['01 10 cross p 1 1 7 6', '01 11 cross q 1 0 120 90', '02 00 native  1 0 0 40']);

    // an empty bucket is removed, not left at zero
    await c.query(`DELETE FROM slashes WHERE id = 'b'`);
    assert.deepEqual(await hourly(), ['01 11 cross q 1 0 120 90', '02 00 native  1 0 0 40']);
    assert.deepEqual(await daily(), ['01 cross q 1 120 90', '02 native  1 0 40']);

    await c.query('TRUNCATE slashes');
    assert.deepEqual(await hourly(), []);
  });
});

test('packet rollups: send and completion land in their own buckets, a merge moves them, latency goes to its histogram bucket', { skip: noServer }, async () => {
  await withDb(async (c) => {
    const get = () =>
      rows(c, `SELECT to_char(bucket_start, 'HH24'), kind, sent, completed, acknowledged, errors, timeouts, latency_count, latency_sum_ms, latency_le_30s, latency_le_1m, latency_gt_30m
                 FROM rollup.packets WHERE bucket_size = 'hour' ORDER BY 1, 2`);
    // the destination half first (no send time), then the source half merged into it
    await c.query(`INSERT INTO ibc_packets (id, source_chain_id, source_port, source_channel, sequence, kind, outcome, recv_time)
                   VALUES ('x', 'c', 'port', 'ch', 1, 'stake', 'received', '2026-01-01 10:00:30Z')`);
    assert.deepEqual(await get(), []);
    await c.query(`UPDATE ibc_packets SET send_time = '2026-01-01 09:59:50Z', ack_time = '2026-01-01 10:00:40Z', outcome = 'acknowledged', latency_ms = 50000 WHERE id = 'x'`);
    assert.deepEqual(await get(), ['09 stake 1 0 0 0 0 0 0 0 0 0', '10 stake 0 1 1 0 0 1 50000 0 1 0']);
    await c.query(`INSERT INTO ibc_packets (id, source_chain_id, source_port, source_channel, sequence, kind, outcome, send_time, timeout_time, latency_ms)
                   VALUES ('y', 'c', 'port', 'ch', 2, 'stake', 'timed_out', '2026-01-01 08:00Z', '2026-01-01 10:40Z', 9600000),
                          ('z', 'c', 'port', 'ch', 3, 'unstake', 'error', '2026-01-01 10:00Z', NULL, NULL)`);
    assert.deepEqual(await get(), [
      '08 stake 1 0 0 0 0 0 0 0 0 0',
      '09 stake 1 0 0 0 0 0 0 0 0 0',
      '10 stake 0 2 1 0 1 2 9650000 0 1 1',
      '10 unstake 1 0 0 0 0 0 0 0 0 0',
    ]);
    // an error ack seen on the destination has no completion time yet; it counts once the ack arrives
    await c.query(`UPDATE ibc_packets SET ack_time = '2026-01-01 10:00:30Z', latency_ms = 30000 WHERE id = 'z'`);
    assert.deepEqual((await get()).at(-1), '10 unstake 1 1 0 1 0 1 30000 1 0 0');
  });
});

test('cross stake rollup: changes from the stake ranges after each event, also when events arrive out of order or are deleted', { skip: noServer }, async () => {
  await withDb(async (c) => {
    const ev = (id: string, height: number, time: string, kind: string, status: string | null, amount: number, low: number, high: number, validator = 'v') =>
      `('c/${height}/${id}', 'c', 'es', 'u', '${validator}', '${kind}', ${status === null ? 'NULL' : `'${status}'`}, ${amount}, ${low}, ${high}, ${height}, '${time}')`;
    const insert = (...values: string[]) =>
      c.query(`INSERT INTO delegation_events (id, chain_id, contract, staker, validator, kind, status, amount, stake_low_after, stake_high_after, height, time) VALUES ${values.join(', ')}`);
    const get = () => rows(c, `SELECT to_char(bucket_start, 'HH24'), events, staked, unstaked, slashed, stake_low_change, stake_high_change FROM rollup.cross_stake WHERE bucket_size = 'hour' ORDER BY 1`);

    // stake 100 pending then committed; in the same block (tx 0 before tx 2) an unstake of 30 goes pending
    await insert(ev('0/0/1', 5, '2026-01-01 10:00Z', 'stake', 'pending', 100, 0, 100), ev('2/0/4', 6, '2026-01-01 10:10Z', 'unstake', 'pending', 30, 70, 100), ev('0/0/9', 6, '2026-01-01 10:10Z', 'stake', 'committed', 100, 100, 100));
    assert.deepEqual(await get(), ['10 3 100 0 0 70 100']);
    // the unstake commits in the next hour; a slash cuts 10 of the stake (its amount also counts 5 from unbondings)
    await insert(ev('1/0/3', 9, '2026-01-01 11:00Z', 'unstake', 'committed', 30, 70, 70), ev('end/-/2/slash', 9, '2026-01-01 11:00Z', 'slash', 'committed', 15, 60, 60));
    assert.deepEqual(await get(), ['10 3 100 0 0 70 100', '11 2 0 30 15 -10 -40']);
    // a late event for an earlier block: the chain is recomputed, as if it had come in order
    await insert(ev('begin/-/0', 6, '2026-01-01 10:10Z', 'stake', 'pending', 1, 0, 1, 'w'), ev('0/0/0', 4, '2026-01-01 09:00Z', 'stake', 'rolled_back', 5, 0, 0));
    assert.deepEqual(await get(), ['09 1 0 0 0 0 0', '10 4 100 0 0 70 101', '11 2 0 30 15 -10 -40']);
    await c.query(`DELETE FROM delegation_events WHERE id = 'c/9/end/-/2/slash'`);
    assert.deepEqual(await get(), ['09 1 0 0 0 0 0', '10 4 100 0 0 70 101', '11 1 0 30 0 0 -30']);
    // local events are not cross stakes
    await c.query(`INSERT INTO delegation_events (id, chain_id, contract, staker, validator, kind, amount, stake_low_after, stake_high_after, height, time)
                   VALUES ('c/10/0/0/0', 'c', 'ns', 'u', 'v', 'local_stake', 9, 9, 9, 10, '2026-01-01 11:00Z')`);
    assert.deepEqual((await get()).at(-1), '11 1 0 30 0 0 -30');
  });
});

test('collateral series: running sums of the bucket changes are the level at the end of each bucket', { skip: noServer }, async () => {
  await withDb(async (c) => {
    const ev = (n: number, time: string, kind: string, amount: number) => `('c/${n}/0/0/0', 'c', 'vault', 'u${n % 2}', 'vault', '${kind}', ${amount}, 0, 0, 0, ${n}, '${time}')`;
    await c.query(`INSERT INTO lien_events (id, chain_id, vault, staker, lienholder, kind, amount, amount_low_after, amount_high_after, collateral_after, height, time) VALUES
      ${[ev(1, '2026-01-01 10:05Z', 'bond', 100), ev(2, '2026-01-01 10:40Z', 'bond', 50), ev(3, '2026-01-01 10:41Z', 'stake_local', 70), ev(4, '2026-01-01 12:10Z', 'unbond', 30), ev(5, '2026-01-02 01:00Z', 'slash', 20)].join(', ')}`);
    assert.deepEqual(await rows(c, `SELECT bucket_size, to_char(bucket_start, 'DD HH24'), events, bonded, unbonded, slashed, net_change, collateral FROM mesh.collateral_series ORDER BY 1, 2`), [
      'day 01 00 3 150 30 0 120 120',
      'day 02 00 1 0 0 20 -20 100',
      'hour 01 10 2 150 0 0 150 150',
      'hour 01 12 1 0 30 0 -30 120',
      'hour 02 01 1 0 0 20 -20 100',
    ]);
  });
});
