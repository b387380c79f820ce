// Cosmos SDK `math.LegacyDec` (18 decimals, big-int atomics) with the exact Go rounding rules
// (`cosmossdk.io/math/dec.go`, identical in SDK 0.47 and 0.50). Values are immutable.
// Signed values work (Go's big.Int Quo truncates toward zero, as bigint `/` does).

const PRECISION = 18;
const ONE = 10n ** 18n;
const HALF = ONE / 2n;
const ONE_SQUARED = ONE * ONE;
/** maxDecBitLen = 256 (maxBitLen) + 60 (LegacyDecimalPrecisionBits); larger results panic in Go. */
const MAX_BIT_LEN = 316;

const bitLen = (x: bigint): number => (x < 0n ? -x : x).toString(2).length;

const checkRange = (x: bigint): bigint => {
  if (x !== 0n && bitLen(x) > MAX_BIT_LEN) throw new Error('decimal out of range');
  return x;
};

/** chopPrecisionAndRound: divide by 10^18 with banker's rounding (half to even), sign-symmetric. */
function chopRound(x: bigint): bigint {
  if (x < 0n) return -chopRound(-x);
  const q = x / ONE;
  const r = x % ONE;
  if (r < HALF) return q;
  if (r > HALF) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}

/** chopPrecisionAndRoundUp: positive remainders round away from zero, negatives truncate. */
function chopRoundUp(x: bigint): bigint {
  if (x < 0n) return -(-x / ONE);
  const q = x / ONE;
  return x % ONE === 0n ? q : q + 1n;
}

export class LegacyDec {
  static readonly PRECISION = PRECISION;
  static readonly ZERO = new LegacyDec(0n);
  static readonly ONE = new LegacyDec(ONE);

  private constructor(
    /** The value × 10^18. */
    readonly atomics: bigint,
  ) {}

  static fromAtomics(atomics: bigint): LegacyDec {
    return new LegacyDec(checkRange(atomics));
  }

  /** NewDecFromInt / LegacyNewDec. */
  static fromInt(i: bigint | number): LegacyDec {
    return new LegacyDec(checkRange(BigInt(i) * ONE));
  }

  /** LegacyNewDecWithPrec(i, prec): i × 10^-prec. */
  static withPrec(i: bigint | number, prec: number): LegacyDec {
    if (prec < 0 || prec > PRECISION) throw new Error(`invalid precision; expected <= ${PRECISION}, got ${prec}`);
    return new LegacyDec(checkRange(BigInt(i) * 10n ** BigInt(PRECISION - prec)));
  }

  /** LegacyNewDecFromStr: "-"? digits ("." digits)?, at most 18 decimals ("0.1", "5", not ".5" or "5."). */
  static parse(str: string): LegacyDec {
    if (str.length === 0) throw new Error('decimal string cannot be empty');
    let s = str;
    let neg = false;
    if (s[0] === '-') {
      neg = true;
      s = s.slice(1);
    }
    if (s.length === 0) throw new Error('decimal string cannot be empty');
    const parts = s.split('.');
    if (parts.length > 2) throw new Error('invalid decimal string');
    const intPart = parts[0]!;
    const decPart = parts[1] ?? '';
    if (parts.length === 2 && (decPart.length === 0 || intPart.length === 0)) throw new Error('invalid decimal length');
    if (decPart.length > PRECISION) {
      throw new Error(
        `value '${s}' exceeds max precision by ${decPart.length - PRECISION} decimal places: max precision ${PRECISION}`,
      );
    }
    const combined = intPart + decPart + '0'.repeat(PRECISION - decPart.length);
    if (!/^[0-9]+$/.test(combined)) throw new Error(`failed to set decimal string with base 10: ${combined}`);
    const v = BigInt(combined);
    if (bitLen(v) > MAX_BIT_LEN) throw new Error(`decimal '${s}' out of range; bitLen: got ${bitLen(v)}, max ${MAX_BIT_LEN}`);
    return new LegacyDec(neg ? -v : v);
  }

  /** Go's String(): always 18 fractional digits ("0.100000000000000000", "-1.500000000000000000"). */
  toString(): string {
    const neg = this.atomics < 0n;
    const digits = (neg ? -this.atomics : this.atomics).toString().padStart(PRECISION + 1, '0');
    const cut = digits.length - PRECISION;
    return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
  }

  /** JSON as the Go string (cosmwasm Decimal-compatible callers re-parse it). */
  toJSON(): string {
    return this.toString();
  }

