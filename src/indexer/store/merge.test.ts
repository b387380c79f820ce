import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import type { IbcPacket } from '../../db/generated/entities.ts';
import { coalesceMerge, WriteBuffer, type MergeFn } from './buffer.ts';
import { at, cursorAt, noServer, packetBase, withStore } from './store.testkit.ts';
import { flush } from './writer.ts';

// The kind of rule the IBC mapping states: halves coalesce, the outcome only moves forward, latency
// follows from the merged times.
const RANK: Record<string, number> = { pending: 0, received: 1, acknowledged: 2, error: 2, timed_out: 2 };
const packetMerge: MergeFn<'IbcPacket'> = (stored, incoming) => {
  const m = coalesceMerge(stored, incoming);
  m.outcome = RANK[incoming.outcome]! > RANK[stored.outcome]! ? incoming.outcome : stored.outcome;
  const end = m.ackTime ?? m.timeoutTime;
  m.latencyMs = m.sendTime && end ? end.getTime() - m.sendTime.getTime() : null;
  return m;
};
const newBuffer = () => new WriteBuffer({ merge: { IbcPacket: packetMerge } });

type Half = { chain: 'provider-1' | 'consumer-1'; row: (seq: bigint) => IbcPacket };
const send: Half = {
  chain: 'provider-1',
  row: (seq) => ({
    ...packetBase(seq),
    destPort: 'wasm.conv',
    destChannel: 'channel-7',
    payload: { stake: { validator: 'val1', stake: { denom: 'uosmo', amount: '100' }, tx_id: 18446744073709551615n } },
    timeoutTimestamp: 1_700_000_000_000_000_000n,
    sendHeight: 10,
    sendTime: at(10),
    sendTxHash: 'SENDTX',
  }),
};
const recv: Half = {
  chain: 'consumer-1',
  row: (seq) => ({ ...packetBase(seq), destChainId: 'consumer-1', recvHeight: 4, recvTime: at(12), recvTxHash: 'RECVTX', recvSuccess: true, ack: '{"result":"e30="}', outcome: 'received' }),
};
const ack: Half = {
  chain: 'provider-1',
  row: (seq) => ({ ...packetBase(seq), ackHeight: 15, ackTime: at(15), ackTxHash: 'ACKTX', outcome: 'acknowledged' }),
};

const heights = new Map<string, number>();
/** Flushes each group of halves as one batch of its chain, in order. */
async function flushHalves(pool: pg.Pool, seq: bigint, groups: Half[][]): Promise<void> {
  for (const group of groups) {
    const buf = newBuffer();
    for (const h of group) buf.merge('IbcPacket', h.row(seq));
    const chain = group[0]!.chain;
    const height = (heights.get(chain) ?? 0) + 1;
    heights.set(chain, height);
    await flush(pool, buf, cursorAt(chain, height));
  }
}

async function packets(pool: pg.Pool): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query('SELECT *, payload::text AS payload FROM ibc_packets ORDER BY sequence');
  return rows;
}
const withoutKey = ({ id: _id, sequence: _seq, ...rest }: Record<string, unknown>) => rest;

function permutations<T>(xs: T[]): T[][] {
  return xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

test('a packet merged from its halves is the same row whatever the order and batching', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const orders: Half[][][] = [
      ...permutations([send, recv, ack]).map((p) => p.map((h) => [h])),
      [[send, ack], [recv]], // send and ack in one provider batch
      [[recv], [ack, send]],
    ];
    for (const [i, groups] of orders.entries()) await flushHalves(pool, BigInt(i + 1), groups);

    const rows = await packets(pool);
    assert.equal(rows.length, orders.length);
    const first = withoutKey(rows[0]!);
    assert.equal(first.outcome, 'acknowledged');
    assert.equal(first.send_tx_hash, 'SENDTX');
    assert.equal(first.recv_tx_hash, 'RECVTX');
    assert.equal(first.ack_tx_hash, 'ACKTX');
    assert.equal(first.latency_ms, 5000);
    assert.equal(first.payload, '{"stake": {"stake": {"denom": "uosmo", "amount": "100"}, "tx_id": 18446744073709551615, "validator": "val1"}}');
    for (const r of rows) assert.deepEqual(withoutKey(r), first, `sequence ${r.sequence}`);

    // Replaying a half (crash-resume) changes nothing.
    await flushHalves(pool, 1n, [[send], [recv]]);
    assert.deepEqual(await packets(pool), rows);
  });
});

test('two chains writing halves of the same packets at once lose neither half', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const n = 200;
    for (let round = 0; round < 5; round++) {
      const provider = newBuffer();
      const consumer = newBuffer();
      for (let i = 0; i < n; i++) {
        const seq = BigInt(round * n + i + 1);
        provider.merge('IbcPacket', send.row(seq));
        consumer.merge('IbcPacket', recv.row(seq));
      }
      await Promise.all([flush(pool, provider, cursorAt('provider-1', round + 1)), flush(pool, consumer, cursorAt('consumer-1', round + 1))]);
    }
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n, count(send_height)::int AS sent, count(recv_height)::int AS received, count(*) FILTER (WHERE outcome = 'received')::int AS outcome FROM ibc_packets`,
    );
    assert.deepEqual(rows[0], { n: 5 * n, sent: 5 * n, received: 5 * n, outcome: 5 * n });
  });
});

test('without a rule, merge coalesces: non-null values win over null, in the batch and with the stored row', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const base = {
      id: 'p1',
      providerChainId: 'provider-1',
      consumerChainId: 'consumer-1',
      externalStaking: 'ext1',
      converter: null,
      virtualStaking: null,
      priceFeed: null,
      providerChannel: null,
      consumerChannel: null,
      providerConnection: null,
      consumerConnection: null,
      state: 'pending',
      discount: null,
      remoteDenom: null,
      rewardsDenom: null,
      unbondingPeriodSeconds: null,
    };
    const a = new WriteBuffer();
    a.merge('Pairing', { ...base, providerChannel: 'channel-0', unbondingPeriodSeconds: 1814400 });
    a.merge('Pairing', { ...base, providerConnection: 'connection-0' });
    await flush(pool, a, cursorAt('provider-1', 1));
    const b = new WriteBuffer();
    b.merge('Pairing', { ...base, converter: 'conv1', consumerChannel: 'channel-7', discount: '0.1', state: 'open' });
    await flush(pool, b, cursorAt('consumer-1', 1));
    const { rows } = await pool.query('SELECT provider_channel, provider_connection, unbonding_period_seconds, converter, consumer_channel, discount, state FROM pairings');
    assert.deepEqual(rows, [
      {
        provider_channel: 'channel-0',
        provider_connection: 'connection-0',
        unbonding_period_seconds: 1814400,
        converter: 'conv1',
        consumer_channel: 'channel-7',
        discount: '0.100000000000000000',
        state: 'open',
      },
    ]);
  });
});
