// virtual-staking's per-epoch rebalance under the x/meshsecurity max cap (spec §4.5) and the
// application of queued consumer slashes (spec §4.3.6), as pure functions over immutable values.
// Amounts are consumer-chain units (bond denom).

/** (validator, amount) pairs; `bond_requests` come ascending by validator (cw-storage-plus order). */
export type Stakes = ReadonlyArray<readonly [string, bigint]>;

export interface QueuedSlash {
  address: string;
  /** The contract's share of the slash (spec §3.1), consumer units. */
  slashAmount: bigint;
  isTombstoned: boolean;
}

export interface InactiveValidator {
  validator: string;
  tombstoned: boolean;
}

/** The custom `{"virtual_stake":{"bond"|"unbond":{amount, validator}}}` messages, in send order. */
export interface StakeMsg {
  kind: 'bond' | 'unbond';
  validator: string;
  amount: bigint;
}

/** The contract panics on these (Uint128 `-` underflow); the sudo call then fails. */
export class RebalancePanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RebalancePanic';
  }
}

const sub = (a: bigint, b: bigint): bigint => {
  if (b > a) throw new RebalancePanic('attempt to subtract with overflow');
  return a - b;
};

/** Vec::dedup on (validator, flag) pairs: drops consecutive duplicates only. */
export function dedupConsecutive(list: readonly InactiveValidator[]): InactiveValidator[] {
  return list.filter((e, i) => i === 0 || e.validator !== list[i - 1]!.validator || e.tombstoned !== list[i - 1]!.tombstoned);
}

/**
 * handle_valset_update's inactive-list maintenance (spec §4.5): tombstoned are added flagged, removals
 * unflagged, entries of validators that are (re)added are dropped, consecutive duplicates removed.
 * jailed / unjailed are ignored (jailing also arrives as a removal).
 */
export function updateInactive(
  inactive: readonly InactiveValidator[],
  report: { additions: readonly string[]; removals: readonly string[]; tombstoned: readonly string[] },
): InactiveValidator[] {
  const { additions, removals, tombstoned } = report;
  if (additions.length === 0 && removals.length === 0 && tombstoned.length === 0) return [...inactive];
  const added = new Set(additions);
  const next = [
    ...inactive,
    ...tombstoned.map((validator) => ({ validator, tombstoned: true })),
    ...removals.map((validator) => ({ validator, tombstoned: false })),
  ].filter((e) => !added.has(e.validator));
  return dedupConsecutive(next);
}

export const isInactive = (inactive: readonly InactiveValidator[], v: string): boolean => inactive.some((e) => e.validator === v);
export const isTombstoned = (inactive: readonly InactiveValidator[], v: string): boolean => inactive.some((e) => e.validator === v && e.tombstoned);

/** Validators whose rewards are withdrawn at an epoch: bonded amount > 0 and not inactive (spec §4.5 step 1). */
export function withdrawTargets(bonded: Stakes, inactive: readonly InactiveValidator[]): string[] {
  return bonded.filter(([v, a]) => a !== 0n && !isInactive(inactive, v)).map(([v]) => v);
}

/**
 * spec §4.3.6: every queued slash lowers the previous bonded amount of its validator (if bonded) and
 * its bond request (saturating); the validator joins the inactive list with its tombstone flag.
 */
export function applySlashes(
  bonded: Stakes,
  bondRequests: Stakes,
  slashes: readonly QueuedSlash[],
  inactive: readonly InactiveValidator[],
): { bonded: Array<[string, bigint]>; bondRequests: Array<[string, bigint]>; inactive: InactiveValidator[] } {
  const requests = new Map(bondRequests.map(([v, a]) => [v, a]));
  const newBonded = bonded.map(([v, prev]): [string, bigint] => {
    let cur = prev;
    for (const s of slashes) {
      if (s.address !== v) continue;
      cur = sub(cur, s.slashAmount);
      const r = requests.get(v) ?? 0n;
      requests.set(v, r > s.slashAmount ? r - s.slashAmount : 0n);
    }
    return [v, cur];
  });
  const newInactive = slashes.length === 0 ? [...inactive] : dedupConsecutive([...inactive, ...slashes.map((s) => ({ validator: s.address, tombstoned: s.isTombstoned }))]);
  return { bonded: newBonded, bondRequests: sortStakes([...requests]), inactive: newInactive };
}