  isZero(): boolean {
    return this.atomics === 0n;
  }
  isNegative(): boolean {
    return this.atomics < 0n;
  }
  isPositive(): boolean {
    return this.atomics > 0n;
  }

  cmp(o: LegacyDec): -1 | 0 | 1 {
    return this.atomics < o.atomics ? -1 : this.atomics > o.atomics ? 1 : 0;
  }
  eq(o: LegacyDec): boolean {
    return this.atomics === o.atomics;
  }
  lt(o: LegacyDec): boolean {
    return this.atomics < o.atomics;
  }
  lte(o: LegacyDec): boolean {
    return this.atomics <= o.atomics;
  }
  gt(o: LegacyDec): boolean {
    return this.atomics > o.atomics;
  }
  gte(o: LegacyDec): boolean {
    return this.atomics >= o.atomics;
  }

  static min(a: LegacyDec, b: LegacyDec): LegacyDec {
    return a.lt(b) ? a : b;
  }
  static max(a: LegacyDec, b: LegacyDec): LegacyDec {
    return a.gt(b) ? a : b;
  }

  neg(): LegacyDec {
    return new LegacyDec(-this.atomics);
  }
  abs(): LegacyDec {
    return this.atomics < 0n ? this.neg() : this;
  }

  add(o: LegacyDec): LegacyDec {
    return new LegacyDec(checkRange(this.atomics + o.atomics));
  }
  sub(o: LegacyDec): LegacyDec {
    return new LegacyDec(checkRange(this.atomics - o.atomics));
  }

  /** Mul: product chopped with banker's rounding. */
  mul(o: LegacyDec): LegacyDec {
    return new LegacyDec(checkRange(chopRound(this.atomics * o.atomics)));
  }
  /** MulTruncate: product chopped toward zero. */
  mulTruncate(o: LegacyDec): LegacyDec {
    return new LegacyDec(checkRange((this.atomics * o.atomics) / ONE));
  }
  /** MulRoundUp. */
  mulRoundUp(o: LegacyDec): LegacyDec {
    return new LegacyDec(checkRange(chopRoundUp(this.atomics * o.atomics)));
  }
  /** MulInt: exact. */
  mulInt(i: bigint): LegacyDec {
    return new LegacyDec(checkRange(this.atomics * i));
  }

  /** Quo: (a × 10^36 / b) truncated, then chopped with banker's rounding, as Go does it. */
  quo(o: LegacyDec): LegacyDec {
    if (o.atomics === 0n) throw new Error('division by zero');
    return new LegacyDec(checkRange(chopRound((this.atomics * ONE_SQUARED) / o.atomics)));
  }
  /** QuoTruncate: (a × 10^36 / b) truncated, then chopped toward zero. */
  quoTruncate(o: LegacyDec): LegacyDec {
    if (o.atomics === 0n) throw new Error('division by zero');
    return new LegacyDec(checkRange((this.atomics * ONE_SQUARED) / o.atomics / ONE));
  }
  /** QuoRoundUp: (a × 10^36 / b) truncated, then chopped away from zero. */
  quoRoundUp(o: LegacyDec): LegacyDec {
    if (o.atomics === 0n) throw new Error('division by zero');
    return new LegacyDec(checkRange(chopRoundUp((this.atomics * ONE_SQUARED) / o.atomics)));
  }
  /** QuoInt: atomics / i, truncated. */
  quoInt(i: bigint): LegacyDec {
    if (i === 0n) throw new Error('division by zero');
    return new LegacyDec(this.atomics / i);
  }

  /** TruncateInt: toward zero. */
  truncateInt(): bigint {
    return this.atomics / ONE;
  }
  /** RoundInt: banker's rounding. */
  roundInt(): bigint {
    return chopRound(this.atomics);
  }
  /** Ceil (toward +∞). */
  ceilInt(): bigint {
    const q = this.atomics / ONE;
    return this.atomics > 0n && this.atomics % ONE !== 0n ? q + 1n : q;
  }
  /** TruncateDec: the integer part as a decimal. */
  truncateDec(): LegacyDec {
    return new LegacyDec((this.atomics / ONE) * ONE);
  }
}

/** Shorthand for literals in code and tests: dec("0.1"). */
export const dec = (s: string | bigint | number): LegacyDec =>
  typeof s === 'string' ? LegacyDec.parse(s) : LegacyDec.fromInt(s);
