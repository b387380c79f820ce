// Type URL → protobuf decoder for the messages the mesh indexer reads: CosmWasm, bank, staking,
// distribution, slashing, gov, IBC client/connection/channel/transfer (cosmjs-types) and the mesh
// modules (src/protocol/proto/mesh.ts). Any other type URL is kept undecoded.
import * as wasm from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import * as bank from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import * as staking from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import * as distribution from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import * as slashing from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import * as govV1 from 'cosmjs-types/cosmos/gov/v1/tx';
import * as govV1beta1 from 'cosmjs-types/cosmos/gov/v1beta1/tx';
import * as client from 'cosmjs-types/ibc/core/client/v1/tx';
import * as connection from 'cosmjs-types/ibc/core/connection/v1/tx';
import * as channel from 'cosmjs-types/ibc/core/channel/v1/tx';
import * as transfer from 'cosmjs-types/ibc/applications/transfer/v1/tx';
import { MESH_CODECS } from '../../protocol/proto/mesh.ts';

export interface MsgDecoder {
  typeUrl: string;
  decode(bytes: Uint8Array): unknown;
}

const registry = new Map<string, MsgDecoder>();

const isMsgDecoder = (v: unknown): v is MsgDecoder =>
  typeof v === 'object' && v !== null && typeof (v as MsgDecoder).typeUrl === 'string' && typeof (v as MsgDecoder).decode === 'function';

// Only `Msg…` types (not their responses or nested types such as Params): those are what a TxBody carries.
const TX_MSG = /\.Msg\w+$/;
for (const mod of [wasm, bank, staking, distribution, slashing, govV1, govV1beta1, client, connection, channel, transfer, MESH_CODECS]) {
  for (const v of Object.values(mod)) if (isMsgDecoder(v) && TX_MSG.test(v.typeUrl) && !v.typeUrl.endsWith('Response')) registry.set(v.typeUrl, v);
}

export function msgDecoder(typeUrl: string): MsgDecoder | undefined {
  return registry.get(typeUrl);
}

export function decodableTypeUrls(): string[] {
  return [...registry.keys()].sort();
}

/** Messages whose `msg` field is the contract's JSON message (cosmos-wire §2.2). */
export const WASM_JSON_MSGS: ReadonlySet<string> = new Set([
  '/cosmwasm.wasm.v1.MsgExecuteContract',
  '/cosmwasm.wasm.v1.MsgInstantiateContract',
  '/cosmwasm.wasm.v1.MsgInstantiateContract2',
  '/cosmwasm.wasm.v1.MsgMigrateContract',
  '/cosmwasm.wasm.v1.MsgSudoContract',
]);
