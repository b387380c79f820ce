// The time range of a dashboard series: ISO-8601 bounds checked (malformed or reversed →
// BAD_USER_INPUT), aligned to UTC bucket boundaries (`from` down, `to` up: `to` is exclusive), and
// bounded in length.
import { badInput } from '../errors.ts';
import { parseTime } from '../validate.ts';

export type BucketSize = 'hour' | 'day';

/** Most buckets one series may span. */
export const MAX_BUCKETS = 1000;

export const BUCKET_MS: Record<BucketSize, number> = { hour: 3_600_000, day: 86_400_000 };

export interface BucketRange {
  /** First bucket start (inclusive). */
  from: Date;
  /** End of the last bucket (exclusive). */
  to: Date;
  /** Buckets in [from, to). */
  buckets: number;
}

export const floorTo = (t: number, size: BucketSize): number => Math.floor(t / BUCKET_MS[size]) * BUCKET_MS[size];
export const ceilTo = (t: number, size: BucketSize): number => Math.ceil(t / BUCKET_MS[size]) * BUCKET_MS[size];

/** The requested bounds, parsed; either may be absent (filled from the data by the caller). */
export function parseBounds(from: string | null | undefined, to: string | null | undefined): { from: Date | null; to: Date | null } {
  const f = from != null ? parseTime(from, 'from') : null;
  const t = to != null ? parseTime(to, 'to') : null;
  if (f && t && f >= t) throw badInput(`"from" (${from}) must be before "to" (${to})`, 'from');
  return { from: f, to: t };
}

/**
 * The bucket range for the bounds, where a missing bound is taken from the data: `from` defaults to the
 * first bucket with data but at most MAX_BUCKETS before `to`; `to` to the end of the last bucket with
 * data, at least one bucket after `from` and at most MAX_BUCKETS after it. Explicit bounds spanning more than MAX_BUCKETS are
 * refused. null when there is nothing to show (no bound given and no data).
 */
export function bucketRange(
  size: BucketSize,
  bounds: { from: Date | null; to: Date | null },
  data: { first: Date | null; last: Date | null },
): BucketRange | null {
  const step = BUCKET_MS[size];
  const ends = [data.last ? floorTo(data.last.getTime(), size) + step : null, bounds.from ? floorTo(bounds.from.getTime(), size) + step : null].filter((x) => x !== null);
  let toMs = bounds.to ? ceilTo(bounds.to.getTime(), size) : ends.length > 0 ? Math.max(...ends) : null;
  if (toMs === null) return null;
  if (!bounds.to && bounds.from) toMs = Math.min(toMs, floorTo(bounds.from.getTime(), size) + MAX_BUCKETS * step);
  let fromMs: number;
  if (bounds.from) {
    fromMs = floorTo(bounds.from.getTime(), size);
    const n = (toMs - fromMs) / step;
    if (n > MAX_BUCKETS) throw badInput(`the range spans ${n} ${size} buckets, at most ${MAX_BUCKETS}: narrow "from"/"to" or use a larger bucket`, 'from');
  } else {
    const first = data.first ? floorTo(data.first.getTime(), size) : toMs - step;
    fromMs = Math.max(Math.min(first, toMs - step), toMs - MAX_BUCKETS * step);
  }
  return { from: new Date(fromMs), to: new Date(toMs), buckets: (toMs - fromMs) / step };
}
