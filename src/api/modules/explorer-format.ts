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
