// converter (consumer) — spec §1.5, ms:contracts/consumer/converter/src/contract.rs,
// ms:packages/apis/src/converter_api.rs.
import { Validator } from './common.ts';
import { RewardInfo, ValidatorSlashInfo } from './packets.ts';
import { array, bool, coin, decimal, option, str, struct, taggedEnum, u32, u64 } from './schema.ts';
import type { Infer, Schema } from './schema.ts';

export const InstantiateMsg = struct('InstantiateMsg', {
  price_feed: str,
  discount: decimal,
  remote_denom: str,
  virtual_staking_code_id: u64,
  tombstoned_unbond_enable: bool,
  admin: option(str),
  max_retrieve: u32,
});
export type InstantiateMsg = Infer<typeof InstantiateMsg>;

/** ConverterApi, called by virtual-staking (test_* messages of test builds are not listed). */
export const ExecuteMsg = taggedEnum('ExecMsg', {
  distribute_reward: { validator: str }, // + funds
  distribute_rewards: { payments: array(RewardInfo) }, // + funds = sum
  valset_update: {
    additions: array(Validator),
    removals: array(str),
    updated: array(Validator),
    jailed: array(str),
    unjailed: array(str),
    tombstoned: array(str),
    slashed: array(ValidatorSlashInfo), // slash_amount in consumer units here
  },
  internal_unstake: { delegator: str, validator: str, amount: coin },
});
export type ExecuteMsg = Infer<typeof ExecuteMsg>;

export const QueryMsg = taggedEnum('QueryMsg', { config: {} });
export type QueryMsg = Infer<typeof QueryMsg>;

export const ConfigResponse = struct('ConfigResponse', { adjustment: decimal, price_feed: str, virtual_staking: str });

export const QUERY_RESPONSES = { config: ConfigResponse } as const satisfies Record<QueryMsg['kind'], Schema<any>>;

export { RewardInfo, Validator, ValidatorSlashInfo };
