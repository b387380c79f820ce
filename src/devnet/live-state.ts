// How far the live devnet of `npm start` got, kept in the database it is indexed into (`meta` table),
// so a restart replays the same rounds and the indexer's cursors stay valid.
import type pg from 'pg';

export interface LiveDevnetState {
  topology: string;
  seed: number;
  rounds: number;
}

const KEY = 'devnet';

export async function loadDevnetState(db: pg.Pool): Promise<LiveDevnetState | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [KEY]);
  if (!rows[0]) return null;
  const v = JSON.parse(rows[0].value) as Partial<LiveDevnetState>;
  if (typeof v.topology !== 'string' || !Number.isSafeInteger(v.seed) || !Number.isSafeInteger(v.rounds)) {
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
