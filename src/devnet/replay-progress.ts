// Progress of a resume's replay (`npm start`, `devnet:live`): rounds done, rate and time left. A replay
// takes up to a minute from a snapshot and far longer from genesis (a day of 1 s blocks, about half an
// hour), so the line is kept up to date: redrawn in place on a TTY, otherwise printed every few
// seconds (container logs).
import { formatDuration } from '../progress-text.ts';

export interface ReplayProgressOptions {
  out?: { write(text: string): unknown; isTTY?: boolean };
  /** Milliseconds; performance.now by default. */
  now?: () => number;
  /** Least time between two lines (default 250 ms on a TTY, 5 s otherwise). */
  everyMs?: number;
}

export interface ReplayProgress {
  /**
   * `done` of the total rounds replayed. The clock starts at the first call (the replay reports 0
   * first), and again when `total` changes (a resume that found a snapshot replays fewer rounds).
   */
  update(done: number, total?: number): void;
  /** Prints the last line (a TTY line gets its newline); a replay cut short says so instead of a time left. */
  end(): void;
}

export function replayProgress(total: number, opts: ReplayProgressOptions = {}): ReplayProgress {
  const out = opts.out ?? process.stderr;
  const tty = out.isTTY === true;
  const now = opts.now ?? (() => performance.now());
  const everyMs = opts.everyMs ?? (tty ? 250 : 5000);
  // From the replay's first report, not from here: the devnet's deployment comes before it.
  let start: number | undefined;
  let last = 0;
  let done = 0;

  const line = (final: boolean): string => {
    const secs = start === undefined ? 0 : (now() - start) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const pct = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
    const tail = done >= total ? '' : final ? ', stopped' : rate > 0 ? `, ${formatDuration((total - done) / rate)} left` : '';
    return `devnet: replayed ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rounds (${pct}%), ${rate.toFixed(0)} rounds/s${tail}`;
  };
  const write = (final: boolean) => out.write(tty ? `\r\x1b[2K${line(final)}${final ? '\n' : ''}` : `${line(final)}\n`);

  return {
    update(n, newTotal) {
      if (newTotal !== undefined && newTotal !== total) {
        total = newTotal;
        start = undefined;
      }
      done = n;
      const t = now();
      if (start === undefined) start = last = t;
      if (t - last < everyMs) return;
      last = t;
      write(false);
    },
    end() {
      write(true);
    },
  };
}
