// The virtual-staking contract's share of a consumer-chain slash, as x/meshsecurity's EndBlocker
// computes it before sending `handle_valset_update` (spec §3.1 EndBlocker step 1, sdk.md §1.6):
//
//   delegatorSlashAmount := delegatorShares.Quo(validatorShares).MulInt(totalSlashAmount)
//   SlashAmount = delegatorSlashAmount.RoundInt()
//
// with Go LegacyDec semantics: 18 decimals stored as integer atomics; Quo rounds its 18-digit result
// half-to-even (chopPrecisionAndRound), MulInt is exact, RoundInt rounds half-to-even. Shares are
// read after the slash (slashing changes tokens, not shares).

export const LEGACY_PRECISION = 10n ** 18n;

/** chopPrecisionAndRound: atomics / 10^18 rounded half-to-even (non-negative inputs). */
export function chopPrecisionAndRound(x: bigint): bigint {
  if (x < 0n) return -chopPrecisionAndRound(-x);
  const q = x / LEGACY_PRECISION;
  const r = x % LEGACY_PRECISION;
  const half = LEGACY_PRECISION / 2n;
  if (r < half) return q;
  if (r > half) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}

/** LegacyDec.Quo on atomics: (a × 10^36 / b) truncated, then chopped with rounding. */
export function legacyQuo(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  return chopPrecisionAndRound((a * LEGACY_PRECISION * LEGACY_PRECISION) / b);
}

/** LegacyDec.RoundInt on atomics. */
export const legacyRoundInt = chopPrecisionAndRound;

/** Parses a Go LegacyDec string ("45", "22.5", "0.000000388888888889") into atomics. */
export function parseLegacyDec(s: string): bigint {
  const m = /^(-?)([0-9]+)(?:\.([0-9]{1,18}))?$/.exec(s);
  if (!m) throw new TypeError(`invalid LegacyDec ${JSON.stringify(s)}`);
  const v = BigInt(m[2]!) * LEGACY_PRECISION + BigInt((m[3] ?? '').padEnd(18, '0') || '0');
  return m[1] ? -v : v;
}

/** LegacyDec String(): always 18 fraction digits ("0.100000000000000000"). */
export function formatLegacyDec(atomics: bigint): string {
  const neg = atomics < 0n;
  const a = neg ? -atomics : atomics;
  return `${neg ? '-' : ''}${a / LEGACY_PRECISION}.${(a % LEGACY_PRECISION).toString().padStart(18, '0')}`;
}

/**
 * The contract's share of a validator slash: round(delegatorShares / validatorShares × totalSlash).
 * Shares are LegacyDec atomics; a validator without shares or a contract without a delegation
 * gives 0 (spec §3.1: "0 if the contract has no delegation").
 */
export function contractSlashShare(delegatorShares: bigint, validatorShares: bigint, totalSlashAmount: bigint): bigint {
  if (validatorShares === 0n || delegatorShares === 0n) return 0n;
  return legacyRoundInt(legacyQuo(delegatorShares, validatorShares) * totalSlashAmount);
}
