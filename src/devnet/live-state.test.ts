import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { type LiveDevnet, startLiveDevnet } from './live.ts';
import { devnetTips, loadDevnetState, replayMismatch, resumeRefusal, saveDevnetState, snapshotKeeper } from './live-state.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

async function liveDevnet(resumeRounds: number, fn: (d: LiveDevnet) => Promise<void>): Promise<void> {
  const ac = new AbortController();
  const d = await startLiveDevnet({ topology: 'default', seed: 3, blockTimeMs: 1000, rpcPort: 0, resumeRounds, signal: ac.signal });
  try {
    await fn(d);
  } finally {
    ac.abort();
    await d.close();
  }
}

test('a replay of the saved rounds reproduces the saved tips; other blocks or an unfingerprinted state are refused', async () => {
  let saved = { topology: 'default', seed: 3, rounds: 0, tips: {} as Record<string, { height: string; hash: string }> };
  await liveDevnet(0, async (d) => {
    await d.workload.fastForward(6);
    saved = { ...saved, rounds: d.workload.round, tips: devnetTips(d) };
  });
  assert.equal(saved.rounds, 6);
  assert.deepEqual(Object.keys(saved.tips).sort(), ['juno-devnet-1', 'osmo-devnet-1']);
  for (const tip of Object.values(saved.tips)) assert.match(tip.hash, /^[0-9A-F]{64}$/);

  await liveDevnet(saved.rounds, async (d) => {
    assert.equal(replayMismatch(saved), undefined);
    assert.equal(replayMismatch(saved, d), undefined);
    const [id, tip] = Object.entries(saved.tips)[0]!;
    const forged = { ...saved, tips: { ...saved.tips, [id]: { ...tip, hash: 'AB'.repeat(32) } } };
    assert.match(replayMismatch(forged, d) ?? '', new RegExp(`${id} block ${tip.height} hash ${tip.hash}, not ${'AB'.repeat(32)}.*another devnet version`));
  });

  // another topology or seed: refused before any replay, with the flags that resume it
  assert.equal(resumeRefusal(null, 'default', 3), undefined);
  assert.equal(resumeRefusal(saved, 'default', 3), undefined);
  assert.equal(
    resumeRefusal(saved, 'default', 4),
    'this database holds a devnet run with topology default, seed 3 (6 rounds); start with --topology default --seed 3 to resume it',
  );
  assert.match(resumeRefusal({ ...saved, topology: 'seeds-mesh' }, 'default', 3) ?? '', /topology seeds-mesh, seed 3/);
  assert.match(resumeRefusal({ topology: 'default', seed: 3, rounds: 6 }, 'default', 3) ?? '', /older devnet version/);

  // saved before blocks were fingerprinted: refused before any replay, unless nothing was produced yet
  assert.match(replayMismatch({ topology: 'default', seed: 3, rounds: 6 }) ?? '', /older devnet version/);
  assert.equal(replayMismatch({ topology: 'default', seed: 3, rounds: 0 }), undefined);
});

test('the devnet state round-trips through the meta table and a malformed one is an error', { skip: noServer }, async () => {
  const db = await createTestDatabase();
  const pool = db.pool(1);
  try {
    await migrate(pool);
    assert.equal(await loadDevnetState(pool), null);
    const s = { topology: 'default', seed: 3, rounds: 42, tips: { 'osmo-devnet-1': { height: '55', hash: 'CD'.repeat(32) } } };
    await saveDevnetState(pool, s);
    assert.deepEqual(await loadDevnetState(pool), s);
    await pool.query(`UPDATE meta SET value = $1 WHERE key = 'devnet'`, [JSON.stringify({ ...s, tips: { 'osmo-devnet-1': { height: 55 } } })]);
    await assert.rejects(loadDevnetState(pool), /meta\.devnet is not a devnet state/);
  } finally {
    await pool.end();
    await db.drop();
  }
});

test('snapshots round-trip through the database, per topology and seed, and those no resume needs are dropped', { skip: noServer }, async () => {
  const db = await createTestDatabase();
  const pool = db.pool(1);
  try {
    const keeper = snapshotKeeper(pool, 'default', 3);
    assert.equal(await keeper.latest(1_000), null, 'the table is made on first use');
    const state = (round: number) => Buffer.from(`state of round ${round}`);
    for (const round of [600, 1200, 1800]) await keeper.save({ round, state: state(round) }, round - 1000);
    // at 1800 a resume needs at most 800 rounds back: 600 is the newest there, so nothing older goes yet
    assert.deepEqual((await pool.query('SELECT round FROM devnet_snapshots ORDER BY round')).rows.map((r) => r.round), [600, 1200, 1800]);
    await keeper.save({ round: 2400, state: state(2400) }, 1400);
    assert.deepEqual((await pool.query('SELECT round FROM devnet_snapshots ORDER BY round')).rows.map((r) => r.round), [1200, 1800, 2400]);
    const got = await keeper.latest(2000);
    assert.equal(got?.round, 1800);
    assert.equal(Buffer.from(got!.state).toString(), 'state of round 1800');
    assert.equal(await keeper.latest(1199), null);
    // another seed's snapshots are its own
    assert.equal(await snapshotKeeper(pool, 'default', 4).latest(10_000), null);
  } finally {
    await pool.end();
    await db.drop();
  }
});
