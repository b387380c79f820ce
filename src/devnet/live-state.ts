// How far the live devnet of `npm start` got, kept in the database it is indexed into (`meta` table),
// so a restart replays the same rounds and the indexer's cursors stay valid. Each chain's latest block
// hash goes with it: a replay by a devnet whose blocks differ (another version) is caught, instead of
// serving blocks that disagree with what the database indexed.
import type pg from 'pg';
import type { SavedSnapshot, SnapshotKeeper } from './live-snapshot.ts';
import type { LiveDevnet } from './live.ts';

/** A chain's latest block when the state was saved. */
export interface ChainTip {
  height: string;
  hash: string;
}

export interface LiveDevnetState {
  topology: string;
  seed: number;
  rounds: number;
  /** By chain id; absent in states saved before blocks were fingerprinted. */
  tips?: Record<string, ChainTip>;
}

const KEY = 'devnet';

const isTip = (t: unknown): t is ChainTip => typeof t === 'object' && t !== null && typeof (t as ChainTip).height === 'string' && typeof (t as ChainTip).hash === 'string';

export async function loadDevnetState(db: pg.Pool): Promise<LiveDevnetState | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [KEY]);
  if (!rows[0]) return null;
  const v = JSON.parse(rows[0].value) as Partial<LiveDevnetState>;
  const tipsOk = v.tips === undefined || (typeof v.tips === 'object' && v.tips !== null && Object.values(v.tips).every(isTip));
  if (typeof v.topology !== 'string' || !Number.isSafeInteger(v.seed) || !Number.isSafeInteger(v.rounds) || !tipsOk) {
    throw new Error(`meta.${KEY} is not a devnet state: ${rows[0].value}`);
  }
  return v as LiveDevnetState;
}

export async function saveDevnetState(db: pg.Pool, s: LiveDevnetState): Promise<void> {
  await db.query(
    `INSERT INTO meta (key, value, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [KEY, JSON.stringify(s)],
  );
}

/** Each chain's latest rendered block, as its RPC server serves it. */
export function devnetTips(devnet: Pick<LiveDevnet, 'servers'>): Record<string, ChainTip> {
  const tips: Record<string, ChainTip> = {};
  for (const [id, s] of devnet.servers) {
    const b = s.store.latest();
    if (b) tips[id] = { height: b.height.toString(), hash: b.hash };
  }
  return tips;
}

/**
 * Why this devnet cannot resume a saved run, checked before the replay: another topology or seed, or
 * a state saved without tips. Undefined when it can (or there is nothing saved).
 */
export function resumeRefusal(saved: LiveDevnetState | null, topology: string, seed: number): string | undefined {
  if (!saved) return undefined;
  if (saved.topology !== topology || saved.seed !== seed) {
    return (
      `this database holds a devnet run with topology ${saved.topology}, seed ${saved.seed} (${saved.rounds} rounds); ` +
      `start with --topology ${saved.topology} --seed ${saved.seed} to resume it`
    );
  }
  return replayMismatch(saved);
}

/**
 * Why a saved run cannot be resumed by this devnet, or undefined when it can. Call it before the
 * replay (a state without tips) and after it (the replayed blocks must hash as the saved ones).
 */
export function replayMismatch(saved: LiveDevnetState, devnet?: Pick<LiveDevnet, 'servers'>): string | undefined {
  if (saved.rounds > 0 && saved.tips === undefined) {
    return `this database holds a devnet run (${saved.rounds} rounds) saved by an older devnet version, whose blocks this one does not reproduce`;
  }
  if (!devnet || !saved.tips) return undefined;
  for (const [id, tip] of Object.entries(saved.tips)) {
    const store = devnet.servers.get(id)?.store;
    const replayed = store?.at(BigInt(tip.height));
    if (replayed?.hash !== tip.hash) {
      return `replaying ${saved.rounds} rounds gave ${id} block ${tip.height} hash ${replayed?.hash ?? '(none)'}, not ${tip.hash} as indexed: the blocks in this database come from another devnet version`;
    }
  }
  return undefined;
}

const SNAPSHOTS_DDL = `CREATE TABLE IF NOT EXISTS devnet_snapshots (
  topology text NOT NULL,
  seed     bigint NOT NULL,
  round    integer NOT NULL,
  state    bytea NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topology, seed, round)
);
COMMENT ON TABLE devnet_snapshots IS 'The live devnet''s state every few hundred rounds (gzip, src/devnet/state/snapshot.ts), so npm start resumes without replaying from genesis.';`;

/** Keeps the live devnet's snapshots in the database it is indexed into, next to its progress. */
export function snapshotKeeper(db: pg.Pool, topology: string, seed: number): SnapshotKeeper {
  let ready: Promise<unknown> | undefined;
  const table = () => (ready ??= db.query(SNAPSHOTS_DDL).catch((e: unknown) => {
    ready = undefined;
    throw e;
  }));
  return {
    async latest(atMost: number): Promise<SavedSnapshot | null> {
      await table();
      const { rows } = await db.query<{ round: number; state: Buffer }>(
        'SELECT round, state FROM devnet_snapshots WHERE topology = $1 AND seed = $2 AND round <= $3 ORDER BY round DESC LIMIT 1',
        [topology, seed, atMost],
      );
      return rows[0] ? { round: rows[0].round, state: rows[0].state } : null;
    },
    async save(s: SavedSnapshot, needed: number): Promise<void> {
      await table();
      await db.query(
        `INSERT INTO devnet_snapshots (topology, seed, round, state) VALUES ($1, $2, $3, $4)
         ON CONFLICT (topology, seed, round) DO UPDATE SET state = EXCLUDED.state, taken_at = now()`,
        [topology, seed, s.round, Buffer.from(s.state.buffer, s.state.byteOffset, s.state.byteLength)],
      );
      await db.query(
        `DELETE FROM devnet_snapshots WHERE topology = $1 AND seed = $2
           AND round < (SELECT max(round) FROM devnet_snapshots WHERE topology = $1 AND seed = $2 AND round <= $3)`,
        [topology, seed, needed],
      );
    },
  };
}
