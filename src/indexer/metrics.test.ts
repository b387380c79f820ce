import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChainStats } from './chain-indexer.ts';
import { IndexerMetrics } from './metrics.ts';
import { formatProgress } from './progress.ts';

const stats: ChainStats = { chainId: 'c-1', height: 120, mapped: 120, tip: 200, blocks: 120, events: 900, deadLetters: 2, flushes: 3, lastFlushMs: 4, lagMs: 300, phase: 'syncing' };

test('metrics: per-chain gauges and counters on 127.0.0.1 /metrics', async () => {
  const m = new IndexerMetrics({ defaults: false });
  m.onFlush(stats, 4);
  const s = await m.serve(0);
  try {
    const text = await (await fetch(s.url)).text();
    for (const line of ['mesh_indexer_height{chain="c-1"} 120', 'mesh_indexer_tip{chain="c-1"} 200', 'mesh_indexer_lag_blocks{chain="c-1"} 80', 'mesh_indexer_dead_letters_total{chain="c-1"} 2', 'mesh_indexer_events_total{chain="c-1"} 900'])
      assert.ok(text.includes(line), line);
    assert.match(text, /mesh_indexer_flush_seconds_count\{chain="c-1"\} 1/);
  } finally {
    await s.close();
  }
});

test('progress line: height, target, rates, ETA', () => {
  assert.equal(formatProgress(stats, 40, 300), 'c-1 120/200 60.0% 40 blocks/s 300 events/s eta 2s dead 2 [syncing]');
});
