// End to end: the API is up and subscribed before the real indexer runs over a devnet workload; every
// packet stage the indexer commits (send, receive, acknowledgement, timeout) reaches the subscriber
// exactly once, as the indexer's own pg_notify after each batch announces it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serve, workloadDevnet } from '../../indexer/indexer.testkit.ts';
import { runIndexers } from '../../indexer/run.ts';
import { startApiServer } from '../server.ts';
import { freshDb } from '../plugins/platform.testkit.ts';
import { collect, listenerPid, subscribers, wsClient } from './subscriptions.testkit.ts';

test('packetUpdated follows the real indexer batch by batch', { timeout: 300_000 }, async (t) => {
  const { chains } = workloadDevnet({ blocks: 60, users: 8 });
  const served = await serve(chains);
  t.after(() => served.close());
  const { db, pool, close } = await freshDb();
  t.after(close);
  const api = await startApiServer({ databaseUrl: db.url, port: 0, log: () => {} });
  t.after(() => api.close());
  await listenerPid(pool);
  const client = wsClient(api);
  t.after(() => client.dispose());
  const feed = collect(client, 'subscription { packetUpdated { id chainId stages } }');
  await subscribers(api, 1);

  await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip', batchBlocks: 7 });

  // every stage of every packet, on the chain where it happened, as the indexed rows have it
  const { rows } = await pool.query<{ id: string; chain: string; stage: string }>(
    `SELECT id, source_chain_id AS chain, 'SEND' AS stage FROM ibc_packets WHERE send_height IS NOT NULL
     UNION ALL SELECT id, dest_chain_id, 'RECEIVE' FROM ibc_packets WHERE recv_height IS NOT NULL
     UNION ALL SELECT id, source_chain_id, 'ACKNOWLEDGEMENT' FROM ibc_packets WHERE ack_height IS NOT NULL
     UNION ALL SELECT id, source_chain_id, 'TIMEOUT' FROM ibc_packets WHERE timeout_height IS NOT NULL`,
  );
  const expected = rows.map((r) => `${r.id} ${r.chain} ${r.stage}`).sort();
  assert.ok(expected.length >= 10, `the workload sent packets (${expected.length} stages)`);
  const stagesOf = () => feed.events.flatMap((e) => (e.data as any).packetUpdated.stages.map((s: string) => `${(e.data as any).packetUpdated.id} ${(e.data as any).packetUpdated.chainId} ${s}`)).sort();
  const deadline = Date.now() + 20_000;
  while (stagesOf().length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(stagesOf(), expected);
  assert.ok(feed.events.length > 1, 'delivered over several batches');
  assert.equal(feed.errors, null);
});
