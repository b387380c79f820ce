// Snapshots of the live devnet (state/snapshot.ts applied to a workload and its RPC stores), so that
// `npm start` resumes a long run from the newest snapshot instead of replaying every round since
// genesis. Where they are kept is the caller's (live-state.ts keeps them in the database).
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { Proxy as NativeStakingProxy } from './contracts/native-staking-proxy.ts';
import type { StoreResumePoint } from './node/block-store.ts';
import { ABSENT } from './state/journal.ts';
import { type SnapshotOptions, restoreSnapshot, shapeStamp, takeSnapshot } from './state/snapshot.ts';
import type { Workload } from './workload/run.ts';

/** Rounds between two snapshots: 10 minutes of 1 s blocks. */
export const SNAPSHOT_EVERY = 600;

export interface SavedSnapshot {
  round: number;
  /** gzip of state/snapshot.ts's bytes. */
  state: Uint8Array;
}

/** Where snapshots are kept. */
export interface SnapshotKeeper {
  /** The newest snapshot taken at or before round `atMost`, if any. */
  latest(atMost: number): Promise<SavedSnapshot | null>;
  /** Keeps `snapshot`; those older than the newest taken at or before round `needed` may go (no resume starts from them). */
  save(snapshot: SavedSnapshot, needed: number): Promise<void>;
}

/** What the devnet's state holds besides plain data: the journal's absent marker; proxies made per user. */
const OPTIONS: SnapshotOptions = { symbols: { absent: ABSENT }, classes: [NativeStakingProxy] };

/** The graph a snapshot holds: the workload (chains, contracts, generator, relayer) and where each store stands. */
interface Root {
  workload: Workload;
  stores: StoreResumePoint[];
}

/**
 * Not state: the workload's options (a restart may change the block time) and the chains' block
 * listeners (what follows them is the fresh devnet's: its stores, a status line's counter).
 */
const wiringOf = (workload: Workload): Set<object> => new Set<object>([workload.opts, ...workload.chains.map((c) => c.wiring)]);

/**
 * The stamp of this code's devnet state (state/snapshot.ts shapeStamp), of a devnet just built: a
 * snapshot taken by code whose state has other fields is refused.
 */
export function devnetStamp(fresh: Workload): string {
  return shapeStamp({ workload: fresh, stores: [] } satisfies Root, { ...OPTIONS, wiring: wiringOf(fresh) });
}

const gzipAsync = promisify(gzip);

/**
 * Takes a snapshot between rounds (synchronously, before the first await, so nothing runs meanwhile)
 * and compresses it off the main thread. Failures, the taking's included, reject.
 */
export async function snapshotLiveDevnet(workload: Workload, stores: ReadonlyArray<{ resumePoint(): StoreResumePoint }>, stamp: string): Promise<SavedSnapshot> {
  const round = workload.round;
  const state = takeSnapshot({ workload, stores: stores.map((s) => s.resumePoint()) } satisfies Root, { ...OPTIONS, wiring: wiringOf(workload), stamp });
  // one chunk: the default 16 KiB chunks each wait for a turn of the main thread, which a replay gives
  // only every ~20 ms, so a snapshot took minutes to compress there
  return { round, state: await gzipAsync(state, { chunkSize: Math.max(state.length, 64 * 1024) }) };
}

/**
 * Restores a snapshot into `fresh` (a devnet just built, whose stores follow its chains) with the
 * help of `probe`, a second one built the same way (see restoreSnapshot). Throws if it does not fit
 * (another stamp, another topology); `fresh` must then be dropped.
 */
export function restoreLiveDevnet(snapshot: SavedSnapshot, fresh: { workload: Workload; stores: ReadonlyArray<{ resumeAfter(p: StoreResumePoint): void }> }, probe: { workload: Workload }, stamp: string): void {
  const root: Root = { workload: fresh.workload, stores: [] };
  restoreSnapshot(gunzipSync(snapshot.state), root, { workload: probe.workload, stores: [] } satisfies Root, { ...OPTIONS, stamp });
  if (root.workload !== fresh.workload || root.workload.round !== snapshot.round) throw new Error(`the snapshot is not of round ${snapshot.round}`);
  if (root.stores.length !== fresh.stores.length) throw new Error(`the snapshot has ${root.stores.length} chains, this devnet ${fresh.stores.length}`);
  root.stores.forEach((p, i) => fresh.stores[i]!.resumeAfter(p));
}
