// RPC faults: with 10% of the devnet's HTTP answers replaced by 5xx, resets, timeouts or truncated
// JSON, the sync completes and the DB equals the clean run's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashes, serve, testDb, workloadDevnet } from './indexer.testkit.ts';
import { runIndexers } from './run.ts';

test('10% RPC faults (5xx, resets, timeouts, truncated JSON): the sync completes and the DB equals the clean run', async (t) => {
  const w = workloadDevnet({ blocks: 150, seed: 3 });
  const clean = await serve(w.chains);
  t.after(() => clean.close());
  const a = await testDb();
  t.after(a.close);
  await runIndexers({ project: clean.project, databaseUrl: a.db.url, until: 'tip' });
  const want = await hashes(a.pool);

  const faulty = await serve(w.chains, { rate: 0.1, seed: 42, kinds: ['5xx', 'reset', 'timeout', 'truncated'], timeoutMs: 5_000 });
  t.after(() => faulty.close());
  const b = await testDb();
  t.after(b.close);
  await runIndexers({ project: faulty.project, databaseUrl: b.db.url, until: 'tip', requestTimeoutMs: 500, batch: 1, retries: 20, backoffMs: 20, maxBackoffMs: 500 });
  const counts = faulty.servers.map((s) => s.faultCounts());
  t.diagnostic(`faults injected: ${JSON.stringify(counts)}`);
  assert.ok(counts.every((c) => c && c['5xx'] + c.reset + c.timeout + c.truncated > 0), 'faults were injected');
  assert.deepEqual(await hashes(b.pool), want);
});
