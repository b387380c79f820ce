// IBC control-channel packets (spec §2.1, §2.2) and their historic shapes (spec §2.7).
// Source: ms:packages/apis/src/ibc/{packet,version}.rs, ms:packages/apis/src/converter_api.rs.
import { CodecError, array, coin, decodeJson, isJsonObject, parseJson, str, struct, taggedEnum, u64, uint128 } from './schema.ts';
import type { Infer, Schema } from './schema.ts';

// ---------------------------------------------------------------- channel version (spec §2.1)

export const MESH_PROTOCOL = 'mesh-security';
export const MESH_PROTOCOL_VERSION = '0.11.0';

/** `{"protocol":"mesh-security","version":"0.11.0"}`; unknown fields are ignored on purpose. */
export const ChannelVersion = struct('ProtocolVersion', { protocol: str, version: str }, { ignoreUnknown: true });
export type ChannelVersion = Infer<typeof ChannelVersion>;

// ---------------------------------------------------------------- shared structs (spec §2.2)

export const AddValidator = struct('AddValidator', { valoper: str, pub_key: str });
export type AddValidator = Infer<typeof AddValidator>;

/** Packet form of a consumer slash; `slash_amount` already in provider units (spec §4.4). */
export const ValidatorSlashInfo = struct('ValidatorSlashInfo', {
  address: str,
  infraction_height: u64,
  infraction_time: u64,
  power: u64,
  slash_amount: coin,
  slash_ratio: str,
});
export type ValidatorSlashInfo = Infer<typeof ValidatorSlashInfo>;

export const RewardInfo = struct('RewardInfo', { validator: str, reward: uint128 });
export type RewardInfo = Infer<typeof RewardInfo>;

// ---------------------------------------------------------------- current packets (spec §2.2)

/** Provider → consumer, sent by external-staking. */
export const ProviderPacket = taggedEnum('ProviderPacket', {
  stake: { delegator: str, validator: str, stake: coin, tx_id: u64 },
  unstake: { delegator: str, validator: str, unstake: coin, tx_id: u64 },
  burn: { validators: array(str), burn: coin },
  transfer_rewards: { rewards: coin, recipient: str, tx_id: u64 },
});
export type ProviderPacket = Infer<typeof ProviderPacket>;

/** Consumer → provider, sent by the converter. */
export const ConsumerPacket = taggedEnum('ConsumerPacket', {
  valset_update: {
    height: u64,
    time: u64,
    additions: array(AddValidator),
    removals: array(str),
    updated: array(AddValidator),
    jailed: array(str),
    unjailed: array(str),
    tombstoned: array(str),
    slashed: array(ValidatorSlashInfo),
  },
  internal_unstake: { delegator: str, validator: str, normalize_amount: coin, inverted_amount: coin },
  distribute: { validator: str, rewards: coin },
  distribute_batch: { rewards: array(RewardInfo), denom: str },
});
export type ConsumerPacket = Infer<typeof ConsumerPacket>;

export const decodeProviderPacket = (data: string | Uint8Array): ProviderPacket => decodeJson(ProviderPacket, data);
export const decodeConsumerPacket = (data: string | Uint8Array): ConsumerPacket => decodeJson(ConsumerPacket, data);

// ---------------------------------------------------------------- history (spec §2.7)
// Every shape a packet variant ever had, newest first. The protocol version stayed "0.11.0", so the
// shape is recognised from the JSON alone: each candidate decodes strictly (unknown fields rejected).
// `era` is the date the shape appeared (spec §2.7 table), `commit` the commit(s) of that row.

interface Shape<K extends string, S extends Schema<any>> {
  era: string;
  commit: string;
  kind: K;
  schema: S;
  current: boolean;
}
const shape = <K extends string, S extends Schema<any>>(era: string, commit: string, kind: K, schema: S, current = false): Shape<K, S> =>
  ({ era, commit, kind, schema, current });
const P = ProviderPacket.variants;
const C = ConsumerPacket.variants;
// Historic structs: the field order of old code is not known exactly, which only matters for encoding.
// The `transfer_rewards` row of §2.7 spans 06-26/27: the `staker` shape is dated 06-26, the `tx_id` one 06-27.

