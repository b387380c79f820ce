// Types shared by several contracts' messages and answers (spec §0.3, §1).
import { addr, decimal, decimal18, str, struct, taggedEnum, u64, uint128 } from './schema.ts';
import type { Infer } from './schema.ts';

/** Pending transaction of vault / external-staking (`ms:packages/sync/src/txs.rs`, spec §0.3). */
export const Tx = taggedEnum('Tx', {
  in_flight_staking: { id: u64, amount: uint128, slashable: decimal, user: addr, lienholder: addr },
  in_flight_remote_staking: { id: u64, amount: uint128, user: addr, validator: str },
  in_flight_remote_unstaking: { id: u64, amount: uint128, user: addr, validator: str },
  in_flight_transfer_funds: { id: u64, amount: uint128, staker: addr, validator: str },
});
export type Tx = Infer<typeof Tx>;

/** The `msg: Binary` payload of stake_remote / stake_local / receive_stake: `{"validator":…}` (spec §1.1). */
export const StakeMsg = struct('StakeMsg', { validator: str });
export type StakeMsg = Infer<typeof StakeMsg>;

/** `max_slash{}` answer of local and cross staking contracts (spec §1.2). */
export const SlashRatioResponse = struct('SlashRatioResponse', { slash_ratio_dsign: decimal, slash_ratio_offline: decimal });
export type SlashRatioResponse = Infer<typeof SlashRatioResponse>;

/** cosmwasm_std `Validator` as a contract writes it (Decimal without trailing zeros, spec §1.5). */
export const Validator = struct(
  'Validator',
  { address: str, commission: decimal, max_commission: decimal, max_change_rate: decimal },
  { ignoreUnknown: true },
);
export type Validator = Infer<typeof Validator>;

/** wasmvm `Validator` as the Go module writes it (18-digit decimals, spec §3.1); decodes like `Validator`. */
export const GoValidator = struct(
  'Validator',
  { address: str, commission: decimal18, max_commission: decimal18, max_change_rate: decimal18 },
  { ignoreUnknown: true },
);
