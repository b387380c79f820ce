// The server binds 127.0.0.1 unless told otherwise; a port that is taken fails the start without
// leaving database connections behind; close() ends HTTP, WebSockets, the LISTEN connection and both
// pools, and may be called twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { startApiServer } from '../server.ts';
import { collect, listenerPid, subscribers, wsClient } from '../subscriptions/subscriptions.testkit.ts';
import { freshDb } from './platform.testkit.ts';

async function apiConnections(pool: pg.Pool): Promise<string[]> {
  // a backend leaves pg_stat_activity a moment after its client hangs up
  let names: string[] = [];
  for (let i = 0; i < 40; i++) {
    const { rows } = await pool.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'mesh-api%' ORDER BY 1`,
    );
    names = rows.map((r) => r.application_name);
    if (names.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return names;
}

test('start on 127.0.0.1, fail cleanly on a taken port, close everything', async (t) => {
  const { db, pool, close } = await freshDb();
  t.after(close);
  const api = await startApiServer({ databaseUrl: db.url, port: 0, log: () => {} });
  assert.match(api.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const port = Number(new URL(api.url).port);
  const logs: string[] = [];
  await assert.rejects(startApiServer({ databaseUrl: db.url, port, log: (l) => logs.push(l) }), (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE');

  // a live subscription and a query, then close
  await listenerPid(pool);
  const client = wsClient(api);
  t.after(() => client.dispose());
  const sub = collect(client, 'subscription { slashAdded { id } }');
  await subscribers(api, 1);
  assert.equal((await fetch(api.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ apiVersion }"}' })).status, 200);

  await api.close();
  await api.close();
  await sub.done;
  assert.ok(sub.completed || sub.errors, 'the subscription ended with the server');
  await assert.rejects(fetch(api.graphqlUrl), 'nothing listens any more');
  assert.deepEqual(await apiConnections(pool), [], 'no API connection is left (the failed start left none either)');
});
