// The indexer's memory budget. V8 lets the old generation grow to several times the data that is
// live before it collects it (the growth factor adapts up to 4×); an indexer's live data is small
// (the replica, one batch of rows, the blocks in hand) but it allocates fast, so its peak RSS is
// mostly garbage waiting for a full GC. Capping the factor keeps the peak near the live size for a
// few percent more GC time. The setting is process-wide and read by V8 at every full GC, so it can
// be changed at run time (cf. `node --heap-growing-percent`).
import v8 from 'node:v8';

/** Default: the old generation may grow to 2× the live data before a full GC. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 100;

export function capHeapGrowth(percent: number = DEFAULT_HEAP_GROWTH_PERCENT): void {
  if (!Number.isSafeInteger(percent) || percent < 0) throw new RangeError(`heap growth must be a non-negative integer percent, got ${percent}`);
  // 0 restores V8's adaptive factor
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
