// virtual-staking (consumer, spec §1.6, §4.5, §4.3.6): the contract emits no events of its own, so
// its state is replicated from what drives it — the converter's `wasm-mesh-bond` / `-unbond` /
// `-burn` (bond requests), the converter's `wasm-valset_update` (slash queue and inactive list,
// forwarded from `handle_valset_update`), x/meshsecurity's `scheduler_execution` of its epoch task
// (rebalance: src/protocol/max-cap.ts `epochRebalance`, the function the contract uses),
// `instant_unbond` of an internal unbond, and the channel close (everything to 0). The replicated
// `bonded` list must equal the contract's `get_all_stake` answer.
import { DecodeError } from '../indexer/decode/attributes.ts';
import { distributeBurn } from '../protocol/burn.ts';
import { type InactiveValidator, type QueuedSlash, RebalancePanic, epochRebalance, updateInactive } from '../protocol/max-cap.ts';
import type { Mapping, MappingContext } from './context.ts';
import type { Replica } from './replica.ts';

export const VS_NS = 'virtual_staking:state';
export const MAX_CAP_NS = 'meshsecurity:max_cap';
export const CONVERTER_NS = 'converter:config';

/** The replicated state of one virtual-staking contract (values immutable: always stored anew). */
export interface VsState {
  /** bond_requests, ascending by validator (cw-storage-plus order). */
  requests: Array<[string, bigint]>;
  /** `bonded` saved at the last epoch (what get_all_stake answers), in its stored order. */
  bonded: Array<[string, bigint]>;
  slashes: QueuedSlash[];
  inactive: InactiveValidator[];
}

const EMPTY: VsState = { requests: [], bonded: [], slashes: [], inactive: [] };

export const vsState = (replica: Replica, vs: string): VsState => replica.get<VsState>(VS_NS, vs) ?? EMPTY;

