// The server's one LISTEN connection comes back after being killed (pg_terminate_backend), and what
// the indexer committed meanwhile (its notification went nowhere) is delivered from the `chains`
// table once it is back, exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertChain, platformApi } from '../plugins/platform.testkit.ts';
import { collect, insertSlash, listenerPid, notifyCommit, subscribers, timeAt, wsClient } from './subscriptions.testkit.ts';

test('the LISTEN connection reconnects and catches up on missed commits', async (t) => {
  const h = await platformApi({}, async (pool) => insertChain(pool, 'osmo-devnet-1', 100, 100));
  t.after(() => h.close());
  const first = await listenerPid(h.pool);
  const { rows: conns } = await h.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mesh-api-listen'`);
  assert.equal(conns[0].n, 1, 'one LISTEN connection per server');
  const client = wsClient(h.api);
  t.after(() => client.dispose());
  const slashes = collect(client, 'subscription { slashAdded { id height } }');
  await subscribers(h.api, 1);

  // the indexer commits height 101 while the listener is being killed: its notification is lost
  await insertSlash(h.pool, { id: 'missed', chainId: 'osmo-devnet-1', height: 101 });
  await insertChain(h.pool, 'osmo-devnet-1', 101, 101);
  const killed = await h.pool.query('SELECT pg_terminate_backend($1) AS ok', [first]);
  assert.equal(killed.rows[0].ok, true);

  const second = await listenerPid(h.pool, first);
  assert.notEqual(second, first);
  assert.deepEqual((await slashes.waitFor(1)).map((e) => e.data!.slashAdded), [{ id: 'missed', height: 101 }]);
  assert.ok(h.logs.some((l) => /commit listener: connection lost/.test(l)), h.logs.join('\n'));

  // notifications flow again over the new connection; the late notification for 101 adds nothing
  await notifyCommit(h.pool, { chainId: 'osmo-devnet-1', fromHeight: 101, toHeight: 101, time: timeAt(101) });
  await insertSlash(h.pool, { id: 'after', chainId: 'osmo-devnet-1', height: 102 });
  await notifyCommit(h.pool, { chainId: 'osmo-devnet-1', fromHeight: 102, toHeight: 102, time: timeAt(102) });
  assert.deepEqual((await slashes.waitFor(2)).map((e) => e.data!.slashAdded.id), ['missed', 'after']);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(slashes.events.length, 2);

  // close() ends the LISTEN connection with the server
  await h.api.close();
  // (a backend leaves pg_stat_activity a moment after its client hangs up)
  let left: Array<{ application_name: string; state: string }> = [];
  for (let i = 0; i < 40; i++) {
    ({ rows: left } = await h.pool.query(`SELECT application_name, state FROM pg_stat_activity WHERE datname = current_database() AND application_name IN ('mesh-api-listen', 'mesh-api')`));
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(left, [], 'no API connection is left after close()');
});
