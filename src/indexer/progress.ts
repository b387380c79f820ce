// Progress per chain: height, target, blocks/s, events/s, ETA. On a TTY one live line (redrawn in
// place); otherwise a plain line per chain every `everyMs`.
import { formatDuration } from '../progress-text.ts';
import type { ChainStats } from './chain-indexer.ts';

interface Sample {
  at: number;
  blocks: number;
  events: number;
}

export function formatProgress(s: Readonly<ChainStats>, bps: number, eps: number): string {
  const left = Math.max(0, s.tip - s.height);
  const eta = bps > 0 && left > 0 ? ` eta ${formatDuration(left / bps)}` : '';
  const pct = s.tip > 0 ? ` ${((100 * s.height) / s.tip).toFixed(1)}%` : '';
  return `${s.chainId} ${s.height}/${s.tip}${pct} ${bps.toFixed(0)} blocks/s ${eps.toFixed(0)} events/s${eta}${s.deadLetters ? ` dead ${s.deadLetters}` : ''} [${s.phase}]`;
}

export class Progress {
  private readonly chains = new Map<string, { s: Readonly<ChainStats>; prev: Sample; bps: number; eps: number }>();
  private timer?: ReturnType<typeof setInterval>;
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr, private readonly everyMs = out.isTTY ? 250 : 5000) {
    this.tty = out.isTTY === true;
  }

  track(s: Readonly<ChainStats>): void {
    this.chains.set(s.chainId, { s, prev: { at: performance.now(), blocks: s.blocks, events: s.events }, bps: 0, eps: 0 });
    this.timer ??= setInterval(() => this.render(), this.everyMs).unref();
  }

  private render(final = false): void {
    const now = performance.now();
    const lines: string[] = [];
    for (const c of this.chains.values()) {
      const dt = (now - c.prev.at) / 1000;
      if (dt > 0) {
        // smoothed so the TTY line does not flicker
        const a = this.tty ? 0.3 : 1;
        c.bps = a * ((c.s.blocks - c.prev.blocks) / dt) + (1 - a) * c.bps;
        c.eps = a * ((c.s.events - c.prev.events) / dt) + (1 - a) * c.eps;
      }
      c.prev = { at: now, blocks: c.s.blocks, events: c.s.events };
      lines.push(formatProgress(c.s, c.bps, c.eps));
    }
    if (this.tty) this.out.write(`\r\x1b[2K${lines.join(' | ')}${final ? '\n' : ''}`);
    else for (const l of lines) this.out.write(`${l}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.chains.size) this.render(true);
  }
}