const sorted = (m: Map<string, bigint>): Array<[string, bigint]> => [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

/** bonded amount of a validator in the replicated `bonded` list (0 when absent, as get_stake). */
export const bondedOf = (s: VsState, validator: string): bigint => s.bonded.find(([v]) => v === validator)?.[1] ?? 0n;

/** converter → {virtualStaking, priceFeed, adjustment}: from the converter's `config{}` (asked once, kept in the replica). */
export interface ConverterConfig {
  virtualStaking: string;
  priceFeed: string;
  adjustment: string;
}

export async function converterConfig(ctx: MappingContext, converter: string): Promise<ConverterConfig> {
  const known = ctx.replica.get<ConverterConfig>(CONVERTER_NS, converter);
  if (known) return known;
  const r = (await ctx.query(converter, { config: {} })) as { virtual_staking?: unknown; price_feed?: unknown; adjustment?: unknown };
  if (typeof r?.virtual_staking !== 'string') throw new DecodeError(`converter ${converter}: config query has no virtual_staking`);
  const cfg = { virtualStaking: r.virtual_staking, priceFeed: String(r.price_feed ?? ''), adjustment: String(r.adjustment ?? '') };
  ctx.replica.set(CONVERTER_NS, converter, cfg);
  return cfg;
}

/** The converter of a virtual-staking contract, from the configs seen so far. */
export function converterOf(replica: Replica, vs: string): string | undefined {
  return replica.entries<ConverterConfig>(CONVERTER_NS).find(([, c]) => c.virtualStaking === vs)?.[0];
}

// ---- transitions (each mirrors one contract message; src/devnet/contracts/virtual-staking.ts) ----

/** `bond{validator, amount}` from the converter (recv stake): bond_requests += amount. */
export function applyBond(replica: Replica, vs: string, validator: string, amount: bigint): void {
  const s = vsState(replica, vs);
  const m = new Map(s.requests);
  m.set(validator, (m.get(validator) ?? 0n) + amount);
  replica.set<VsState>(VS_NS, vs, { ...s, requests: sorted(m) });
}

/** `unbond` (recv unstake) / `internal_unbond`: bond_requests −= amount (the contract errors if short, so the tx would have failed). */
export function applyUnbond(replica: Replica, vs: string, validator: string, amount: bigint, opts: { internal?: boolean } = {}): void {
  const s = vsState(replica, vs);
  const m = new Map(s.requests);
  const have = m.get(validator) ?? 0n;
  m.set(validator, have > amount ? have - amount : 0n);
  const requests = sorted(m);
  // internal_unbond saves bonded := all requests at once (spec §1.6)
  replica.set<VsState>(VS_NS, vs, { ...s, requests, bonded: opts.internal ? requests.map(([v, a]) => [v, a]) : s.bonded });
}

/** `burn{validators, amount}` (spec §4.3.4): distribute_burn over the listed validators' non-zero requests. */
export function applyBurn(replica: Replica, vs: string, validators: readonly string[], amount: bigint): void {
  const s = vsState(replica, vs);
  const m = new Map(s.requests);
  const bonds: Array<[string, bigint]> = [];
  for (const v of validators) {
    const a = m.get(v) ?? 0n;
    if (a !== 0n) bonds.push([v, a]);
  }
  if (bonds.length === 0) return; // the contract would have failed the whole receive
  const { burns } = distributeBurn(bonds, amount);
  for (const b of burns) m.set(b.validator, (m.get(b.validator) ?? 0n) - b.amount);
  replica.set<VsState>(VS_NS, vs, { ...s, requests: sorted(m) });
}

/** `handle_valset_update` (spec §4.5): queue slashes (consumer units), maintain the inactive list. */
export function applyValsetReport(
  replica: Replica,
  vs: string,
  report: { additions: string[]; removals: string[]; tombstoned: string[]; slashed: QueuedSlash[] },
): void {
  const s = vsState(replica, vs);
  const slashes = report.slashed.length > 0 ? [...s.slashes, ...report.slashed] : s.slashes;
  const inactive = updateInactive(s.inactive, report);
  replica.set<VsState>(VS_NS, vs, { ...s, slashes, inactive });
}

/** `handle_close_channel`: every request set to 0, bonded := requests (spec §2.1, §1.6). */
export function applyCloseChannel(replica: Replica, vs: string): void {
  const s = vsState(replica, vs);
  const requests = s.requests.map(([v]): [string, bigint] => [v, 0n]);
  replica.set<VsState>(VS_NS, vs, { ...s, requests, bonded: requests.map(([v, a]) => [v, a]) });
}

/**
 * A successful `handle_epoch` (spec §4.5): cap 0 → bonded := [] (requests and slash queue kept);
 * otherwise the rebalance of src/protocol/max-cap.ts. Returns false if the rebalance would panic
 * (then the chain's sudo failed too and nothing changed — but a failed task is never applied).
 */
export function applyEpoch(replica: Replica, vs: string): boolean {
  const s = vsState(replica, vs);
  const cap = replica.get<bigint>(MAX_CAP_NS, vs) ?? 0n;
  let out;
  try {
    // delegationOf only sizes the unbond messages of tombstoned validators (the events carry them)
    out = epochRebalance({ bondRequests: s.requests, bonded: s.bonded, slashes: s.slashes, inactive: s.inactive, cap, delegationOf: () => 0n });
  } catch (e) {
    if (e instanceof RebalancePanic) return false;
    throw e;
  }
  if (out.kind === 'zero_cap') replica.set<VsState>(VS_NS, vs, { ...s, bonded: [] });
  else replica.set<VsState>(VS_NS, vs, { requests: out.bondRequests, bonded: out.bonded, slashes: [], inactive: out.inactive });
  return true;
}

/** virtual-staking emits only `wasm-rewards_error` itself (spec §1.0); its state moves through the other mappings. */
export const virtualStakingMapping: Mapping = { source: 'virtual_staking', handlers: {} };