/** spec §4.5 step 4: if Σ requests > cap, each request := request × cap / Σ (integer division). */
export function scaleRequests(requests: Stakes, cap: bigint): Array<[string, bigint]> {
  const total = requests.reduce((s, [, a]) => s + a, 0n);
  if (total <= cap) return requests.map(([v, a]) => [v, a]);
  return requests.map(([v, a]) => [v, (a * cap) / total]);
}

export interface EpochInput {
  /** All bond requests, ascending by validator. */
  bondRequests: Stakes;
  /** `bonded` saved at the previous epoch. */
  bonded: Stakes;
  slashes: readonly QueuedSlash[];
  inactive: readonly InactiveValidator[];
  /** bond_status.cap of the contract. */
  cap: bigint;
  /** The contract's actual delegation to a (tombstoned) validator: the `total_delegation` query. */
  delegationOf: (validator: string) => bigint;
}

export type EpochOutput =
  /** cap = 0: no rebalance, slashes stay queued; the contract unstakes its delegation records instead (spec §4.5 step 2). */
  | { kind: 'zero_cap' }
  | {
      kind: 'rebalance';
      /** Bond requests to store (slash-adjusted; tombstoned validators set to 0). */
      bondRequests: Array<[string, bigint]>;
      /** The new `bonded` list (scaled requests, tombstoned set to 0). */
      bonded: Array<[string, bigint]>;
      inactive: InactiveValidator[];
      msgs: StakeMsg[];
    };

/** handle_epoch after the reward withdrawals: spec §4.5 steps 2–7. */
export function epochRebalance(input: EpochInput): EpochOutput {
  if (input.cap === 0n) return { kind: 'zero_cap' };
  // step 3: queued slashes
  const slashed = applySlashes(input.bonded, input.bondRequests, input.slashes, input.inactive);
  const current = slashed.bonded;
  // step 4: proportional scaling under the cap
  const desired = scaleRequests(slashed.bondRequests, input.cap);
  // step 5–6: tombstoned validators are zeroed in the stored requests and the new bonded list
  const tomb = (v: string) => isTombstoned(slashed.inactive, v);
  const bondRequests = slashed.bondRequests.map(([v, a]): [string, bigint] => [v, tomb(v) ? 0n : a]);
  const bonded = desired.map(([v, a]): [string, bigint] => [v, tomb(v) ? 0n : a]);
  // step 7: messages from previous bonded (in stored order), then new validators (ascending)
  const want = new Map(desired);
  const msgs: StakeMsg[] = [];
  for (const [validator, prev] of current) {
    const next = want.get(validator) ?? 0n;
    want.delete(validator);
    if (tomb(validator) && next !== 0n) {
      // unbond the real delegation (tokens from shares), not the accounting value
      msgs.push({ kind: 'unbond', validator, amount: input.delegationOf(validator) });
    } else if (next < prev) msgs.push({ kind: 'unbond', validator, amount: prev - next });
    else if (next > prev) msgs.push({ kind: 'bond', validator, amount: next - prev });
  }
  // the contract bonds every remaining desired entry, even a zero one (x/meshsecurity then rejects it)
  for (const [validator, amount] of sortStakes([...want])) msgs.push({ kind: 'bond', validator, amount });
  return { kind: 'rebalance', bondRequests, bonded, inactive: slashed.inactive, msgs };
}

function sortStakes(s: Array<[string, bigint]>): Array<[string, bigint]> {
  return s.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
