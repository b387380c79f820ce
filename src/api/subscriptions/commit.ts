// The indexer's commit notification: after each batch transaction it runs
// pg_notify('mesh_commit', '{"chainId","fromHeight","toHeight","time"}') (src/indexer/store/writer.ts),
// delivered to listeners when that transaction commits. Parsing is strict: anything else is ignored.

export const COMMIT_CHANNEL = 'mesh_commit';

export interface Commit {
  chainId: string;
  /** First and last height whose rows the batch committed (inclusive). */
  fromHeight: number;
  toHeight: number;
  /** ISO-8601 time of the last block, when the indexer sent it. */
  time: string | null;
}

const isHeight = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The commit in a notification payload, or an error message saying what is wrong with it. */
export function parseCommit(payload: string): Commit | string {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return `not JSON: ${payload.slice(0, 100)}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (typeof o.chainId !== 'string' || o.chainId.length === 0 || o.chainId.length > 128) return 'chainId must be a non-empty string';
  if (!isHeight(o.fromHeight) || !isHeight(o.toHeight)) return 'fromHeight and toHeight must be non-negative integers';
  if (o.fromHeight > o.toHeight) return `fromHeight ${o.fromHeight} is after toHeight ${o.toHeight}`;
  if (o.time != null && (typeof o.time !== 'string' || Number.isNaN(Date.parse(o.time)))) return 'time must be an ISO-8601 string';
  return { chainId: o.chainId, fromHeight: o.fromHeight, toHeight: o.toHeight, time: (o.time as string | undefined) ?? null };
}

/**
 * The heights of a commit still to deliver, given `lastSeen` (the highest height already delivered
 * for its chain): from lastSeen + 1, so a height is never delivered twice (a catch-up after a
 * reconnect, then a late notification) and heights a failed delivery skipped are covered by the
 * next commit. null when nothing new is left.
 */
export function clipCommit(c: Commit, lastSeen: number | undefined): Commit | null {
  if (lastSeen === undefined) return c;
  if (c.toHeight <= lastSeen) return null;
  return { ...c, fromHeight: lastSeen + 1 };
}
