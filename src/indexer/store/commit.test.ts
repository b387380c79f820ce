// What a batch commit tells the outside: the `mesh_commit` notification (for GraphQL subscriptions),
// sent only when the transaction commits, and the chain's tip written with the cursor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { WriteBuffer } from './buffer.ts';
import { at, cursorAt, lienEvent, noServer, position, withStore } from './store.testkit.ts';
import { COMMIT_CHANNEL, type CommitNotice, flush } from './writer.ts';

function batch(height: number): WriteBuffer {
  const buf = new WriteBuffer();
  for (let n = 0; n < 5; n++) buf.insert('LienEvent', lienEvent(n, height));
  buf.upsert('VaultPosition', position('alice', BigInt(height), height));
  return buf;
}

/** A client LISTENing on the commit channel; `next()` waits for the next notification (or fails after `ms`). */
async function listen(pool: pg.Pool) {
  const client = new pg.Client({ connectionString: (pool.options as { connectionString: string }).connectionString });
  await client.connect();
  const queue: CommitNotice[] = [];
  const waiters: Array<() => void> = [];
  client.on('notification', (n) => {
    if (n.channel !== COMMIT_CHANNEL) return;
    queue.push(JSON.parse(n.payload ?? 'null') as CommitNotice);
    waiters.splice(0).forEach((w) => w());
  });
  await client.query(`LISTEN ${COMMIT_CHANNEL}`);
  return {
    received: queue,
    async next(ms = 5_000): Promise<CommitNotice> {
      const deadline = Date.now() + ms;
      while (queue.length === 0) {
        if (Date.now() > deadline) throw new Error(`no ${COMMIT_CHANNEL} notification within ${ms} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return queue.shift()!;
    },
    close: () => client.end(),
  };
}

test('a LISTENing client is told each committed batch: chain, heights and block time', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const l = await listen(pool);
    try {
      await flush(pool, batch(9), { ...cursorAt('provider-1', 9), fromHeight: 5 });
      assert.deepEqual(await l.next(), { chainId: 'provider-1', fromHeight: 5, toHeight: 9, time: at(9).toISOString() });
      // without a batch start the batch is its last height alone
      await flush(pool, new WriteBuffer(), cursorAt('consumer-1', 3));
      assert.deepEqual(await l.next(), { chainId: 'consumer-1', fromHeight: 3, toHeight: 3, time: at(3).toISOString() });
    } finally {
      await l.close();
    }
  });
});

test('a batch that fails to commit notifies nobody', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const l = await listen(pool);
    try {
      const bad = batch(2);
      bad.upsert('VaultPosition', { ...position('bob', 1n, 2), vault: null as unknown as string }); // NOT NULL violated
      await assert.rejects(flush(pool, bad, { ...cursorAt('provider-1', 2), fromHeight: 1 }), /null value/);
      await flush(pool, batch(3), { ...cursorAt('provider-1', 3), fromHeight: 1 });
      // the notification of the good batch comes, and it is the only one
      assert.deepEqual(await l.next(), { chainId: 'provider-1', fromHeight: 1, toHeight: 3, time: at(3).toISOString() });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(l.received.length, 0);
    } finally {
      await l.close();
    }
  });
});

test('the tip is written with the cursor; without one it stays as stored', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const tipOf = async () => (await pool.query('SELECT indexed_height, tip_height, tip_time FROM chains WHERE chain_id = $1', ['provider-1'])).rows[0];
    assert.deepEqual(await tipOf(), { indexed_height: 0, tip_height: null, tip_time: null });
    await flush(pool, batch(4), { ...cursorAt('provider-1', 4), tip: { height: 40, time: at(40) } });
    assert.deepEqual(await tipOf(), { indexed_height: 4, tip_height: 40, tip_time: at(40) });
    await flush(pool, batch(5), cursorAt('provider-1', 5));
    assert.deepEqual(await tipOf(), { indexed_height: 5, tip_height: 40, tip_time: at(40) });
    await flush(pool, batch(6), { ...cursorAt('provider-1', 6), tip: { height: 41, time: null } });
    assert.deepEqual(await tipOf(), { indexed_height: 6, tip_height: 41, tip_time: null });
    await assert.rejects(flush(pool, batch(7), { ...cursorAt('provider-1', 7), tip: { height: -1, time: null } }), RangeError);
  });
});
