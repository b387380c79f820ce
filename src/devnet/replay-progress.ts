// Progress of a resume's replay (`npm start`, `devnet:live`): rounds done, rate and time left. A long
// run replays for minutes (a day of 1 s blocks takes about half an hour), so the line is kept up to
// date: redrawn in place on a TTY, otherwise printed every few seconds (container logs).
import { formatDuration } from '../progress-text.ts';

export interface ReplayProgressOptions {
  out?: { write(text: string): unknown; isTTY?: boolean };
  /** Milliseconds; performance.now by default. */
  now?: () => number;
  /** Least time between two lines (default 250 ms on a TTY, 5 s otherwise). */
  everyMs?: number;
}

export interface ReplayProgress {
  /** `done` of the total rounds replayed. */
  update(done: number): void;
  /** Prints the last line (a TTY line gets its newline). */
  end(): void;
}

export function replayProgress(total: number, opts: ReplayProgressOptions = {}): ReplayProgress {
  const out = opts.out ?? process.stderr;
  const tty = out.isTTY === true;
  const now = opts.now ?? (() => performance.now());
  const everyMs = opts.everyMs ?? (tty ? 250 : 5000);
  const start = now();
  let last = start;
  let done = 0;

  const line = (): string => {
    const secs = (now() - start) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const pct = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
    const left = rate > 0 && done < total ? `, ${formatDuration((total - done) / rate)} left` : '';
    return `devnet: replayed ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rounds (${pct}%), ${rate.toFixed(0)} rounds/s${left}`;
  };
  const write = (final: boolean) => out.write(tty ? `\r\x1b[2K${line()}${final ? '\n' : ''}` : `${line()}\n`);

  return {
    update(n) {
      done = n;
      const t = now();
      if (t - last < everyMs) return;
      last = t;
      write(false);
    },
    end() {
      write(true);
    },
  };
}
