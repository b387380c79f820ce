// The filters every history shares (address, chain, validator, pairing, height and time ranges),
// checked (malformed → BAD_USER_INPUT) and resolved to the Prisma conditions of one table.
//
// An address scopes a history to its staker rows on the chains whose bech32 prefix it carries:
// (chain_id, staker, height) is how the history tables are indexed, so the address filter is always
// an index range. A pairing resolves to its contracts (external staking on the provider, converter on
// the consumer); an unknown pairing or chain matches nothing (an empty page, no error).
import type { Pairing } from '@prisma/client';
import type { ApiContext } from '../context.ts';
import { badInput } from '../errors.ts';
import { parseAddress, parseHeightRange, parseTimeRange, type Range } from '../validate.ts';

export interface HistoryFilterInput {
  address?: string | null;
  chain?: string | null;
  validator?: string | null;
  pairing?: string | null;
  height?: { from?: number | null; to?: number | null } | null;
  time?: { from?: string | null; to?: string | null } | null;
}

/** The account a history field hangs off: its address and the chains it was seen on. */
export interface AccountScope {
  address: string;
  chainIds: string[];
}

export interface ResolvedFilter {
  /** Nothing can match (unknown pairing, chain outside the address's chains). */
  empty: boolean;
  staker: string | null;
  /** null: any chain. */
  chainIds: string[] | null;
  validator: string | null;
  pairing: Pairing | null;
  height: Range<number>;
  time: Range<Date>;
}

type Where = Record<string, unknown>;

const MAX_ID = 300;

function checkId(value: string, argument: string): string {
  if (value.length === 0 || value.length > MAX_ID || /\s/.test(value)) throw badInput(`"${argument}" is not an id`, argument);
  return value;
}

/** Chains of an address: the indexed chains whose bech32 prefix it carries. */
async function chainsOf(ctx: ApiContext, address: string): Promise<string[]> {
  const prefix = address.slice(0, address.lastIndexOf('1'));
  return (await ctx.loaders.indexedChains.load('all')).filter((c) => c.bech32Prefix === prefix).map((c) => c.chainId);
}

export async function resolveFilter(ctx: ApiContext, f: HistoryFilterInput | null | undefined, scope?: AccountScope): Promise<ResolvedFilter> {
  const height = parseHeightRange(f?.height, 'filter.height');
  const time = parseTimeRange(f?.time, 'filter.time');
  const validator = f?.validator != null ? parseAddress(f.validator, 'filter.validator') : null;
  let staker = f?.address != null ? parseAddress(f.address, 'filter.address') : null;
  if (scope && staker !== null && staker !== scope.address) throw badInput('"filter.address" must be the account\'s own address (or left out)', 'filter.address');
  let chainIds: string[] | null = null;
  if (scope) {
    staker = scope.address;
    chainIds = scope.chainIds;
  } else if (staker !== null) chainIds = await chainsOf(ctx, staker);
  if (f?.chain != null) {
    const chain = checkId(f.chain, 'filter.chain');
    chainIds = chainIds === null ? [chain] : chainIds.filter((c) => c === chain);
  }
  let pairing: Pairing | null = null;
  let empty = chainIds !== null && chainIds.length === 0;
  if (f?.pairing != null) {
    pairing = await ctx.prisma.pairing.findUnique({ where: { id: checkId(f.pairing, 'filter.pairing') } });
    if (pairing === null) empty = true;
  }
  return { empty, staker, chainIds, validator, pairing, height, time };
}

export function chainWhere(chainIds: string[] | null): Where {
  if (chainIds === null) return {};
  return { chainId: chainIds.length === 1 ? chainIds[0] : { in: chainIds } };
}

export function rangeWhere(field: string, r: Range<number> | Range<Date>): Where {
  if (r.from === null && r.to === null) return {};
  return { [field]: { ...(r.from !== null ? { gte: r.from } : {}), ...(r.to !== null ? { lte: r.to } : {}) } };
}

/** Staker, chains, height and time: the conditions every staker history has. */
export function baseWhere(r: ResolvedFilter): Where {
  return {
    ...(r.staker !== null ? { staker: r.staker } : {}),
    ...chainWhere(r.chainIds),
    ...rangeWhere('height', r.height),
    ...rangeWhere('time', r.time),
  };
}

/**
 * A pairing's contract on one side, within the filter's chains: `{chainId, [field]: contract}`, or
 * null when that side is outside the chains (or the pairing does not know the contract).
 */
export function pairingSide(r: ResolvedFilter, chainId: string, field: string, contract: string | null): Where | null {
  if (contract === null || (r.chainIds !== null && !r.chainIds.includes(chainId))) return null;
  return { chainId, [field]: contract };
}

/**
 * A big history is read through one of its indexes: a filter must name what that index starts with
 * (an address, a validator, a lien holder); chain, pairing, kind, height and time only narrow it.
 * Without one, a page would be a scan and sort of the whole table (seconds at millions of rows).
 */
export function requireAnchor(anchored: boolean, names: string): void {
  if (!anchored) throw badInput(`filter by ${names}: this history is read through those indexes; the other filters narrow them`, 'filter');
}

/** Stored enum values ↔ GraphQL enum values (upper case); filters only ever pass known values. */
export function enumFilter(values: readonly string[] | null | undefined, known: readonly string[]): string[] | null {
  if (values == null) return null;
  return values.map((v) => v.toLowerCase()).filter((v) => known.includes(v));
}
