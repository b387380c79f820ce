// The filters every history shares (address, chain, validator, pairing, height and time ranges),
// checked (malformed → BAD_USER_INPUT) and turned into SQL conditions on one table.
//
// An address scopes a history to its staker rows on the chains whose bech32 prefix it carries:
// (chain_id, staker, height) is how the history tables are indexed, so the address filter is always
// an index range. A pairing resolves to its contracts (external staking on the provider, converter on
// the consumer); an unknown pairing or chain matches nothing (an empty page, no error).
import type { ApiContext } from '../context.ts';
import { badInput } from '../errors.ts';
import { parseAddress, parseHeightRange, parseTimeRange, type Range } from '../validate.ts';
import type { Params } from './history-keyset.ts';

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

export interface PairingRef {
  id: string;
  providerChainId: string;
  consumerChainId: string;
  externalStaking: string;
  converter: string | null;
}

export interface ResolvedFilter {
  /** Nothing can match (unknown pairing, chain outside the address's chains). */
  empty: boolean;
  staker: string | null;
  /** null: any chain. */
  chainIds: string[] | null;
  validator: string | null;
  pairing: PairingRef | null;
  height: Range<number>;
  time: Range<Date>;
}

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

async function pairingOf(ctx: ApiContext, id: string): Promise<PairingRef | null> {
  const { rows } = await ctx.sql.query(
    'SELECT id, provider_chain_id AS "providerChainId", consumer_chain_id AS "consumerChainId", external_staking AS "externalStaking", converter FROM pairings WHERE id = $1',
    [id],
  );
  return (rows[0] as PairingRef | undefined) ?? null;
}

export async function resolveFilter(ctx: ApiContext, f: HistoryFilterInput | null | undefined, scope?: AccountScope): Promise<ResolvedFilter> {
  const height = parseHeightRange(f?.height, 'filter.height');
  const time = parseTimeRange(f?.time, 'filter.time');
  const validator = f?.validator != null ? parseAddress(f.validator, 'filter.validator') : null;
  let staker = f?.address != null ? parseAddress(f.address, 'filter.address') : null;
  if (scope && staker !== null && staker !== scope.address) throw badInput('"filter.address" must be the account\'s own address (or left out)', 'filter.address');
  const chain = f?.chain != null ? checkId(f.chain, 'filter.chain') : null;
  const pairingId = f?.pairing != null ? checkId(f.pairing, 'filter.pairing') : null;
  let chainIds: string[] | null = null;
  if (scope) {
    staker = scope.address;
    chainIds = scope.chainIds;
  } else if (staker !== null) chainIds = await chainsOf(ctx, staker);
  if (chain !== null) chainIds = chainIds === null ? [chain] : chainIds.filter((c) => c === chain);
  let pairing: PairingRef | null = null;
  let empty = chainIds !== null && chainIds.length === 0;
  if (pairingId !== null) {
    pairing = await pairingOf(ctx, pairingId);
    if (pairing === null) empty = true;
  }
  return { empty, staker, chainIds, validator, pairing, height, time };
}

/** `<t>.chain_id` in the filter's chains (none: any chain). */
export function chainCondition(t: string, chainIds: string[] | null, q: Params): string[] {
  if (chainIds === null) return [];
  return [chainIds.length === 1 ? `${t}.chain_id = ${q.p(chainIds[0])}` : `${t}.chain_id = ANY(${q.p(chainIds)}::text[])`];
}

export function rangeCondition(column: string, r: Range<number> | Range<Date>, q: Params): string[] {
  const out: string[] = [];
  if (r.from !== null) out.push(`${column} >= ${q.p(r.from)}`);
  if (r.to !== null) out.push(`${column} <= ${q.p(r.to)}`);
  return out;
}

/** Staker, chains, height and time: the conditions every staker history has (table alias `t`). */
export function baseConditions(t: string, r: ResolvedFilter, q: Params): string[] {
  return [
    ...(r.staker !== null ? [`${t}.staker = ${q.p(r.staker)}`] : []),
    ...chainCondition(t, r.chainIds, q),
    ...rangeCondition(`${t}.height`, r.height, q),
    ...rangeCondition(`${t}.time`, r.time, q),
  ];
}

/**
 * For a read through an index that starts with chain_id: the filter with its chains made explicit
 * (all indexed chains when it names none), and, for several chains, the partition to read them as one
 * ordered branch each (history-keyset.ts) — `chain_id = ANY(…)` would read every row and sort.
 */
export async function byChainIndex(ctx: ApiContext, r: ResolvedFilter): Promise<{ filter: ResolvedFilter; partition?: { expr: string; values: string[] } }> {
  const chains = r.chainIds ?? (await ctx.loaders.indexedChains.load('all')).map((c) => c.chainId);
  if (chains.length <= 1) return { filter: { ...r, chainIds: chains, empty: r.empty || chains.length === 0 } };
  return { filter: { ...r, chainIds: null }, partition: { expr: 'e.chain_id', values: chains } };
}

/**
 * A pairing's contract on one side, within the filter's chains: `(chain_id = … AND <column> = …)`, or
 * null when that side is outside the chains (or the pairing does not know the contract).
 */
export function pairingSide(t: string, r: ResolvedFilter, chainId: string, column: string, contract: string | null, q: Params): string | null {
  if (contract === null || (r.chainIds !== null && !r.chainIds.includes(chainId))) return null;
  return `(${t}.chain_id = ${q.p(chainId)} AND ${t}.${column} = ${q.p(contract)})`;
}

/**
 * A big history is read through one of its indexes: a filter must name what that index starts with
 * (an address, a validator, a lien holder); chain, pairing, kind, height and time only narrow it.
 * Without one, a page would be a scan and sort of the whole table (350–450 ms at a million rows).
 */
export function requireAnchor(anchored: boolean, names: string): void {
  if (!anchored) throw badInput(`filter by ${names}: this history is read through those indexes; the other filters narrow them`, 'filter');
}

/** GraphQL enum values (upper case) to the stored kinds they name, keeping only known ones. */
export function enumFilter(values: readonly string[] | null | undefined, known: readonly string[]): string[] | null {
  if (values == null) return null;
  return values.map((v) => v.toLowerCase()).filter((v) => known.includes(v));
}
