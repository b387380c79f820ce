// external-staking (provider) — spec §1.4, ms:contracts/provider/external-staking/src/{contract,msg,state}.rs,
// ms:packages/apis/src/cross_staking_api.rs.
import { SlashRatioResponse, StakeMsg, Tx } from './common.ts';
import { array, binary, coin, decimal, option, str, stringEnum, struct, taggedEnum, timestamp, u32, u64, uint128, uint256, valueRange } from './schema.ts';
import type { Infer, Schema } from './schema.ts';

/** `remote_contact` / `authorized_endpoint{}` answer. */
export const AuthorizedEndpoint = struct('AuthorizedEndpoint', { connection_id: str, port_id: str });
export const SlashRatio = struct('SlashRatio', { double_sign: decimal, offline: decimal });

export const InstantiateMsg = struct('InstantiateMsg', {
  denom: str,
  rewards_denom: str,
  vault: str,
  unbonding_period: u64, // seconds
  remote_contact: AuthorizedEndpoint,
  slash_ratio: SlashRatio,
});
export type InstantiateMsg = Infer<typeof InstantiateMsg>;

/** Contract messages + CrossStakingApi (test_* messages of test builds are not listed). */
export const ExecuteMsg = taggedEnum('ExecMsg', {
  unstake: { validator: str, amount: coin },
  withdraw_unbonded: {},
  withdraw_rewards: { validator: str, remote_recipient: str },
  // CrossStakingApi (from the vault)
  receive_virtual_stake: { owner: str, amount: coin, tx_id: u64, msg: binary }, // msg = StakeMsg JSON
  burn_virtual_stake: { owner: str, amount: coin, validator: option(str) },
});
export type ExecuteMsg = Infer<typeof ExecuteMsg>;

const page = { start_after: option(str), limit: option(u32) };
export const QueryMsg = taggedEnum('QueryMsg', {
  config: {},
  authorized_endpoint: {},
  ibc_channel: {},
  list_active_validators: page,
  list_validators: page,
  stake: { user: str, validator: str },
  stakes: { user: str, ...page },
  pending_tx: { tx_id: u64 },
  all_pending_txs_desc: { start_after: option(u64), limit: option(u32) },
  pending_rewards: { user: str, validator: str },
  all_pending_rewards: { user: str, ...page },
  max_slash: {},
});
export type QueryMsg = Infer<typeof QueryMsg>;

// ---- query answers
export const ConfigResponse = struct('ConfigResponse', { denom: str, vault: str, unbonding_period: u64 });

/** cosmwasm_std `IbcChannel` (no deny_unknown_fields). */
export const IbcEndpoint = struct('IbcEndpoint', { port_id: str, channel_id: str }, { ignoreUnknown: true });
export const IbcOrder = stringEnum('IbcOrder', ['ORDER_UNORDERED', 'ORDER_ORDERED']);
export const IbcChannel = struct(
  'IbcChannel',
  { endpoint: IbcEndpoint, counterparty_endpoint: IbcEndpoint, order: IbcOrder, version: str, connection_id: str },
  { ignoreUnknown: true },
);
export const IbcChannelResponse = struct('IbcChannelResponse', { channel: IbcChannel });

export const ListActiveValidatorsResponse = struct('ListActiveValidatorsResponse', { validators: array(str) });
/** CRDT state of a consumer validator (spec §4.8). */
export const ValidatorState = taggedEnum('State', { active: {}, unbonded: {}, jailed: {}, tombstoned: {}, unknown: {} });
export const ValidatorStateItem = struct('ValidatorState', { validator: str, state: ValidatorState });
export const ListValidatorsResponse = struct('ListValidatorsResponse', { validators: array(ValidatorStateItem) });

export const PendingUnbond = struct('PendingUnbond', { amount: uint128, release_at: timestamp });
/** `stake{}` answer; `points_alignment` is a Uint256 shifted by Uint256::MAX/2 (state.rs). */
export const Stake = struct('Stake', {
  stake: valueRange,
  pending_unbonds: array(PendingUnbond),
  points_alignment: uint256,
  withdrawn_funds: uint128,
});
export type Stake = Infer<typeof Stake>;
export const StakeInfo = struct('StakeInfo', { owner: str, validator: str, stake: Stake });
export const StakesResponse = struct('StakesResponse', { stakes: array(StakeInfo) });

export const PendingRewards = struct('PendingRewards', { rewards: coin });
export const ValidatorPendingRewards = struct('ValidatorPendingRewards', { validator: str, rewards: PendingRewards });
export const AllPendingRewards = struct('AllPendingRewards', { rewards: array(ValidatorPendingRewards) });
export const AllTxsResponse = struct('AllTxsResponse', { txs: array(Tx) });

export const QUERY_RESPONSES = {
  config: ConfigResponse,
  authorized_endpoint: AuthorizedEndpoint,
  ibc_channel: IbcChannelResponse,
  list_active_validators: ListActiveValidatorsResponse,
  list_validators: ListValidatorsResponse,
  stake: Stake,
  stakes: StakesResponse,
  pending_tx: Tx,
  all_pending_txs_desc: AllTxsResponse,
  pending_rewards: PendingRewards,
  all_pending_rewards: AllPendingRewards,
  max_slash: SlashRatioResponse,
} as const satisfies Record<QueryMsg['kind'], Schema<any>>;

export { SlashRatioResponse, StakeMsg, Tx };
