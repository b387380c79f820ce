// native-staking-proxy (provider) — spec §1.3, ms:contracts/provider/native-staking-proxy/src/contract.rs.
import { addr, array, coin, decimal, option, str, stringEnum, struct, taggedEnum, u64 } from './schema.ts';
import type { Infer, Schema } from './schema.ts';

export const InstantiateMsg = struct('InstantiateMsg', { denom: str, owner: str, validator: str });
export type InstantiateMsg = Infer<typeof InstantiateMsg>;

/** Instantiate result data `{"owner":…}`, read by native-staking's reply. */
export const OwnerMsg = struct('OwnerMsg', { owner: str });

/** cosmwasm_std `VoteOption` / `WeightedVoteOption`. */
export const VoteOption = stringEnum('VoteOption', ['yes', 'no', 'abstain', 'no_with_veto']);
export const WeightedVoteOption = struct('WeightedVoteOption', { option: VoteOption, weight: decimal }, { ignoreUnknown: true });

export const ExecuteMsg = taggedEnum('ExecMsg', {
  stake: { validator: str }, // parent only, with funds
  burn: { validator: option(str), amount: coin }, // parent only
  restake: { src_validator: str, dst_validator: str, amount: coin },
  vote: { proposal_id: u64, vote: VoteOption },
  vote_weighted: { proposal_id: u64, vote: array(WeightedVoteOption) },
  withdraw_rewards: {},
  unstake: { validator: str, amount: coin },
  release_unbonded: {},
});
export type ExecuteMsg = Infer<typeof ExecuteMsg>;

export const QueryMsg = taggedEnum('QueryMsg', { config: {} });
export type QueryMsg = Infer<typeof QueryMsg>;

export const ConfigResponse = struct('Config', { denom: str, parent: addr, owner: addr });

export const QUERY_RESPONSES = { config: ConfigResponse } as const satisfies Record<QueryMsg['kind'], Schema<any>>;
