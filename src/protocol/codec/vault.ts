// vault (provider) messages and query answers — spec §1.1, ms:contracts/provider/vault/src/{contract,msg}.rs.
import { SlashRatioResponse, Tx } from './common.ts';
import { array, binary, bool, coin, decimal, defaulted, option, str, struct, taggedEnum, u32, u64, uint128, untagged, valueRange } from './schema.ts';
import type { Infer, Schema } from './schema.ts';

export const StakingInitInfo = struct('StakingInitInfo', { admin: option(str), code_id: u64, msg: binary, label: option(str) });
export const ExistingLocalStaking = struct('ExistingNativeStakingInfo', { existing: str });
/** Untagged: `{"existing":"<addr>"}` or a StakingInitInfo. */
export const LocalStakingInfo = untagged('LocalStakingInfo', [ExistingLocalStaking, StakingInitInfo]);

export const InstantiateMsg = struct('InstantiateMsg', { denom: str, local_staking: option(LocalStakingInfo) });
export type InstantiateMsg = Infer<typeof InstantiateMsg>;

export const SlashInfo = struct('SlashInfo', { user: str, slash: uint128 });

/** Contract messages + VaultApi (Sylvia merges both into one `{"<method>":{…}}` namespace). */
export const ExecuteMsg = taggedEnum('ExecMsg', {
  bond: { amount: coin }, // before July 2024: payable `bond{}` (spec §1.0 caveats)
  unbond: { amount: coin },
  restake: { amount: coin, validator: str },
  stake_remote: { contract: str, amount: coin, msg: binary },
  stake_local: { amount: coin, msg: binary },
  // VaultApi
  release_cross_stake: { owner: str, amount: coin },
  release_local_stake: { owner: str },
  commit_tx: { tx_id: u64 },
  rollback_tx: { tx_id: u64 },
  local_slash: { slashes: array(SlashInfo), validator: str },
  cross_slash: { slashes: array(SlashInfo), validator: str },
});
export type ExecuteMsg = Infer<typeof ExecuteMsg>;

export const QueryMsg = taggedEnum('QueryMsg', {
  account: { account: str },
  account_details: { account: str },
  config: {},
  active_external_staking: {},
  claim: { account: str, lienholder: str },
  account_claims: { account: str, start_after: option(str), limit: option(u32) },
  all_accounts: { with_collateral: defaulted(bool, false), start_after: option(str), limit: option(u32) },
  pending_tx: { tx_id: u64 },
  all_pending_txs_desc: { start_after: option(u64), limit: option(u32) },
});
export type QueryMsg = Infer<typeof QueryMsg>;

// ---- query answers
export const AccountResponse = struct('AccountResponse', { denom: str, bonded: uint128, free: valueRange });
export type AccountResponse = Infer<typeof AccountResponse>;
export const AccountDetailsResponse = struct('AccountDetailsResponse', {
  denom: str,
  bonded: uint128,
  free: valueRange,
  max_lien: valueRange,
  total_slashable: valueRange,
});
export const ConfigResponse = struct('ConfigResponse', { denom: str, local_staking: option(str) });
export const AllActiveExternalStakingResponse = struct('AllActiveExternalStakingResponse', { contracts: array(str) });
/** `claim{}` answer: the stored Lien. */
export const Lien = struct('Lien', { amount: valueRange, slashable: decimal });
export const LienResponse = struct('LienResponse', { lienholder: str, amount: valueRange });
export const AccountClaimsResponse = struct('AccountClaimsResponse', { claims: array(LienResponse) });
export const AllAccountsResponseItem = struct('AllAccountsResponseItem', { user: str, account: AccountResponse });
export const AllAccountsResponse = struct('AllAccountsResponse', { accounts: array(AllAccountsResponseItem) });
export const AllTxsResponse = struct('AllTxsResponse', { txs: array(Tx) });

/** Answer schema per query variant. */
export const QUERY_RESPONSES = {
  account: AccountResponse,
  account_details: AccountDetailsResponse,
  config: ConfigResponse,
  active_external_staking: AllActiveExternalStakingResponse,
  claim: Lien,
  account_claims: AccountClaimsResponse,
  all_accounts: AllAccountsResponse,
  pending_tx: Tx,
  all_pending_txs_desc: AllTxsResponse,
} as const satisfies Record<QueryMsg['kind'], Schema<any>>;

export { SlashRatioResponse, Tx };
