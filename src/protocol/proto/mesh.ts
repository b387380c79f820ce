// Protobuf codecs for the mesh-security-sdk messages and queries cosmjs-types does not ship, written
// with cosmjs-types' BinaryWriter/BinaryReader; used by the devnet (encode) and the indexer (decode). Field numbers from osmosis-labs/mesh-security-sdk:
// proto/osmosis/meshsecurity/v1beta1/{tx,query,types}.proto, proto/osmosis/meshsecurityprovider/{tx,genesis}.proto.
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';

/** The shape of a cosmjs-types message object (encode/decode/fromPartial). */
export interface ProtoCodec<T = any> {
  typeUrl: string;
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromPartial(object: any): T;
}

type Field = readonly [no: number, name: string, kind: 'string' | 'coin' | ProtoCodec];

/** A codec for a message made of string, Coin and nested-message fields (all these protos are). */
function messageCodec<T extends Record<string, unknown>>(typeUrl: string, fields: readonly Field[]): ProtoCodec<T> {
  const base = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const [, name, kind] of fields) o[name] = kind === 'string' ? '' : kind === 'coin' ? Coin.fromPartial({}) : kind.fromPartial({});
    return o;
  };
  const codec: ProtoCodec<T> = {
    typeUrl,
    encode(m, writer = BinaryWriter.create()) {
      for (const [no, name, kind] of fields) {
        const v = (m as Record<string, unknown>)[name];
        if (kind === 'string') {
          if (typeof v === 'string' && v !== '') writer.uint32((no << 3) | 2).string(v);
        } else if (v !== undefined && v !== null) {
          const c = kind === 'coin' ? Coin : kind;
          c.encode(v as never, writer.uint32((no << 3) | 2).fork()).ldelim();
        }
      }
      return writer;
    },
    decode(input, length) {
      const reader = input instanceof BinaryReader ? input : new BinaryReader(input);
      const end = length === undefined ? reader.len : reader.pos + length;
      const m = base();
      while (reader.pos < end) {
        const tag = reader.uint32();
        const f = fields.find(([no]) => no === tag >>> 3);
        if (!f || (tag & 7) !== 2) {
          reader.skipType(tag & 7);
          continue;
        }
        const [, name, kind] = f;
        m[name] = kind === 'string' ? reader.string() : (kind === 'coin' ? Coin : kind).decode(reader, reader.uint32());
      }
      return m as T;
    },
    fromPartial(object) {
      const m = base();
      for (const [, name, kind] of fields) {
        const v = object?.[name];
        if (v === undefined || v === null) continue;
        m[name] = kind === 'string' ? String(v) : (kind === 'coin' ? Coin : kind).fromPartial(v);
      }
      return m as T;
    },
  };
  return codec;
}

/** Exactly-sized bytes (cosmjs-types' `finish()` returns a view into an 8 KiB slab). */
function toBytes(w: BinaryWriter): Uint8Array {
  const buf = new Uint8Array(w.len);
  let pos = 0;
  for (let op = w.head.next; op; op = op.next) {
    op.proceed(buf, pos);
    pos += op.len;
  }
  return buf;
}

const empty = (typeUrl: string): ProtoCodec<Record<string, never>> => messageCodec(typeUrl, []);

// ---- x/meshsecurity (consumer) ----

export const MsgSetVirtualStakingMaxCap = messageCodec<{ authority: string; contract: string; maxCap: Coin }>('/osmosis.meshsecurity.v1beta1.MsgSetVirtualStakingMaxCap', [
  [1, 'authority', 'string'],
  [2, 'contract', 'string'],
  [3, 'maxCap', 'coin'],
]);
export const MsgSetVirtualStakingMaxCapResponse = empty('/osmosis.meshsecurity.v1beta1.MsgSetVirtualStakingMaxCapResponse');

export const MsgSetPriceFeedContract = messageCodec<{ authority: string; contract: string }>('/osmosis.meshsecurity.v1beta1.MsgSetPriceFeedContract', [
  [1, 'authority', 'string'],
  [2, 'contract', 'string'],
]);
export const MsgSetPriceFeedContractResponse = empty('/osmosis.meshsecurity.v1beta1.MsgSetPriceFeedContractResponse');

export const QueryVirtualStakingMaxCapLimitRequest = messageCodec<{ address: string }>('/osmosis.meshsecurity.v1beta1.QueryVirtualStakingMaxCapLimitRequest', [[1, 'address', 'string']]);
export const QueryVirtualStakingMaxCapLimitResponse = messageCodec<{ delegated: Coin; cap: Coin }>('/osmosis.meshsecurity.v1beta1.QueryVirtualStakingMaxCapLimitResponse', [
  [1, 'delegated', 'coin'],
  [2, 'cap', 'coin'],
]);
export const VirtualStakingMaxCapInfo = messageCodec<{ contract: string; delegated: Coin; cap: Coin }>('/osmosis.meshsecurity.v1beta1.VirtualStakingMaxCapInfo', [
  [1, 'contract', 'string'],
  [2, 'delegated', 'coin'],
  [3, 'cap', 'coin'],
]);

/** `repeated VirtualStakingMaxCapInfo max_cap_infos = 1`. */
export const QueryVirtualStakingMaxCapLimitsResponse = {
  encode(m: { maxCapInfos: Array<{ contract: string; delegated: Coin; cap: Coin }> }): Uint8Array {
    const w = BinaryWriter.create();
    for (const info of m.maxCapInfos) VirtualStakingMaxCapInfo.encode(info, w.uint32(10).fork()).ldelim();
    return toBytes(w);
  },
  decode(bytes: Uint8Array): { maxCapInfos: Array<{ contract: string; delegated: Coin; cap: Coin }> } {
    const r = new BinaryReader(bytes);
    const maxCapInfos = [];
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === 10) maxCapInfos.push(VirtualStakingMaxCapInfo.decode(r, r.uint32()));
      else r.skipType(tag & 7);
    }
    return { maxCapInfos };
  },
};

// ---- x/meshsecurityprovider ----

export const ProviderParams = messageCodec<{ vaultAddress: string; nativeStakingAddress: string }>('/osmosis.meshsecurityprovider.Params', [
  [1, 'vaultAddress', 'string'],
  [2, 'nativeStakingAddress', 'string'],
]);
export const MsgUpdateProviderParams = messageCodec<{ authority: string; params: { vaultAddress: string; nativeStakingAddress: string } }>('/osmosis.meshsecurityprovider.MsgUpdateParams', [
  [1, 'authority', 'string'],
  [2, 'params', ProviderParams],
]);
export const MsgUpdateProviderParamsResponse = empty('/osmosis.meshsecurityprovider.MsgUpdateParamsResponse');

export const MESH_CODECS: ProtoCodec[] = [
  MsgSetVirtualStakingMaxCap,
  MsgSetVirtualStakingMaxCapResponse,
  MsgSetPriceFeedContract,
  MsgSetPriceFeedContractResponse,
  MsgUpdateProviderParams,
  MsgUpdateProviderParamsResponse,
];
