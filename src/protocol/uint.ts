// Unsigned integer amounts as bigint, with CosmWasm's Uint128/Uint64 bounds and error texts.
// Amounts travel as decimal strings (spec §0.3); arithmetic that leaves the range fails like
// cosmwasm_std's checked_* / panicking operators do.

export const UINT64_MAX = (1n << 64n) - 1n;
export const UINT128_MAX = (1n << 128n) - 1n;
export const UINT256_MAX = (1n << 256n) - 1n;

/** The error a contract raises for an arithmetic overflow (cosmwasm_std::OverflowError). */
export class OverflowError extends Error {
  constructor(op: 'Add' | 'Sub' | 'Mul', a: bigint, b: bigint) {
    super(`Overflow: Cannot ${op} with given operands`);
    this.name = 'OverflowError';
    this.detail = `${a} ${op} ${b}`;
  }
  readonly detail: string;
}

/**
 * A Rust panic in contract code (plain `+ - * /` on Uint128/Uint256, Decimal::from_ratio(_, 0)).
 * It is not a contract error: wasmd aborts the whole tx (cosmos-wire §4.3), so a packet whose
 * receive panics gets no acknowledgement at all (spec §7 item 14).
 */
export class ContractPanic extends Error {
  constructor(readonly payload: string) {
    super(`panicked at '${payload}'`);
    this.name = 'ContractPanic';
  }
}

/** Integer division by zero: a panic in the contracts. */
export class DivideByZeroError extends ContractPanic {
  constructor() {
    super('attempt to divide by zero');
    this.name = 'DivideByZeroError';
  }
}

/** Parses a Uint128 decimal string strictly: digits only, no sign, no leading '+', in range. */
export function parseUint128(s: unknown, what = 'Uint128'): bigint {
  return parseUint(s, UINT128_MAX, what);
}

export function parseUint64(s: unknown, what = 'Uint64'): bigint {
  return parseUint(s, UINT64_MAX, what);
}

function parseUint(s: unknown, max: bigint, what: string): bigint {
  if (typeof s !== 'string') throw new TypeError(`${what}: expected a decimal string, got ${describe(s)}`);
  if (!/^[0-9]+$/.test(s)) throw new TypeError(`${what}: invalid decimal string ${JSON.stringify(s)}`);
  const v = BigInt(s);
  if (v > max) throw new RangeError(`${what}: ${s} is out of range`);
  return v;
}

/** A JSON number that must be a non-negative integer (u64/u32 fields such as tx_id, height). */
export function parseU64Number(n: unknown, what = 'u64'): bigint {
  if (typeof n === 'bigint') {
    if (n < 0n || n > UINT64_MAX) throw new RangeError(`${what}: ${n} is out of range`);
    return n;
  }
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`${what}: expected a non-negative integer, got ${describe(n)}`);
  }
  return BigInt(n);
}

export function checkedAdd(a: bigint, b: bigint, max = UINT128_MAX): bigint {
  const r = a + b;
  if (r > max) throw new OverflowError('Add', a, b);
  return r;
}

export function checkedSub(a: bigint, b: bigint): bigint {
  if (b > a) throw new OverflowError('Sub', a, b);
  return a - b;
}

export function checkedMul(a: bigint, b: bigint, max = UINT128_MAX): bigint {
  const r = a * b;
  if (r > max) throw new OverflowError('Mul', a, b);
  return r;
}

export function saturatingSub(a: bigint, b: bigint): bigint {
  return a > b ? a - b : 0n;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
