// Every mapping, in the order they run when several take the same event: discovery first, then
// the contracts and modules, IBC last (its packet rows do not depend on the contracts' handlers).
import type { Mapping } from './context.ts';
import { converterMapping } from './converter.ts';
import { externalStakingIbcMapping, externalStakingMapping } from './external-staking.ts';
import { ibcMapping } from './ibc.ts';
import { meshSecurityModuleMapping } from './meshsecurity-module.ts';
import { nativeStakingMapping } from './native-staking.ts';
import { priceFeedMapping } from './price-feed.ts';
import { providerModuleMapping } from './provider-module.ts';
import { vaultMapping } from './vault.ts';
import { virtualStakingMapping } from './virtual-staking.ts';
import { wasmMapping } from './wasm.ts';

export { MERGE_RULES } from './merge-rules.ts';

export const ALL_MAPPINGS: readonly Mapping[] = [
  wasmMapping,
  vaultMapping,
  nativeStakingMapping,
  providerModuleMapping,
  externalStakingMapping,
  converterMapping,
  virtualStakingMapping,
  priceFeedMapping,
  meshSecurityModuleMapping,
  ibcMapping,
  externalStakingIbcMapping,
];
