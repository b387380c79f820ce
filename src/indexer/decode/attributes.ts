// Reading event attributes the way the mappings need them: by key (never by position, cosmos-wire
// §8.15), lists with either separator, SDK coin strings, and the emitting contract of a wasm event.
import type { EventAttribute } from '../types.ts';

/** Anything with a type and plain-text attributes (a ChainEvent, or a devnet Event). */
export interface EventLike {
  type: string;
  attributes: readonly EventAttribute[];
}

/** Input a mapping cannot use: a missing attribute, a malformed amount. Goes to the dead-letter table. */
export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(
    message: string,
    readonly eventType?: string,
    readonly key?: string,
  ) {
    super(message);
  }
}

/** Attributes by key; the first value wins when a key repeats. */
export function attrs(event: EventLike): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of event.attributes) if (!m.has(a.key)) m.set(a.key, a.value);
  return m;
}

/** The first value of `key`, if any. A linear scan: events carry a handful of attributes. */
export function attr(event: EventLike, key: string): string | undefined {
  for (const a of event.attributes) if (a.key === key) return a.value;
  return undefined;
}

export function requireAttr(event: EventLike, key: string): string {
  const v = attr(event, key);
  if (v === undefined) throw new DecodeError(`${event.type} event has no "${key}" attribute`, event.type, key);
  return v;
}

/** The contract that emitted a wasm event (`wasm`, `wasm-*`, `execute`, `instantiate`, …): `_contract_address`. */
export function contractAddress(event: EventLike): string | undefined {
  return attr(event, '_contract_address');
}

export function requireContractAddress(event: EventLike): string {
  return requireAttr(event, '_contract_address');
}

/**
 * Splits a list attribute into items. Mesh contracts join with `","`, except vault `users` and
 * external-staking `burn_virtual_stake.validators`, which use `", "` (spec §1.0 notes). Items
 * (addresses, valopers, coins, decimals) never hold a comma or a space, so splitting at `,` and
 * trimming reads both forms; an empty or missing value is an empty list.
 */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const s = part.trim();
    if (s !== '') out.push(s);
  }
  return out;
}

export interface Coin {
  amount: bigint;
  denom: string;
}

// SDK coin string: integer amount directly followed by the denom (`sdk.Coin.String()`); denoms
// are 3–128 chars, start with a letter and may hold / : . _ - (ibc/…, factory/…/…).
const COIN = /^(\d+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/;

/** `"100uosmo"` → `{ amount: 100n, denom: 'uosmo' }` (spec §0.3). */
export function parseCoin(value: string): Coin {
  const m = COIN.exec(value.trim());
  if (!m) throw new DecodeError(`not a coin: "${value}"`);
  return { amount: BigInt(m[1]!), denom: m[2]! };
}

/** `"100uatom,5ibc/27…"` → coins in order (cosmos-wire §3.1); `""` → []. */
export function parseCoins(value: string | undefined): Coin[] {
  return splitList(value).map(parseCoin);
}

/** A Uint128/Uint64 decimal string (`"80000000"`) → bigint. */
export function parseAmount(value: string): bigint {
  const s = value.trim();
  if (!/^\d+$/.test(s)) throw new DecodeError(`not an unsigned integer: "${value}"`);
  return BigInt(s);
}

/** `requireAttr` + `parseAmount`, with the attribute named in the error. */
export function requireAmount(event: EventLike, key: string): bigint {
  const v = requireAttr(event, key);
  try {
    return parseAmount(v);
  } catch {
    throw new DecodeError(`${event.type}.${key} is not an unsigned integer: "${v}"`, event.type, key);
  }
}

/** `requireAttr` + `parseCoin`, with the attribute named in the error. */
export function requireCoin(event: EventLike, key: string): Coin {
  const v = requireAttr(event, key);
  try {
    return parseCoin(v);
  } catch {
    throw new DecodeError(`${event.type}.${key} is not a coin: "${v}"`, event.type, key);
  }
}
