// Devnet Tx → real Cosmos SDK tx bytes (cosmos-wire §2.1): TxRaw{TxBody, AuthInfo, [signature]},
// the tx hash (upper-hex SHA-256 of those bytes) and the TxMsgData a successful tx returns in
// `tx_result.data`. Nothing is really signed: the signature is a deterministic 64-byte stand-in.
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ResponseResultType } from 'cosmjs-types/ibc/core/channel/v1/tx';
import type { Tx, TxResult } from '../chain/chain.ts';
import type { Coin, Event } from '../chain/types.ts';
import { sha256 } from './comet-json.ts';
import { codecFor, encodeMsg } from './msg-registry.ts';
import { toBytes } from './proto-bytes.ts';
import { utf8Bytes } from '../chain/utf8.ts';

/** Fields the chain's Tx/TxResult carry or are about to carry (all optional here). */
export type DevnetTx = Tx & { fee?: { amount: Coin[]; gasLimit: bigint }; sequence?: bigint; pubKey?: Uint8Array; accountNumber?: bigint };
export type DevnetTxResult = TxResult & { gasWanted?: bigint; gasUsed?: bigint };

export const DEFAULT_GAS_LIMIT = 200_000n;

/** cosmos-wire §2.1: tx hash = SHA-256 of the TxRaw bytes, upper-case hex. */
export function txHash(bytes: Uint8Array): string {
  return Buffer.from(sha256(bytes)).toString('hex').toUpperCase();
}

/** A stable 33-byte compressed-secp256k1-looking key for an account the chain gave none. */
export function derivePubKey(signer: string): Uint8Array {
  const k = new Uint8Array(33);
  k[0] = 0x02;
  k.set(sha256(utf8Bytes(`devnet-account-key:${signer}`)), 1);
  return k;
}

/** sha256(signBytes) ‖ sha256(sha256(signBytes)): 64 bytes, like a secp256k1 r‖s signature. */
export function pseudoSignature(signBytes: Uint8Array): Uint8Array {
  const a = sha256(signBytes);
  const out = new Uint8Array(64);
  out.set(a, 0);
  out.set(sha256(a), 32);
  return out;
}

export interface EncodedTx {
  bytes: Uint8Array;
  hash: string;
  signature: Uint8Array;
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
}

export interface EncodeContext {
  chainId: string;
  /** Used when the tx has no `sequence` of its own. */
  sequence: bigint;
  /** Use this signature (e.g. the one in the chain's `tx{signature}` ante event) instead of computing one. */
  signature?: Uint8Array;
}

export function encodeTx(tx: DevnetTx, ctx: EncodeContext): EncodedTx {
  const bodyBytes = toBytes(
    TxBody.encode(
      TxBody.fromPartial({
        messages: tx.msgs.map((m) => ({ typeUrl: m.typeUrl, value: encodeMsg(m.typeUrl, m.value) })),
        memo: tx.memo ?? '',
      }),
    ),
  );
  const fee = tx.fee ?? { amount: [], gasLimit: DEFAULT_GAS_LIMIT };
  const authInfoBytes = toBytes(
    AuthInfo.encode(
      AuthInfo.fromPartial({
        signerInfos: [
          {
            publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: toBytes(PubKey.encode({ key: tx.pubKey ?? derivePubKey(tx.signer) })) },
            modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
            sequence: tx.sequence ?? ctx.sequence,
          },
        ],
        fee: { amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount.toString() })), gasLimit: fee.gasLimit },
      }),
    ),
  );
  const signature =
    ctx.signature ?? tx.signature ?? pseudoSignature(toBytes(SignDoc.encode({ bodyBytes, authInfoBytes, chainId: ctx.chainId, accountNumber: tx.accountNumber ?? 0n })));
  const bytes = toBytes(TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }));
  return { bytes, hash: txHash(bytes), signature, bodyBytes, authInfoBytes };
}

// ---- tx_result.data ----

const attrOf = (e: Event, key: string): string | undefined => e.attributes.find((a) => a.key === key)?.value;

/**
 * Splits a tx's events by message: by `msg_index` (SDK 0.50), else at each leading
 * `message{action}` event (SDK 0.47, cosmos-wire §3.1). Undefined when neither marks them.
 */
