import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { WriteBuffer } from './buffer.ts';
import { tableHashes } from './hash.ts';
import { cursorAt, lienEvent, noServer, position, withStore } from './store.testkit.ts';
import { flush, loadCursor } from './writer.ts';

/** Runs `before(client)` once, just before the first query on any of the pool's clients whose text matches. */
function interceptOnce(pool: pg.Pool, match: RegExp, before: (client: pg.PoolClient) => Promise<void>): void {
  let done = false;
  const patched = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => {
    if (patched.has(client)) return;
    patched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      if (!done && text && match.test(text)) {
        done = true;
        return before(client).then(() => query(...args));
      }
      return query(...args);
    };
  });
}

function batch(height: number): WriteBuffer {
  const buf = new WriteBuffer();
  for (let n = 0; n < 30; n++) buf.insert('LienEvent', lienEvent(n, height));
  buf.upsert('VaultPosition', position('alice', BigInt(height), height));
  return buf;
}

test('a connection lost in the middle of a flush leaves nothing behind; the next flush succeeds', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const before = await tableHashes(pool, { exclude: {} });
    // The backend dies after the COPYs, before the statements that apply them and move the cursor.
    interceptOnce(pool, /UPDATE chains SET indexed_height/, async (client) => {
      await client.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => {});
    });
    await assert.rejects(flush(pool, batch(1), cursorAt('provider-1', 1)));
    assert.deepEqual(await tableHashes(pool, { exclude: {} }), before);
    assert.equal((await loadCursor(pool, 'provider-1'))!.height, 0);

    const res = await flush(pool, batch(1), cursorAt('provider-1', 1));
    assert.equal(res.rows, 31);
    assert.equal((await loadCursor(pool, 'provider-1'))!.height, 1);
  });
});

test('a deadlock victim runs the whole transaction again', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    interceptOnce(pool, /FOR UPDATE/, async () => {
      throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    });
    const res = await flush(pool, batch(1), cursorAt('provider-1', 1));
    assert.equal(res.attempts, 2);
    assert.equal((await pool.query('SELECT count(*)::int AS n FROM lien_events')).rows[0].n, 30);
  });
});
