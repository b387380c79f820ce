// Seeded pseudo-random numbers for the workload: xoshiro128** (Blackman & Vigna) seeded through
// splitmix32, all in 32-bit integer arithmetic, so the same seed gives the same stream on every
// machine and Node version. Not cryptographic.

/** 32-bit hash of a string seed (cyrb53's mixing, folded to 32 bits). */
export function hashSeed(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export type Seed = number | string;

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Seed) {
    const sm = splitmix32(typeof seed === 'string' ? hashSeed(seed) : seed >>> 0 ^ Math.floor(seed / 2 ** 32));
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** Next uint32. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n) for 0 < n ≤ 2^32 (rejection sampling: no modulo bias). */
  int(n: number): number {
    if (n <= 1) return 0;
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** Uniform bigint in [lo, hi] (hi − lo < 2^53). */
  bigint(lo: bigint, hi: bigint): bigint {
    if (hi <= lo) return lo;
    const span = hi - lo + 1n;
    if (span <= 4294967296n) return lo + BigInt(this.int(Number(span)));
    const x = BigInt(this.u32()) * 2097152n + BigInt(this.u32() >>> 11); // 53 random bits
    return lo + (x % span);
  }

  /** Log-uniform bigint in [lo, hi] (lo ≥ 1): small and large amounts are both common. */
  logAmount(lo: bigint, hi: bigint): bigint {
    if (hi <= lo) return lo;
    const l = Math.log(Number(lo));
    const h = Math.log(Number(hi));
    const v = BigInt(Math.floor(Math.exp(l + (h - l) * this.float())));
    return v < lo ? lo : v > hi ? hi : v;
  }

  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('rng.pick: empty list');
    return items[this.int(items.length)]!;
  }

  /** Index chosen with probability proportional to its weight (weights ≥ 0, sum > 0). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (total <= 0) throw new Error('rng.weighted: all weights are zero');
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** An independent stream derived from this one and a label (does not advance this stream). */
  fork(label: string): Rng {
    return new Rng(((this.a ^ hashSeed(label)) >>> 0) ^ Math.imul(this.d, 0x9e3779b1));
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
