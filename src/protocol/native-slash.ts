// Native (provider) slashing amounts (spec §4.3.1, ms:contracts/provider/native-staking/src/contract.rs):
// on sudo `jailing`, tombstoned validators are handled first at slash_ratio_dsign, then jailed ones at
// slash_ratio_offline; each owner who staked to the validator is slashed floor(delegation × ratio),
// read from the proxy's pre-slash delegation; owners with a zero delegation are skipped.
import { type Decimal, mulFloor } from './decimal.ts';

export type SlashingReason = 'double_sign' | 'offline';

export interface SlashRatios {
  slashRatioDsign: Decimal;
  slashRatioOffline: Decimal;
}

export interface NativeSlashStep {
  validator: string;
  reason: SlashingReason;
  ratio: Decimal;
}

/** The order native-staking processes a `jailing{jailed, tombstoned}` (tombstoned first, list order kept). */
export function jailingSteps(jailed: readonly string[], tombstoned: readonly string[], ratios: SlashRatios): NativeSlashStep[] {
  return [
    ...tombstoned.map((validator) => ({ validator, reason: 'double_sign' as const, ratio: ratios.slashRatioDsign })),
    ...jailed.map((validator) => ({ validator, reason: 'offline' as const, ratio: ratios.slashRatioOffline })),
  ];
}

export interface SlashInfo {
  user: string;
  slash: bigint;
}

/**
 * Slash infos for one validator from the owners' current delegations (owners in storage order).
 * `dropped` lists owners whose delegation is 0: the contract forgets them in passing.
 * A non-zero delegation whose slash floors to 0 still yields an entry, as upstream.
 */
export function nativeSlashInfos(delegations: ReadonlyArray<readonly [owner: string, delegation: bigint]>, ratio: Decimal): { slashes: SlashInfo[]; dropped: string[] } {
  const slashes: SlashInfo[] = [];
  const dropped: string[] = [];
  for (const [user, delegation] of delegations) {
    if (delegation === 0n) dropped.push(user);
    else slashes.push({ user, slash: mulFloor(delegation, ratio) });
  }
  return { slashes, dropped };
}
