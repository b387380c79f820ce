// Two chains' writers touching the same rows never deadlock, because rows are applied in primary-key
// order whatever order the batches hold them in: run with no retry, so a deadlock would fail the test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WriteBuffer } from './buffer.ts';
import { cursorAt, noServer, packetBase, position, withStore } from './store.testkit.ts';
import { flush } from './writer.ts';

const N = 400;
const stakers = Array.from({ length: N }, (_, i) => `staker${String(i).padStart(4, '0')}`);

test('upserts of the same rows in opposite orders by two chains at once: no deadlock, no retry', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const seed = new WriteBuffer();
    for (const s of stakers) seed.upsert('VaultPosition', position(s, 1n, 1));
    await flush(pool, seed, cursorAt('provider-1', 1));
    for (let round = 2; round <= 6; round++) {
      const up = new WriteBuffer();
      const down = new WriteBuffer();
      for (const s of stakers) up.upsert('VaultPosition', position(s, BigInt(round), round));
      for (const s of [...stakers].reverse()) down.upsert('VaultPosition', position(s, BigInt(round * 1000), round));
      const results = await Promise.allSettled([
        flush(pool, up, cursorAt('provider-1', round), { attempts: 1 }),
        flush(pool, down, cursorAt('consumer-1', round), { attempts: 1 }),
      ]);
      for (const r of results) assert.equal(r.status, 'fulfilled', r.status === 'rejected' ? String(r.reason) : '');
      // one of the two batches won every row: they were applied one after the other, not interleaved
      const { rows } = await pool.query<{ n: number }>('SELECT count(DISTINCT collateral)::int AS n FROM vault_positions');
      assert.equal(rows[0]!.n, 1, `round ${round}: one batch's values throughout`);
    }
  });
});

test('merged rows (packet halves) in opposite orders by two chains at once: no deadlock, no retry', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const seqs = Array.from({ length: N }, (_, i) => BigInt(i + 1));
    for (let round = 1; round <= 4; round++) {
      const send = new WriteBuffer();
      const recv = new WriteBuffer();
      for (const q of seqs) send.merge('IbcPacket', { ...packetBase(q), sendHeight: round });
      for (const q of [...seqs].reverse()) recv.merge('IbcPacket', { ...packetBase(q), destChainId: 'consumer-1', recvHeight: round });
      const results = await Promise.allSettled([
        flush(pool, send, cursorAt('provider-1', round), { attempts: 1 }),
        flush(pool, recv, cursorAt('consumer-1', round), { attempts: 1 }),
      ]);
      for (const r of results) assert.equal(r.status, 'fulfilled', r.status === 'rejected' ? String(r.reason) : '');
    }
    const { rows } = await pool.query('SELECT count(*)::int AS n, count(send_height)::int AS sent, count(recv_height)::int AS received FROM ibc_packets');
    assert.deepEqual(rows[0], { n: N, sent: N, received: N });
  });
});
