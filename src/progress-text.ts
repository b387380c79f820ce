// Text shared by the progress lines of long work (the indexer's sync, the devnet's replay).

/** A duration for a progress line: `45s`, `3m07s` (seconds rounded up), `2h05m` (whole minutes). */
export function formatDuration(sec: number): string {
  const s = Math.ceil(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
