// virtual-staking (consumer) — spec §1.6, ms:contracts/consumer/virtual-staking/src/contract.rs,
// ms:packages/apis/src/virtual_staking_api.rs. Sudo messages come from x/meshsecurity (chain-msgs.ts).
import { ValidatorSlash, VirtualStakingSudoMsg } from './chain-msgs.ts';
import { array, bool, coin, str, struct, taggedEnum, tuple, u32, uint128 } from './schema.ts';
import type { Infer, Schema } from './schema.ts';

/** Sent by the converter when it instantiates virtual-staking. */
export const InstantiateMsg = struct('InstantiateMsg', { max_retrieve: u32, tombstoned_unbond_enable: bool });
export type InstantiateMsg = Infer<typeof InstantiateMsg>;

/** VirtualStakingApi, called by the converter (test_handle_epoch of test builds is not listed). */
export const ExecuteMsg = taggedEnum('ExecMsg', {
  bond: { delegator: str, validator: str, amount: coin },
  unbond: { delegator: str, validator: str, amount: coin },
  burn: { validators: array(str), amount: coin },
  internal_unbond: { delegator: str, validator: str, amount: coin },
  handle_close_channel: {},
});
export type ExecuteMsg = Infer<typeof ExecuteMsg>;

export const SudoMsg = VirtualStakingSudoMsg;
export type SudoMsg = VirtualStakingSudoMsg;

export const QueryMsg = taggedEnum('QueryMsg', {
  config: {},
  get_stake: { validator: str },
  get_all_stake: {},
});
export type QueryMsg = Infer<typeof QueryMsg>;

export const ConfigResponse = struct('ConfigResponse', { denom: str, converter: str });
export const StakeResponse = struct('StakeResponse', { stake: uint128 });
/** `{"stakes":[["<valoper>","<amount>"],…]}` */
export const AllStakeResponse = struct('AllStakeResponse', { stakes: array(tuple([str, uint128])) });

export const QUERY_RESPONSES = {
  config: ConfigResponse,
  get_stake: StakeResponse,
  get_all_stake: AllStakeResponse,
} as const satisfies Record<QueryMsg['kind'], Schema<any>>;

export { ValidatorSlash };
