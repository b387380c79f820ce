import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type SavedSnapshot, type SnapshotKeeper, devnetStamp, snapshotLiveDevnet } from './live-snapshot.ts';
import { type LiveDevnet, type LiveDevnetOptions, startLiveDevnet } from './live.ts';
import type { ChainTip } from './live-state.ts';

/** Snapshots in memory, dropped as the database keeper drops them. */
function memoryKeeper(): SnapshotKeeper & { rounds(): number[]; saves: number } {
  const kept = new Map<number, SavedSnapshot>();
  const k = {
    saves: 0,
    rounds: () => [...kept.keys()].sort((a, b) => a - b),
    latest: async (atMost: number) => kept.get(Math.max(-1, ...k.rounds().filter((r) => r <= atMost))) ?? null,
    save: async (s: SavedSnapshot, needed: number) => {
      k.saves++;
      kept.set(s.round, s);
      const oldest = Math.max(-1, ...k.rounds().filter((r) => r <= needed));
      for (const r of kept.keys()) if (r < oldest) kept.delete(r);
    },
  };
  return k;
}

const OPTS = { topology: 'default', seed: 11, blockTimeMs: 1000, rpcPort: 0, retainBlocks: 40, snapshotEvery: 30 } as const;

async function withDevnet(opts: Partial<LiveDevnetOptions>, fn: (d: LiveDevnet, lines: string[]) => Promise<void>): Promise<void> {
  const ac = new AbortController();
  const lines: string[] = [];
  const d = await startLiveDevnet({ ...OPTS, ...opts, signal: ac.signal, log: (l) => lines.push(l) });
  try {
    await fn(d, lines);
  } finally {
    ac.abort();
    await d.close();
  }
}

const tipsOf = (d: LiveDevnet): Record<string, ChainTip> =>
  Object.fromEntries([...d.servers].map(([id, s]) => [id, { height: s.store.latest()!.height.toString(), hash: s.store.latest()!.hash }]));

const until = async (ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok());
};

test('a resume starts from the newest snapshot a window back and produces the same blocks as a replay from genesis', async () => {
  const keeper = memoryKeeper();
  const full = new Map<string, Map<bigint, Buffer>>();
  let fullTips: Record<string, ChainTip> = {};
  // a run of 120 rounds from genesis: snapshots at 30, 60, 90, 120, of which a resume needs 60 and later
  await withDevnet({ resumeRounds: 30, snapshots: keeper }, async (d) => {
    // listeners added once the devnet runs (serve.ts's tx counter) are not state (regression: the
    // snapshots taken with one had "a function at … has no counterpart" and were never restored)
    let counted = 0;
    for (const c of d.chains) c.onBlock(() => counted++);
    for (let i = 0; i < 90; i++) d.workload.step();
    assert.ok(counted >= 180);
    await until(() => keeper.saves === 4);
    assert.deepEqual(keeper.rounds(), [60, 90, 120]);
    fullTips = tipsOf(d);
    // ten more rounds, to compare with the resumed devnet's
    for (let i = 0; i < 10; i++) d.workload.step();
    for (const [id, s] of d.servers) {
      const blocks = new Map<bigint, Buffer>();
      for (let h = s.store.base; h <= s.store.height; h++) blocks.set(h, s.store.at(h)!.resultsBuf);
      full.set(id, blocks);
    }
  });

  const replayed = new Set<number>();
  // another block time: a setting, not state (regression: the snapshot's 1000 ms came back with it)
  await withDevnet({ resumeRounds: 120, snapshots: keeper, resumeTips: fullTips, blockTimeMs: 250, onReplay: (_done, total) => replayed.add(total) }, async (d, lines) => {
    // 120 - 40 = 80: the newest snapshot at or before it is round 60's
    assert.match(lines.join('\n'), /restored the snapshot of round 60 in/);
    assert.doesNotMatch(lines.join('\n'), /replaying from the start/);
    assert.deepEqual([...replayed], [60], 'replays 60 rounds, not 120');
    assert.equal(d.workload.opts.blockTimeMs, 250);
    assert.deepEqual(tipsOf(d), fullTips);
    for (let i = 0; i < 10; i++) d.workload.step();
    for (const [id, s] of d.servers) {
      const blocks = full.get(id)!;
      const tip = s.store.height;
      assert.equal(tip, [...blocks.keys()].pop());
      // the window refilled: every block since the snapshot is served, byte for byte as the full run's
      assert.ok(s.store.base <= tip - 40n, `window ${s.store.base}..${tip}`);
      for (let h = s.store.base; h <= tip; h++) assert.ok(s.store.at(h)!.resultsBuf.equals(blocks.get(h)!), `${id} block_results ${h}`);
    }
  });
});

test('a snapshot that does not fit is passed over: the resume replays from genesis and says why', async () => {
  const keeper = memoryKeeper();
  await keeper.save({ round: 30, state: Buffer.from('not a snapshot') }, 0);
  await withDevnet({ resumeRounds: 80, snapshots: keeper }, async (d, lines) => {
    assert.match(lines.join('\n'), /the snapshot of round 30 does not fit this devnet .*replaying from the start/);
    assert.equal(d.workload.round, 80);
  });
});

test('a snapshot taken by code whose state has other fields is refused by its stamp', async () => {
  const keeper = memoryKeeper();
  await withDevnet({ resumeRounds: 30 }, async (d) => {
    await keeper.save(await snapshotLiveDevnet(d.workload, [...d.servers.values()].map((s) => s.store), 'older-code'), 0);
  });
  await withDevnet({ resumeRounds: 80, snapshots: keeper }, async (d, lines) => {
    assert.match(lines.join('\n'), /the snapshot of round 30 does not fit this devnet \(snapshot: taken by another version of the code \(stamp older-code, this one's [0-9a-f]{16}\).*replaying from the start/);
    assert.equal(d.workload.round, 80);
  });
});

test('a replay from a snapshot that fails starts over from genesis (regression: it crashed npm start)', async () => {
  const keeper = memoryKeeper();
  let tips: Record<string, ChainTip> = {};
  let stamp = '';
  await withDevnet({}, async (d) => void (stamp = devnetStamp(d.workload))); // as live.ts stamps: a devnet just built
  await withDevnet({ resumeRounds: 30 }, async (d) => {
    // as code that gave a class a field after the snapshot was taken: restored, the field is missing
    const chain = d.chains[0]!;
    const time = chain.time;
    delete (chain as Partial<typeof chain>).time;
    await keeper.save(await snapshotLiveDevnet(d.workload, [...d.servers.values()].map((s) => s.store), stamp), 0);
    chain.time = time;
    for (let i = 0; i < 50; i++) d.workload.step();
    tips = tipsOf(d);
  });
  await withDevnet({ resumeRounds: 80, snapshots: keeper, resumeTips: tips }, async (d, lines) => {
    assert.match(lines.join('\n'), /restored the snapshot of round 30/);
    assert.match(lines.join('\n'), /the replay from the snapshot of round 30 failed \(.*BigInt.*\); replaying from the start/);
    assert.equal(d.workload.round, 80);
    assert.deepEqual(tipsOf(d), tips);
  });
});
