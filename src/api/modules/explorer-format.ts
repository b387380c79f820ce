// How the explorer and network modules print database values (issue 5 conventions): amounts as
// decimal strings with every digit, 18-digit decimals as the contracts print them, times as ISO-8601.
import type { Prisma } from '@prisma/client';

type Dec = Prisma.Decimal;

export const amount = (d: Dec): string => d.toFixed(0);
export const amountOrNull = (d: Dec | null | undefined): string | null => (d == null ? null : d.toFixed(0));
/** numeric(38,18) ratios and prices: the contracts' 18 fraction digits ("0.100000000000000000"). */
export const decimal18 = (d: Dec | null | undefined): string | null => (d == null ? null : d.toFixed(18));
export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null | undefined): string | null => (d == null ? null : d.toISOString());

/** A malformed identifier of the explorer (slash or packet id): printable, no spaces, bounded. */
export const ID_PART = /^[^\s/]+$/;

/**
 * Parses JSON keeping integers beyond 2^53 exact, as decimal strings (packet tx_ids are u64 and
 * external-staking ids start at 2^63, spec §4.9). Strings are matched first so their text is untouched.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text.replace(/("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g, (m, str, int) => (str !== undefined || Number.isSafeInteger(Number(int)) ? m : `"${int}"`)));
}
