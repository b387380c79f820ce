// Messages between contracts and the Go SDK modules (spec §3): custom messages and queries
// (ms:packages/bindings/src/{msg,query}.rs ⇄ sdk:x/meshsecurity*/contract/*.go) and the sudo
// messages the modules send. Go's encoding/json ignores unknown fields, so the JSON that Go reads
// (custom messages and queries) is decoded leniently; the JSON that Go writes and a contract reads
// (query answers, sudo messages) is strict like the contracts.
import { GoValidator } from './common.ts';
import { array, bool, coin, option, str, struct, taggedEnum, u32, u64, uint128 } from './schema.ts';
import type { Infer, Schema } from './schema.ts';
import { SudoMsg as NativeStakingSudoMsg } from './native-staking.ts';

const goReads = { ignoreUnknown: true };

// ---------------------------------------------------------------- x/meshsecurity (consumer, spec §3.1)

export const VirtualStakeMsg = taggedEnum(
  'VirtualStakeMsg',
  {
    bond: { amount: coin, validator: str },
    unbond: { amount: coin, validator: str },
    update_delegation: { amount: coin, is_deduct: bool, delegator: str, validator: str },
    delete_all_scheduled_tasks: {},
  },
  goReads,
);
/** `{"virtual_stake":{…}}`, sent by virtual-staking. */
export const VirtualStakeCustomMsg = taggedEnum('VirtualStakeCustomMsg', { virtual_stake: VirtualStakeMsg });
export type VirtualStakeCustomMsg = Infer<typeof VirtualStakeCustomMsg>;

export const VirtualStakeQuery = taggedEnum(
  'VirtualStakeQuery',
  {
    bond_status: { contract: str },
    slash_ratio: {},
    total_delegation: { contract: str, validator: str },
    all_delegations: { contract: str, max_retrieve: u32 },
  },
  goReads,
);
/** `{"virtual_stake":{…}}` custom query. */
export const VirtualStakeCustomQuery = taggedEnum('VirtualStakeCustomQuery', { virtual_stake: VirtualStakeQuery });
export type VirtualStakeCustomQuery = Infer<typeof VirtualStakeCustomQuery>;

export const BondStatusResponse = struct('BondStatusResponse', { cap: coin, delegated: coin });
/** Decimal strings as Go writes them (`"0.010000000000000000"`). */
export const SlashRatioResponse = struct('SlashRatioResponse', { slash_fraction_downtime: str, slash_fraction_double_sign: str });
export const TotalDelegationResponse = struct('TotalDelegationResponse', { delegation: coin });
/** A record kept by `update_delegation` (amount as a Uint128 string). */
export const Delegation = struct('Delegation', { delegator: str, validator: str, amount: uint128 });
export const AllDelegationsResponse = struct('AllDelegationsResponse', { delegations: array(Delegation) });

export const VIRTUAL_STAKE_QUERY_RESPONSES = {
  bond_status: BondStatusResponse,
  slash_ratio: SlashRatioResponse,
  total_delegation: TotalDelegationResponse,
  all_delegations: AllDelegationsResponse,
} as const satisfies Record<Infer<typeof VirtualStakeQuery>['kind'], Schema<any>>;

/** Consumer slash report inside `handle_valset_update` (ms:packages/apis/src/virtual_staking_api.rs). */
export const ValidatorSlash = struct('ValidatorSlash', {
  address: str,
  height: u64,
  time: u64,
  infraction_height: u64,
  infraction_time: u64, // always 0 from Go (spec §7 Q8)
  power: u64,
  slash_amount: uint128,
  slash_ratio: str,
  is_tombstoned: bool,
});
export type ValidatorSlash = Infer<typeof ValidatorSlash>;

/** Sudo from x/meshsecurity's EndBlocker to virtual-staking (`handle_epoch` also to price feeds). */
export const VirtualStakingSudoMsg = taggedEnum('SudoMsg', {
  handle_epoch: {},
  handle_valset_update: {
    additions: option(array(GoValidator)),
    removals: option(array(str)),
    updated: option(array(GoValidator)),
    jailed: option(array(str)),
    unjailed: option(array(str)),
    tombstoned: option(array(str)),
    slashed: option(array(ValidatorSlash)),
  },
});
export type VirtualStakingSudoMsg = Infer<typeof VirtualStakingSudoMsg>;

// ---------------------------------------------------------------- x/meshsecurityprovider (spec §3.2)

export const ProviderMsg = taggedEnum(
  'ProviderMsg',
  {
    bond: { delegator: str, amount: coin }, // vault
    unbond: { delegator: str, amount: coin }, // vault
    unstake: { delegator: str, validator: str, amount: coin }, // proxy; delegator = proxy owner
    restake: { delegator: str, validator: str, amount: coin }, // vault
  },
  goReads,
);
/** `{"provider":{…}}`, sent by the vault and the native-staking proxies. */
export const ProviderCustomMsg = taggedEnum('ProviderCustomMsg', { provider: ProviderMsg });
export type ProviderCustomMsg = Infer<typeof ProviderCustomMsg>;

/** Sudo `{"jailing":{"jailed":[…]|null,"tombstoned":[…]|null}}` to native-staking. */
export const JailingSudoMsg = NativeStakingSudoMsg;
export type JailingSudoMsg = Infer<typeof JailingSudoMsg>;