export const PROVIDER_PACKET_SHAPES = [
  shape('2024-07-02', '8cf2ea4', 'stake', P.stake, true),
  shape('2023-06-22', '4fa8aec', 'stake', struct('Stake@2023-06-22', { validator: str, stake: coin, tx_id: u64 })),
  shape('2023-06-21', 'fbb36e1', 'stake', struct('Stake@2023-06-21', { validator: str, stake: coin })),
  shape('2024-07-02', '8cf2ea4', 'unstake', P.unstake, true),
  shape('2023-06-22', '4fa8aec', 'unstake', struct('Unstake@2023-06-22', { validator: str, unstake: coin, tx_id: u64 })),
  shape('2023-06-21', 'fbb36e1', 'unstake', struct('Unstake@2023-06-21', { validator: str, unstake: coin })),
  shape('2023-10-25', 'edec89e', 'burn', P.burn, true),
  shape('2023-10-25', '414d4d5', 'burn', struct('Burn@414d4d5', { validator: str, burn: coin, tx_id: u64 })),
  shape('2023-06-27', '6bd3020/956cac1/3af344f', 'transfer_rewards', P.transfer_rewards, true),
  shape('2023-06-26', '6bd3020/956cac1/3af344f', 'transfer_rewards', struct('TransferRewards@staker', { rewards: coin, recipient: str, staker: str })),
] as const;

const OldAddValidator = struct('AddValidator@2023-06-21', { valoper: str, pub_key: str, start_height: u64, start_time: u64 });
const JailValidator = struct('JailValidator@2023-10-06', { valoper: str, height: u64, time: u64 });
const { slashed: _slashed, ...valsetWithoutSlashed } = C.valset_update.fields;

export const CONSUMER_PACKET_SHAPES = [
  shape('2023-12-03', 'cf44e25', 'valset_update', C.valset_update, true),
  shape('2023-10-13', '4d7fe11', 'valset_update', struct('ValsetUpdate@2023-10-13', valsetWithoutSlashed)),
  shape('2024-08-23', '90c34a4', 'internal_unstake', C.internal_unstake, true),
  shape('2024-07-02', '8cf2ea4', 'internal_unstake', struct('InternalUnstake@2024-07-02', { delegator: str, validator: str, amount: coin })),
  shape('2023-06-27', '6bd3020/956cac1/3af344f', 'distribute', C.distribute, true),
  shape('2023-09-13', '78e9254/0497287', 'distribute_batch', C.distribute_batch, true),
  // Per-kind validator packets (newtype variants), replaced by valset_update on 2023-10-13.
  shape('2023-06-21', 'fbb36e1', 'add_validators', array(OldAddValidator)),
  shape('2023-06-21', 'fbb36e1', 'remove_validators', array(str)),
  shape('2023-10-06', '35d4ad7/42beeec', 'jail_validators', array(JailValidator)),
  shape('2023-10-06', '35d4ad7/42beeec', 'tombstone_validators', array(str)),
] as const;

type ShapeResult<T extends readonly Shape<string, Schema<any>>[]> = {
  [I in keyof T]: T[I] extends Shape<infer K, infer S> ? { kind: K; value: Infer<S> } : never;
}[number];

export type AnyEraProviderPacket = ShapeResult<typeof PROVIDER_PACKET_SHAPES>;
export type AnyEraConsumerPacket = ShapeResult<typeof CONSUMER_PACKET_SHAPES>;

export interface EraDecoded<P> {
  /** Date the shape appeared (spec §2.7). */
  era: string;
  commit: string;
  /** True for the shape of current code (then `packet` is also a valid current packet). */
  current: boolean;
  packet: P;
}

function decodeAnyEra<P>(shapes: readonly Shape<string, Schema<any>>[], current: Schema<unknown>, data: unknown): EraDecoded<P> {
  const json = typeof data === 'string' || data instanceof Uint8Array ? parseJson(data) : data;
  const kind = isJsonObject(json) && Object.keys(json).length === 1 ? Object.keys(json)[0]! : undefined;
  let firstError: unknown;
  for (const s of shapes) {
    if (kind === undefined || s.kind !== kind) continue;
    try {
      const value = s.schema.decode((json as Record<string, unknown>)[kind], `$.${kind}`);
      return { era: s.era, commit: s.commit, current: s.current, packet: { kind, value } as P };
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      firstError ??= e; // the newest shape's complaint is the most useful one
    }
  }
  if (firstError) throw firstError;
  current.decode(json, '$'); // not a known kind: throws the current schema's error
  throw new CodecError('packet matches no known shape');
}

/** Decodes a provider packet of any era (spec §2.7); `data` is JSON text, bytes, or parsed JSON. */
export function decodeProviderPacketAnyEra(data: unknown): EraDecoded<AnyEraProviderPacket> {
  return decodeAnyEra(PROVIDER_PACKET_SHAPES, ProviderPacket, data);
}

/** Decodes a consumer packet of any era (spec §2.7); `data` is JSON text, bytes, or parsed JSON. */
export function decodeConsumerPacketAnyEra(data: unknown): EraDecoded<AnyEraConsumerPacket> {
  return decodeAnyEra(CONSUMER_PACKET_SHAPES, ConsumerPacket, data);
}