export function eventsPerMessage(events: Event[], n: number): Event[][] | undefined {
  const out: Event[][] = Array.from({ length: n }, () => []);
  if (events.some((e) => attrOf(e, 'msg_index') !== undefined)) {
    for (const e of events) {
      const i = Number(attrOf(e, 'msg_index'));
      if (Number.isInteger(i) && i >= 0 && i < n) out[i]!.push(e);
    }
    return out;
  }
  let i = -1;
  for (const e of events) {
    if (e.type === 'message' && attrOf(e, 'action') !== undefined) i++;
    if (i >= 0 && i < n) out[i]!.push(e);
  }
  return i >= 0 ? out : undefined;
}

const text = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('utf8') : '');

/** The Msg…Response for one message, built from the handler's raw data and the message's events. */
function msgResponse(typeUrl: string, raw: Uint8Array | undefined, events: Event[] | undefined): Uint8Array {
  const respUrl = `${typeUrl}Response`;
  const codec = codecFor(respUrl);
  if (!codec) return new Uint8Array();
  const has = (type: string) => events === undefined || events.some((e) => e.type === type);
  const attr = (type: string, key: string) => {
    const e = events?.find((x) => x.type === type);
    return e ? attrOf(e, key) : undefined;
  };
  const result = (type: string) => (has(type) ? ResponseResultType.RESPONSE_RESULT_TYPE_SUCCESS : ResponseResultType.RESPONSE_RESULT_TYPE_NOOP);
  let partial: Record<string, unknown> = {};
  switch (typeUrl) {
    case '/cosmwasm.wasm.v1.MsgExecuteContract':
      partial = { data: raw ?? new Uint8Array() };
      break;
    case '/cosmwasm.wasm.v1.MsgInstantiateContract':
    case '/cosmwasm.wasm.v1.MsgInstantiateContract2':
      partial = { address: attr('instantiate', '_contract_address') ?? text(raw) };
      break;
    case '/ibc.core.channel.v1.MsgChannelOpenInit':
      partial = { channelId: text(raw), version: attr('channel_open_init', 'version') ?? '' };
      break;
    case '/ibc.core.channel.v1.MsgChannelOpenTry':
      partial = { channelId: text(raw), version: attr('channel_open_try', 'version') ?? '' };
      break;
    case '/ibc.core.channel.v1.MsgRecvPacket':
      partial = { result: result('recv_packet') };
      break;
    case '/ibc.core.channel.v1.MsgAcknowledgement':
      partial = { result: result('acknowledge_packet') };
      break;
    case '/ibc.core.channel.v1.MsgTimeout':
    case '/ibc.core.channel.v1.MsgTimeoutOnClose':
      partial = { result: result('timeout_packet') };
      break;
  }
  return toBytes(codec.encode(codec.fromPartial(partial)));
}

/** cosmos-wire §2.1: `TxMsgData{msg_responses: Any[]}` of a successful tx; undefined for a failed one. */
export function encodeTxMsgData(tx: Tx, result: TxResult): Uint8Array | undefined {
  if (result.code !== 0) return undefined;
  const perMsg = eventsPerMessage(result.events, tx.msgs.length);
  const msgResponses = tx.msgs.map((m, i) => ({ typeUrl: `${m.typeUrl}Response`, value: msgResponse(m.typeUrl, result.data?.[i], perMsg?.[i]) }));
  return toBytes(TxMsgData.encode({ data: [], msgResponses }));
}

/**
 * SDK 0.47 success `log` (cosmos-wire §3.1): per message, its events (no ante events) flattened by
 * type (attributes of same-type events concatenated) and sorted by type, as JSON.
 */
export function sdk47Log(tx: Tx, events: Event[]): string {
  const perMsg = eventsPerMessage(events, tx.msgs.length) ?? tx.msgs.map(() => []);
  const logs = perMsg.map((evs, i) => {
    const byType = new Map<string, Array<{ key: string; value: string }>>();
    for (const e of evs) {
      const list = byType.get(e.type) ?? [];
      for (const a of e.attributes) list.push({ key: a.key, value: a.value });
      byType.set(e.type, list);
    }
    const flat = [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([type, attributes]) => ({ type, attributes }));
    return { msg_index: i, events: flat };
  });
  return JSON.stringify(logs);
}
