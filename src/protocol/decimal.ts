// cosmwasm_std::Decimal: a fixed-point number with 18 fraction digits, stored as atomics
// (value × 10^18). inv() and from_ratio() truncate (spec §4 notation), which is why price
// round trips lose a unit (§4.4).
import { DivideByZeroError, UINT128_MAX, describe } from './uint.ts';

export const DECIMAL_FRACTIONAL = 10n ** 18n;
const DECIMAL_MAX_ATOMICS = UINT128_MAX;

export class Decimal {
  private constructor(readonly atomics: bigint) {}

  static readonly zero = new Decimal(0n);
  static readonly one = new Decimal(DECIMAL_FRACTIONAL);

  static fromAtomics(atomics: bigint): Decimal {
    if (atomics < 0n || atomics > DECIMAL_MAX_ATOMICS) throw new RangeError(`Decimal out of range: ${atomics} atomics`);
    return new Decimal(atomics);
  }

  /** Decimal::percent(n) */
  static percent(n: bigint | number): Decimal {
    return Decimal.fromAtomics(BigInt(n) * 10n ** 16n);
  }

  /** Decimal::from_str: `123`, `0.1`, `0.100000000000000000`; at most 18 fraction digits. */
  static parse(s: unknown): Decimal {
    if (typeof s !== 'string') throw new TypeError(`Decimal: expected a string, got ${describe(s)}`);
    const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(s);
    if (!m) throw new TypeError(`Decimal: error parsing ${JSON.stringify(s)}`);
    const whole = BigInt(m[1]!);
    const frac = m[2] ?? '';
    if (frac.length > 18) throw new RangeError('Cannot parse more than 18 fractional digits');
    const atomics = whole * DECIMAL_FRACTIONAL + BigInt((frac + '0'.repeat(18)).slice(0, 18) || '0');
    if (atomics > DECIMAL_MAX_ATOMICS) throw new RangeError('Value too big');
    return new Decimal(atomics);
  }

  /** Decimal::from_ratio(n, d): truncated to 18 digits; d = 0 panics in the contract. */
  static fromRatio(numerator: bigint, denominator: bigint): Decimal {
    if (denominator === 0n) throw new DivideByZeroError();
    return Decimal.fromAtomics((numerator * DECIMAL_FRACTIONAL) / denominator);
  }

  isZero(): boolean {
    return this.atomics === 0n;
  }

  /** Decimal::inv: 1/x truncated; None (here: undefined) for zero. */
  inv(): Decimal | undefined {
    if (this.atomics === 0n) return undefined;
    return Decimal.fromAtomics((DECIMAL_FRACTIONAL * DECIMAL_FRACTIONAL) / this.atomics);
  }

  add(o: Decimal): Decimal {
    return Decimal.fromAtomics(this.atomics + o.atomics);
  }

  /** Panics on underflow like the contracts' `-`. */
  sub(o: Decimal): Decimal {
    if (o.atomics > this.atomics) throw new RangeError(`Overflow: Cannot Sub with ${this} and ${o}`);
    return new Decimal(this.atomics - o.atomics);
  }

  /** Decimal × Decimal, truncated (cosmwasm rounds down). */
  mul(o: Decimal): Decimal {
    return Decimal.fromAtomics((this.atomics * o.atomics) / DECIMAL_FRACTIONAL);
  }

  cmp(o: Decimal): number {
    return this.atomics < o.atomics ? -1 : this.atomics > o.atomics ? 1 : 0;
  }

  gt(o: Decimal): boolean {
    return this.atomics > o.atomics;
  }

  /** Display form: no trailing zeros, no point for integers ("0.1", "1", "0.000000388888888889"). */
  toString(): string {
    const whole = this.atomics / DECIMAL_FRACTIONAL;
    const frac = this.atomics % DECIMAL_FRACTIONAL;
    if (frac === 0n) return whole.toString();
    return `${whole}.${frac.toString().padStart(18, '0').replace(/0+$/, '')}`;
  }

  /** Go's LegacyDec form with all 18 digits ("0.100000000000000000"). */
  toFixed18(): string {
    const whole = this.atomics / DECIMAL_FRACTIONAL;
    const frac = this.atomics % DECIMAL_FRACTIONAL;
    return `${whole}.${frac.toString().padStart(18, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Uint128::mul_floor(Decimal): floor(a × d). */
export function mulFloor(a: bigint, d: Decimal): bigint {
  return (a * d.atomics) / DECIMAL_FRACTIONAL;
}

/** Uint128::mul_ceil(Decimal): ceil(a × d). */
export function mulCeil(a: bigint, d: Decimal): bigint {
  const p = a * d.atomics;
  const q = p / DECIMAL_FRACTIONAL;
  return p % DECIMAL_FRACTIONAL === 0n ? q : q + 1n;
}
