// Optional fault injection for clients' retry logic (off by default): a deterministic fraction of
// HTTP requests is answered with a 5xx, a connection reset, no answer, a slow answer or truncated JSON.

export type FaultKind = '5xx' | 'reset' | 'timeout' | 'slow' | 'truncated';
export const FAULT_KINDS: readonly FaultKind[] = ['5xx', 'reset', 'timeout', 'slow', 'truncated'];

export interface FaultConfig {
  /** Fraction of requests that get a fault, 0..1. */
  rate: number;
  /** Kinds to draw from (uniformly); default all. */
  kinds?: FaultKind[];
  /** PRNG seed: the same seed and request order give the same faults. */
  seed?: number;
  /** Delay of a `slow` answer (default 1500 ms). */
  slowMs?: number;
  /** How long a `timeout` request is held before its socket is destroyed (default 60 s). */
  timeoutMs?: number;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private readonly rand: () => number;
  private readonly kinds: readonly FaultKind[];
  readonly counts: Record<FaultKind, number> = { '5xx': 0, reset: 0, timeout: 0, slow: 0, truncated: 0 };

  constructor(readonly config: FaultConfig) {
    if (!(config.rate >= 0 && config.rate <= 1)) throw new Error(`fault rate must be within [0, 1], got ${config.rate}`);
    this.kinds = config.kinds && config.kinds.length > 0 ? config.kinds : FAULT_KINDS;
    for (const k of this.kinds) if (!FAULT_KINDS.includes(k)) throw new Error(`unknown fault kind ${JSON.stringify(k)}`);
    this.rand = prng(config.seed ?? 1);
  }

  /** The fault for the next request, if any. */
  next(): FaultKind | undefined {
    if (this.config.rate === 0 || this.rand() >= this.config.rate) return undefined;
    const k = this.kinds[Math.floor(this.rand() * this.kinds.length)]!;
    this.counts[k]++;
    return k;
  }

  /** A 5xx status, drawn deterministically. */
  status(): number {
    return [500, 502, 503, 504][Math.floor(this.rand() * 4)]!;
  }

  get slowMs(): number {
    return this.config.slowMs ?? 1500;
  }

  get timeoutMs(): number {
    return this.config.timeoutMs ?? 60_000;
  }
}
