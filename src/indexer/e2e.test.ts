// End to end: a seeded workload devnet (two chains providing to each other) served over RPC, indexed
// into PostgreSQL by the indexers; then verify finds no mismatch and every sent packet is complete.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sentPacketIds } from '../mappings/consumer.testkit.ts';
import { hashes, serve, testDb, workloadDevnet } from './indexer.testkit.ts';
import { runIndexers } from './run.ts';
import { verifyChain } from './verify.ts';

test('a seeded run indexed over RPC: verify finds 0 mismatches, every sent packet has both halves and an outcome', async (t) => {
  const w = workloadDevnet({ blocks: 300 });
  const served = await serve(w.chains);
  t.after(() => served.close());
  const { db, pool, close } = await testDb();
  t.after(close);
  const t0 = performance.now();
  const stats = await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' });
  const secs = (performance.now() - t0) / 1000;
  const blocks = stats.reduce((n, s) => n + s.blocks, 0);
  const events = stats.reduce((n, s) => n + s.events, 0);
  t.diagnostic(`${blocks} blocks, ${events} events in ${secs.toFixed(2)} s: ${(blocks / secs).toFixed(0)} blocks/s, ${(events / secs).toFixed(0)} events/s`);
  for (const c of w.chains) assert.equal(stats.find((s) => s.chainId === c.id)!.height, Number(c.height), `${c.id} indexed to its tip`);

  const dead = await pool.query('SELECT chain_id, height, reason FROM dead_letters LIMIT 5');
  assert.deepEqual(dead.rows, [], 'no dead letters on a clean run');

  for (const chain of served.project.chains) {
    const r = await verifyChain(pool, chain);
    t.diagnostic(`${chain.id}@${r.height}: ${JSON.stringify(r.checked)}`);
    assert.deepEqual(r.mismatches.slice(0, 5), [], `${chain.id} mismatches`);
    assert.ok((r.checked.vault_accounts ?? 0) > 0 && (r.checked.stakes ?? 0) > 0, `${chain.id} compared positions`);
  }

  const sent = w.chains.flatMap((c) => sentPacketIds(c));
  assert.ok(sent.length > 20, `${sent.length} packets sent`);
  const { rows } = await pool.query<{ id: string; send_height: number | null; recv_height: number | null; outcome: string | null }>(
    'SELECT id, send_height, recv_height, outcome FROM ibc_packets WHERE id = ANY($1)',
    [sent],
  );
  assert.equal(rows.length, new Set(sent).size, 'a row per sent packet');
  const incomplete = rows.filter((r) => r.send_height === null || r.outcome === null || r.outcome === 'pending' || (r.recv_height === null && r.outcome !== 'timed_out'));
  assert.deepEqual(incomplete.slice(0, 5), [], 'every packet has both halves and an outcome');

  // Indexing again from the cursor changes nothing.
  const before = await hashes(pool);
  await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' });
  assert.deepEqual(await hashes(pool), before);
});
