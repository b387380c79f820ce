// Test and bench helpers: devnet workloads on either SDK line, the RawBlock a fetcher would build
// from a BlockStore's rendered block (the tx results parsed back from their JSON, as served over RPC),
// and hand-made txs and blocks.
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { RenderedBlock } from '../../devnet/node/render.ts';
import { Workload, type WorkloadOptions } from '../../devnet/workload/run.ts';
import { defaultTopology } from '../../devnet/workload/topologies.ts';
import type { RawBlock, RawTxResult } from '../rpc/raw-block.ts';

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * A workload on the default topology with every chain on `sdk` (ibc-go v8 on both lines, so the
 * two runs of one seed produce the same blocks but for `msg_index`/`mode`).
 */
export function workload(sdk: '0.47' | '0.50', opts: WorkloadOptions & { users?: number; validators?: number } = {}): Workload {
  const topology = defaultTopology({ users: opts.users ?? 20, validators: opts.validators ?? 3 });
  for (const c of topology.chains) c.sdkVersion = sdk;
  return new Workload({ seed: 7, invariants: false, ...opts, topology });
}

export function rawBlockOf(b: RenderedBlock): RawBlock {
  return {
    height: Number(b.height),
    timeNs: b.time,
    hash: b.hash,
    txs: b.txs.map((t) => t.bytes),
    txResults: b.txs.map((t) => JSON.parse(t.resultJson) as RawTxResult),
    beginEvents: b.beginEvents,
    endEvents: b.endEvents,
  };
}

export interface Codec {
  typeUrl: string;
  encode(m: any): { finish(): Uint8Array };
  fromPartial(o: any): any;
}

/** A TxRaw with the given messages, one signer, a fee: the bytes a block carries. */
export function txBytes(msgs: Array<{ typeUrl: string; value: Uint8Array }>, memo = ''): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: msgs, memo })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: new Uint8Array(35).fill(2) }, modeInfo: { single: { mode: 1 } }, sequence: 4n }],
      fee: { amount: [{ denom: 'uosmo', amount: '2000' }], gasLimit: 200_000n },
    }),
  ).finish();
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64).fill(9)] }).finish();
}

export const anyOf = (codec: Codec, partial: unknown) => ({ typeUrl: codec.typeUrl, value: codec.encode(codec.fromPartial(partial)).finish() });

export function blockOf(txs: Uint8Array[], results?: RawBlock['txResults']): RawBlock {
  return {
    height: 7,
    timeNs: 1_767_225_600_123_456_789n,
    hash: 'AB'.repeat(32),
    txs,
    txResults: results ?? txs.map(() => ({ code: 0, codespace: '', log: '', events: [] })),
    beginEvents: [],
    endEvents: [],
  };
}
