// mesh_burn::distribute_burn (spec §4.3.5, ms:packages/burn/src/burn.rs): spread a burn evenly over
// delegations, then put the whole remainder on the first one that can absorb it. Used by
// native-staking-proxy `burn`, external-staking `burn_virtual_stake` and virtual-staking `burn`.
import { DivideByZeroError } from './uint.ts';

export interface Burn {
  validator: string;
  amount: bigint;
}

/**
 * Returns the total burned and one burn per validator, in delegation order (zero burns left out):
 * the even share from each, and the whole remainder on the first validator that can absorb it
 * (remainder + already burned ≤ delegated), as spec §4.3.5 and the V21 vectors state (101 over
 * [100, 1] → 100/1). Callers error when `burned < amount`. Empty delegations panic upstream.
 */
export function distributeBurn(delegations: ReadonlyArray<readonly [string, bigint]>, amount: bigint): { burned: bigint; burns: Burn[] } {
  if (delegations.length === 0) throw new DivideByZeroError();
  const proportional = amount / BigInt(delegations.length);
  const per = delegations.map(([validator, delegated]) => ({ validator, delegated, amount: delegated < proportional ? delegated : proportional }));
  let burned = per.reduce((t, b) => t + b.amount, 0n);
  if (burned < amount) {
    const rest = amount - burned;
    const first = per.find((b) => rest + b.amount <= b.delegated);
    if (first) {
      first.amount += rest;
      burned += rest;
    }
  }
  return { burned, burns: per.filter((b) => b.amount > 0n).map(({ validator, amount: a }) => ({ validator, amount: a })) };
}
