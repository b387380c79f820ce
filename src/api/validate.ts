// Argument checks shared by the modules: malformed input is a BAD_USER_INPUT error naming the argument,
// never a database error or an empty answer that hides the mistake.
import { fromBech32 } from '@cosmjs/encoding';
import { badInput } from './errors.ts';

/** Longest address accepted (bech32 itself allows 90 characters; cosmjs needs a finite limit). */
export const MAX_ADDRESS_LENGTH = 128;

/** A bech32 account or contract address (any prefix; 20- or 32-byte payload). Returns it lower-cased. */
export function parseAddress(value: string, argument = 'address'): string {
  if (value.length > MAX_ADDRESS_LENGTH) throw badInput(`"${argument}" is not a bech32 address (too long)`, argument);
  try {
    const { data } = fromBech32(value, MAX_ADDRESS_LENGTH);
    if (data.length !== 20 && data.length !== 32) throw new Error(`payload of ${data.length} bytes`);
  } catch (e) {
    throw badInput(`"${argument}" is not a bech32 address: ${(e as Error).message}`, argument);
  }
  return value.toLowerCase();
}

/** A tx hash: 64 hex digits, returned upper-case as CometBFT prints and the indexer stores it. */
export function parseTxHash(value: string, argument = 'txHash'): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw badInput(`"${argument}" must be 64 hex digits`, argument);
  return value.toUpperCase();
}

export interface Range<T> {
  from: T | null;
  to: T | null;
}

export function parseHeightRange(r: { from?: number | null; to?: number | null } | null | undefined, argument = 'height'): Range<number> {
  const from = r?.from ?? null;
  const to = r?.to ?? null;
  for (const [k, v] of [['from', from], ['to', to]] as const) {
    if (v !== null && (!Number.isSafeInteger(v) || v < 0)) throw badInput(`"${argument}.${k}" must be a non-negative height`, argument);
  }
  if (from !== null && to !== null && from > to) throw badInput(`"${argument}.from" (${from}) is after "${argument}.to" (${to})`, argument);
  return { from, to };
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function parseTime(value: string, argument: string): Date {
  const d = new Date(value);
  if (!ISO.test(value) || Number.isNaN(d.getTime())) throw badInput(`"${argument}" must be an ISO-8601 time, e.g. 2026-01-31T12:00:00Z`, argument);
  return d;
}

export function parseTimeRange(r: { from?: string | null; to?: string | null } | null | undefined, argument = 'time'): Range<Date> {
  const from = r?.from != null ? parseTime(r.from, `${argument}.from`) : null;
  const to = r?.to != null ? parseTime(r.to, `${argument}.to`) : null;
  if (from && to && from > to) throw badInput(`"${argument}.from" is after "${argument}.to"`, argument);
  return { from, to };
}
