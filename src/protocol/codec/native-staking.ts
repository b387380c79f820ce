// native-staking (provider) — spec §1.2, ms:contracts/provider/native-staking/src/contract.rs,
// ms:packages/apis/src/local_staking_api.rs.
import { SlashRatioResponse, StakeMsg } from './common.ts';
import { addr, array, binary, coin, decimal, option, str, struct, taggedEnum, u64 } from './schema.ts';
import type { Infer, Schema } from './schema.ts';

export const InstantiateMsg = struct('InstantiateMsg', {
  denom: str,
  proxy_code_id: u64,
  slash_ratio_dsign: decimal,
  slash_ratio_offline: decimal,
});
export type InstantiateMsg = Infer<typeof InstantiateMsg>;

export const ExecuteMsg = taggedEnum('ExecMsg', {
  // LocalStakingApi (from the vault)
  receive_stake: { owner: str, msg: binary }, // msg = StakeMsg JSON
  burn_stake: { owner: str, amount: coin, validator: option(str) },
  // NativeStakingCallback (from a proxy)
  release_proxy_stake: {},
  test_handle_jailing: { jailed: array(str), tombstoned: array(str) }, // test builds only
});
export type ExecuteMsg = Infer<typeof ExecuteMsg>;

/** Sent by x/meshsecurityprovider on provider slashing (spec §3.2). */
export const SudoMsg = taggedEnum('SudoMsg', {
  jailing: { jailed: option(array(str)), tombstoned: option(array(str)) },
});
export type SudoMsg = Infer<typeof SudoMsg>;

export const QueryMsg = taggedEnum('QueryMsg', {
  config: {},
  proxy_by_owner: { owner: str },
  owner_by_proxy: { proxy: str },
  max_slash: {},
});
export type QueryMsg = Infer<typeof QueryMsg>;

export const ConfigResponse = struct('Config', {
  denom: str,
  proxy_code_id: u64,
  vault: addr,
  slash_ratio_dsign: decimal,
  slash_ratio_offline: decimal,
});
export const ProxyByOwnerResponse = struct('ProxyByOwnerResponse', { proxy: str });
export const OwnerByProxyResponse = struct('OwnerByProxyResponse', { owner: str });

export const QUERY_RESPONSES = {
  config: ConfigResponse,
  proxy_by_owner: ProxyByOwnerResponse,
  owner_by_proxy: OwnerByProxyResponse,
  max_slash: SlashRatioResponse,
} as const satisfies Record<QueryMsg['kind'], Schema<any>>;

export { SlashRatioResponse, StakeMsg };
