// mesh_burn::distribute_burn (spec §4.3.5, ms:packages/burn/src/burn.rs): spread a burn evenly over
// delegations, then put the whole remainder on the first one that can absorb it. Used by
// native-staking-proxy `burn`, external-staking `burn_virtual_stake` and virtual-staking `burn`.
import { DivideByZeroError } from './uint.ts';

export interface Burn {
  validator: string;
  amount: bigint;
}

/**
 * Returns the total burned and the burns in the Rust order: one entry per validator with a non-zero
 * even share, plus (if needed) a separate remainder entry, so a validator may appear twice.
 * Callers error when `burned < amount`. Empty delegations panic (division by zero) upstream.
 */
export function distributeBurn(delegations: ReadonlyArray<readonly [string, bigint]>, amount: bigint): { burned: bigint; burns: Burn[] } {
  if (delegations.length === 0) throw new DivideByZeroError();
  const proportional = amount / BigInt(delegations.length);
  const burns: Burn[] = [];
  let burned = 0n;
  for (const [validator, delegated] of delegations) {
    const b = delegated < proportional ? delegated : proportional;
    if (b === 0n) continue;
    burns.push({ validator, amount: b });
    burned += b;
  }
  if (burned < amount) {
    const rest = amount - burned;
    // `rest + proportional <= delegated`: the even share was already taken from that validator.
    const first = delegations.find(([, delegated]) => rest + proportional <= delegated);
    if (first) {
      burns.push({ validator: first[0], amount: rest });
      burned += rest;
    }
  }
  return { burned, burns };
}

/** Per-validator totals in first-seen order (what the spec's vectors quote: 34/33/33). */
export function aggregateBurns(burns: readonly Burn[]): Burn[] {
  const out = new Map<string, bigint>();
  for (const b of burns) out.set(b.validator, (out.get(b.validator) ?? 0n) + b.amount);
  return [...out].map(([validator, amount]) => ({ validator, amount }));
}
