// Type URL → protobuf codec for every message (and msg response) a devnet tx can carry: cosmjs-types
// for wasm, bank, staking, distribution, slashing, gov, IBC client/channel/transfer, plus the mesh
// modules (src/protocol/proto/mesh.ts). `encodeMsg` accepts the chain's msg values, which are cosmjs-types shaped
// but may hold bigint coin amounts, JSON objects for wasm `msg` and the devnet's flat handshake fields.
import * as wasm from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import * as bank from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import * as staking from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import * as distribution from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import * as slashing from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import * as govV1 from 'cosmjs-types/cosmos/gov/v1/tx';
import * as client from 'cosmjs-types/ibc/core/client/v1/tx';
import * as channel from 'cosmjs-types/ibc/core/channel/v1/tx';
import * as transfer from 'cosmjs-types/ibc/applications/transfer/v1/tx';
import { Order, State } from 'cosmjs-types/ibc/core/channel/v1/channel';
import { MESH_CODECS, type ProtoCodec } from '../../protocol/proto/mesh.ts';
import { toBytes } from './proto-bytes.ts';
import { jsonUtf8, utf8Bytes } from '../chain/utf8.ts';

export type { ProtoCodec };

const registry = new Map<string, ProtoCodec>();

function isCodec(v: unknown): v is ProtoCodec {
  return typeof v === 'object' && v !== null && typeof (v as ProtoCodec).typeUrl === 'string' && typeof (v as ProtoCodec).encode === 'function';
}

for (const mod of [wasm, bank, staking, distribution, slashing, govV1, client, channel, transfer]) {
  for (const v of Object.values(mod)) if (isCodec(v)) registry.set(v.typeUrl, v);
}
for (const c of MESH_CODECS) registry.set(c.typeUrl, c);

export function codecFor(typeUrl: string): ProtoCodec | undefined {
  return registry.get(typeUrl);
}

export function registeredTypeUrls(): string[] {
  return [...registry.keys()];
}


/** bigint/number coin amounts → decimal strings, recursively (proto Coin.amount is a string). */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = normalize(x);
  if (typeof o.denom === 'string' && (typeof o.amount === 'bigint' || typeof o.amount === 'number')) out.amount = String(o.amount);
  return out;
}

const jsonBytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : typeof v === 'string' ? utf8Bytes(v) : jsonUtf8(v ?? {}));

/** Per type URL: devnet value → cosmjs-types partial (cosmos-wire §2.2 field layout). */
const adapters: Record<string, (v: Record<string, any>) => Record<string, unknown>> = {
  '/cosmwasm.wasm.v1.MsgExecuteContract': (v) => ({ ...v, msg: jsonBytes(v.msg) }),
  '/cosmwasm.wasm.v1.MsgInstantiateContract': (v) => ({ ...v, msg: jsonBytes(v.msg) }),
  '/cosmwasm.wasm.v1.MsgInstantiateContract2': (v) => ({ ...v, msg: jsonBytes(v.msg) }),
  '/cosmwasm.wasm.v1.MsgMigrateContract': (v) => ({ ...v, msg: jsonBytes(v.msg) }),
  // The devnet's handshake values are flat ({portId, connectionId, counterpartyPortId, …}); build the Channel.
  '/ibc.core.channel.v1.MsgChannelOpenInit': (v) =>
    v.channel
      ? v
      : {
          portId: v.portId,
          signer: v.signer,
          channel: { state: State.STATE_INIT, ordering: orderOf(v.ordering), counterparty: { portId: v.counterpartyPortId, channelId: '' }, connectionHops: [v.connectionId], version: v.version ?? '' },
        },
  '/ibc.core.channel.v1.MsgChannelOpenTry': (v) =>
    v.channel
      ? v
      : {
          portId: v.portId,
          signer: v.signer,
          counterpartyVersion: v.counterpartyVersion ?? '',
          proofInit: v.proofInit,
          proofHeight: v.proofHeight,
          channel: {
            state: State.STATE_TRYOPEN,
            ordering: orderOf(v.ordering),
            counterparty: { portId: v.counterpartyPortId, channelId: v.counterpartyChannelId },
            connectionHops: [v.connectionId],
            version: v.version ?? v.counterpartyVersion ?? '',
          },
        },
};

function orderOf(o: unknown): Order {
  return o === 'ORDER_ORDERED' || o === Order.ORDER_ORDERED ? Order.ORDER_ORDERED : Order.ORDER_UNORDERED;
}

export class UnknownTypeUrlError extends Error {}

/** Encodes one message value (the Any's `value` bytes). */
export function encodeMsg(typeUrl: string, value: Record<string, unknown>): Uint8Array {
  const codec = registry.get(typeUrl);
  if (!codec) throw new UnknownTypeUrlError(`no protobuf codec for ${typeUrl}`);
  const adapt = adapters[typeUrl];
  const partial = normalize(adapt ? adapt(value) : value);
  return toBytes(codec.encode(codec.fromPartial(partial)));
}

export function decodeMsg(typeUrl: string, bytes: Uint8Array): unknown {
  const codec = registry.get(typeUrl);
  if (!codec) throw new UnknownTypeUrlError(`no protobuf codec for ${typeUrl}`);
  return codec.decode(bytes);
}
