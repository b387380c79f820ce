// external-staking `handle_slashing` (spec §4.3.2 step 4; ms:contracts/provider/external-staking/
// src/contract.rs): a consumer slash of S_prov provider units on validator V is spread over V's
// stakers by their high stake, and their not-yet-matured pending unbonds are cut by the nominal ratio.
import { Decimal, mulFloor } from './decimal.ts';
import { ContractPanic, type Distribution, type Stake, weightRemoved } from './rewards.ts';
import type { PendingUnbond } from './unbonding.ts';
import { type ValueRange } from './value-range.ts';

const NS = 1_000_000_000n;

/** eff = Decimal::from_ratio(S_prov, Σ stake.h) (truncated); Σ = 0 panics (spec §7 item 14). */
export function effectiveSlashRatio(slashAmount: bigint, totalHigh: bigint): Decimal {
  if (totalHigh === 0n) throw new ContractPanic('Denominator must not be zero');
  try {
    return Decimal.fromRatio(slashAmount, totalHigh);
  } catch {
    throw new ContractPanic('Multiplication overflow');
  }
}

/** Per user: s = floor(stake.h × eff); stake := {l ⊖ s (saturating), h − s}. */
export function slashStakeRange(r: ValueRange, eff: Decimal): { slash: bigint; stake: ValueRange } {
  const slash = mulFloor(r.h, eff);
  if (slash > r.h) throw new ContractPanic('attempt to subtract with overflow');
  return { slash, stake: { l: r.l > slash ? r.l - slash : 0n, h: r.h - slash } };
}

/**
 * Stake::slash_pending: every pending unbond with release_at − unbonding_period > infraction_time
 * (seconds) and release_at > now loses floor(amount × nominal ratio). Go always sends
 * infraction_time = 0, so every unmatured unbond is cut (§7 item 8).
 */
export function slashPendingUnbonds(
  pending: readonly PendingUnbond[],
  nowNs: bigint,
  nominalRatio: Decimal,
  unbondingPeriodSec: bigint,
  infractionTimeSec: bigint,
): { pending: readonly PendingUnbond[]; slashed: bigint } {
  let slashed = 0n;
  const out = pending.map((p) => {
    // u64 seconds − period: cannot underflow on a real chain clock; saturate for small devnet clocks.
    const startSec = p.releaseAt / NS - unbondingPeriodSec;
    if (!(startSec > infractionTimeSec && p.releaseAt > nowNs)) return p;
    const cut = mulFloor(p.amount, nominalRatio);
    slashed += cut;
    return { amount: p.amount - cut, releaseAt: p.releaseAt };
  });
  return { pending: slashed === 0n ? pending : out, slashed };
}

export interface CrossSlashInput {
  /** The validator's stakers in storage order (by user), with their current stakes. */
  users: ReadonlyArray<{ user: string; stake: Stake }>;
  dist: Distribution;
  /** S_prov: `slashed[].slash_amount.amount` of the packet (already provider units). */
  slashAmount: bigint;
  /** The packet's `slash_ratio` (nominal), used for pending unbonds. */
  nominalRatio: Decimal;
  infractionTimeSec: bigint;
  nowNs: bigint;
  unbondingPeriodSec: bigint;
}

export interface CrossSlashResult {
  eff: Decimal;
  /** Updated stakes of the users that were slashed (stake.h > 0), in order. */
  stakes: Array<{ user: string; stake: Stake }>;
  dist: Distribution;
  /** The vault `cross_slash` list: slash = stake cut + pending-unbond cut. */
  slashes: Array<{ user: string; slash: bigint }>;
}

/** handle_slashing; undefined when nobody stakes on the validator (no vault message). */
export function handleSlashing(i: CrossSlashInput): CrossSlashResult | undefined {
  if (i.users.length === 0) return undefined;
  const total = i.users.reduce((a, u) => a + u.stake.stake.h, 0n);
  const eff = effectiveSlashRatio(i.slashAmount, total);
  let dist = i.dist;
  const stakes: CrossSlashResult['stakes'] = [];
  const slashes: CrossSlashResult['slashes'] = [];
  for (const { user, stake } of i.users) {
    if (stake.stake.h === 0n) continue;
    const { slash, stake: range } = slashStakeRange(stake.stake, eff);
    const w = weightRemoved({ ...stake, stake: range }, dist, slash, true);
    dist = w.dist;
    const p = slashPendingUnbonds(w.stake.pendingUnbonds, i.nowNs, i.nominalRatio, i.unbondingPeriodSec, i.infractionTimeSec);
    stakes.push({ user, stake: { ...w.stake, pendingUnbonds: p.pending } });
    slashes.push({ user, slash: slash + p.slashed });
  }
  if (slashes.length === 0) return undefined;
  return { eff, stakes, dist, slashes };
}
