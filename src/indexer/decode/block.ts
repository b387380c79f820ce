// RawBlock (what the fetcher got from block + block_results) → DecodedBlock: tx hashes, TxRaw/TxBody/
// AuthInfo and every message decoded, wasm JSON messages parsed, events checked and tied to their
// message. Bad input never throws: it becomes a DecodeProblem (dead-letter row) and decoding goes on.
import * as crypto from 'node:crypto';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import type { ChainEvent, DecodedBlock, DecodedMsg, DecodedTx, DecodeProblem, EventAttribute } from '../types.ts';
import { type RawBlock, type RawEvent, type RawTxResult, rawJson } from '../rpc/raw-block.ts';
import { msgDecoder, WASM_JSON_MSGS } from './registry.ts';

export interface DecodeContext {
  chainId: string;
}

export function decodeBlock(raw: RawBlock, ctx: DecodeContext): DecodedBlock {
  const problems: DecodeProblem[] = [];
  const n = raw.txs.length;
  const results = raw.txResults ?? []; // `txs_results: null` on an empty block (cosmos-wire §1.6)
  if (results.length !== n) problems.push({ kind: 'block', reason: `block has ${n} txs but ${results.length} tx results` });
  const txs: DecodedTx[] = new Array(n);
  for (let i = 0; i < n; i++) txs[i] = decodeTx(raw.txs[i]!, results[i], i, problems);
  return {
    chainId: ctx.chainId,
    height: raw.height,
    timeNs: raw.timeNs,
    time: new Date(Number(raw.timeNs / 1_000_000n)),
    hash: raw.hash,
    txs,
    beginEvents: blockEvents(raw.beginEvents, 'begin_block', problems),
    endEvents: blockEvents(raw.endEvents, 'end_block', problems),
    problems,
  };
}

// One-shot crypto.hash (Node ≥ 20.12) takes half the time of a Hash object on tx-sized inputs.
const sha256Hex: (b: Uint8Array) => string =
  typeof crypto.hash === 'function' ? (b) => crypto.hash('sha256', b, 'hex') : (b) => crypto.createHash('sha256').update(b).digest('hex');

/** Upper-hex SHA-256 of the TxRaw bytes (cosmos-wire §2.1). */
export function txHash(bytes: Uint8Array): string {
  return sha256Hex(bytes).toUpperCase();
}

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const utf8 = new TextDecoder('utf-8', { fatal: true });
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// A result missing from block_results: the tx is kept, marked failed, with no events to apply.
const NO_RESULT: RawTxResult = { code: -1, codespace: 'indexer', log: 'no tx result in block_results', events: [] };

function decodeTx(bytes: Uint8Array, result: RawTxResult | undefined, index: number, problems: DecodeProblem[]): DecodedTx {
  const hash = txHash(bytes);
  const r = result ?? NO_RESULT;
  let msgs: DecodedMsg[] = [];
  let known = false;
  try {
    msgs = decodeMsgs(bytes, hash, problems);
    known = true;
  } catch (e) {
    problems.push({ kind: 'tx', reason: `undecodable tx: ${errText(e)}`, txHash: hash, raw: b64(bytes) });
  }
  const events = txEvents(r.events, known ? msgs.length : -1, hash, problems);
  const signer = signerOf(events, msgs);
  return { hash, index, code: r.code, codespace: r.codespace ?? '', log: r.log ?? '', signer, msgs, events };
}

/** TxRaw → TxBody messages, each decoded; throws when the envelope itself is not a tx. */
function decodeMsgs(bytes: Uint8Array, hash: string, problems: DecodeProblem[]): DecodedMsg[] {
  const raw = TxRaw.decode(bytes);
  // protobuf happily reads some garbage as empty messages; a real tx has a body, auth info and a message
  if (raw.bodyBytes.length === 0 || raw.authInfoBytes.length === 0) throw new Error('TxRaw without body or auth info');
  const body = TxBody.decode(raw.bodyBytes);
  AuthInfo.decode(raw.authInfoBytes); // validates the envelope; the signer comes from the ante events (signerOf)
  if (body.messages.length === 0) throw new Error('tx without messages');
  return body.messages.map((any, i) => decodeMsg(any.typeUrl, any.value, i, hash, problems));
}

function decodeMsg(typeUrl: string, bytes: Uint8Array, i: number, hash: string, problems: DecodeProblem[]): DecodedMsg {
  const codec = msgDecoder(typeUrl);
  if (!codec) return { typeUrl }; // not a message the indexer reads: kept, not a problem
  let value: Record<string, unknown>;
  try {
    value = codec.decode(bytes) as Record<string, unknown>;
  } catch (e) {
    const error = `${typeUrl} does not decode: ${errText(e)}`;
    problems.push({ kind: 'tx', reason: `msg ${i}: ${error}`, txHash: hash, msgIndex: i, raw: b64(bytes) });
    return { typeUrl, error };
  }
  if (!WASM_JSON_MSGS.has(typeUrl) || !(value.msg instanceof Uint8Array)) return { typeUrl, value };
  try {
    return { typeUrl, value, json: JSON.parse(utf8.decode(value.msg)) };
  } catch (e) {
    const error = `contract msg is not JSON: ${errText(e)}`;
    problems.push({ kind: 'tx', reason: `msg ${i} (${typeUrl}): ${error}`, txHash: hash, msgIndex: i, raw: b64(value.msg) });
    return { typeUrl, value, error };
  }
}

/**
 * A checked copy of one event, or undefined (and a problem) when it is malformed. Attribute arrays
 * are passed on as emitted (the `index` flag included) unless a value needs normalising.
 */
function checkEvent(e: RawEvent, index: number, where: string, attributesRequired: boolean, problems: DecodeProblem[], txHash?: string): ChainEvent | undefined {
  let reason: string | undefined;
  let attributes = e?.attributes as EventAttribute[] | undefined | null;
  if (typeof e !== 'object' || e === null) reason = 'event is not an object';
  else if (typeof e.type !== 'string' || e.type === '') reason = 'event has no type';
  else if (attributes === undefined || attributes === null) {
    // CometBFT omits `attributes` of an attribute-less block event (cosmos-wire §1.2); a tx result always has it
    if (attributesRequired) reason = `${e.type} event has no attributes`;
    else attributes = [];
  } else if (!Array.isArray(attributes)) reason = `${e.type} event attributes are not a list`;
  else {
    for (let j = 0; j < attributes.length; j++) {
      const a = attributes[j] as unknown as Record<string, unknown> | null;
      if (typeof a !== 'object' || a === null || typeof a.key !== 'string') {
        reason = `${e.type} event attribute ${j} has no key`;
        break;
      }
      if (typeof a.value !== 'string') {
        // 0.34 leaves an empty value out or null (cosmos-wire §1.11); anything else is broken
        if (a.value !== undefined && a.value !== null) {
          reason = `${e.type}.${a.key} is not a string`;
          break;
        }
        attributes = attributes.map((x) => (typeof x.value === 'string' ? x : { ...x, value: '' }));
      }
    }
  }
  if (reason !== undefined) {
    const p: DecodeProblem = { kind: 'event', reason: `${where} event ${index}: ${reason}`, eventIndex: index, raw: rawJson(e) };
    if (txHash !== undefined) p.txHash = txHash;
    problems.push(p);
    return undefined;
  }
  return { type: e.type, attributes: attributes!, index };
}

function blockEvents(list: RawEvent[] | null | undefined, where: string, problems: DecodeProblem[]): ChainEvent[] {
  const out: ChainEvent[] = [];
  if (!list) return out;
  for (let i = 0; i < list.length; i++) {
    const e = checkEvent(list[i]!, i, where, false, problems);
    if (e) out.push(e);
  }
  return out;
}

function msgIndexAttr(attributes: EventAttribute[]): string | undefined {
  // SDK 0.50 appends it as the last attribute (cosmos-wire §3.1); look there first
  const last = attributes[attributes.length - 1];
  if (last?.key === 'msg_index') return last.value;
  for (const a of attributes) if (a.key === 'msg_index') return a.value;
  return undefined;
}

/**
 * Tx events with `msgIndex`: the `msg_index` attribute where the chain emits it (SDK 0.50), otherwise
 * the order of `message{action}` events, each of which opens the next message (SDK 0.47; ante
 * events come first and belong to no message; cosmos-wire §3.1). `msgCount` < 0: messages unknown.
 */
function txEvents(list: RawEvent[] | null | undefined, msgCount: number, hash: string, problems: DecodeProblem[]): ChainEvent[] {
  const out: ChainEvent[] = [];
  if (!list) return out;
  const byOrder: number[] = [];
  let indexed = false;
  let order = -1;
  for (let i = 0; i < list.length; i++) {
    const e = checkEvent(list[i]!, i, 'tx', true, problems, hash);
    if (!e) continue;
    if (e.type === 'message' && e.attributes.some((a) => a.key === 'action')) order++;
    const mi = msgIndexAttr(e.attributes);
    if (mi !== undefined) {
      indexed = true;
      const k = Number(mi);
      if (mi !== '' && Number.isInteger(k) && k >= 0 && (msgCount < 0 || k < msgCount)) e.msgIndex = k;
      else problems.push({ kind: 'event', reason: `tx event ${i}: msg_index "${mi}" names no message of the tx`, txHash: hash, eventIndex: i, raw: rawJson(e) });
    }
    out.push(e);
    byOrder.push(order);
  }
  if (!indexed) {
    for (let j = 0; j < out.length; j++) {
      const k = byOrder[j]!;
      if (k < 0) continue;
      if (msgCount < 0 || k < msgCount) out[j]!.msgIndex = k;
      else if (j === 0 || byOrder[j - 1] !== k) {
        // report each surplus message{action} once, not every event after it
        problems.push({ kind: 'event', reason: `tx event ${out[j]!.index}: message event ${k} beyond the tx's ${msgCount} messages`, txHash: hash, eventIndex: out[j]!.index, raw: rawJson(out[j]) });
      }
    }
  }
  return out;
}

// Signer fields of the messages the registry decodes, in the order they are tried.
const SIGNER_FIELDS = ['sender', 'signer', 'fromAddress', 'delegatorAddress', 'authority', 'admin', 'proposer', 'voter', 'depositor'] as const;

/**
 * The tx's first signer: the ante handler's first `tx{acc_seq: "<address>/<sequence>"}` event (one
 * per signer, in auth-info order; cosmos-wire §3.1). A tx that failed in the ante handler has no
 * events: then the first message's signer field (MsgUnjail: the operator's account address).
 */
function signerOf(events: ChainEvent[], msgs: DecodedMsg[]): string | undefined {
  for (const e of events) {
    if (e.msgIndex !== undefined || e.type !== 'tx') continue;
    for (const a of e.attributes) {
      if (a.key !== 'acc_seq') continue;
      const slash = a.value.lastIndexOf('/');
      if (slash > 0) return a.value.slice(0, slash);
    }
  }
  const v = msgs[0]?.value;
  if (!v) return undefined;
  for (const f of SIGNER_FIELDS) if (typeof v[f] === 'string' && v[f] !== '') return v[f] as string;
  if (typeof v.validatorAddr === 'string') return accountOfValoper(v.validatorAddr);
  return undefined;
}

function accountOfValoper(valoper: string): string | undefined {
  try {
    const { prefix, data } = fromBech32(valoper, 1023); // the default limit (Infinity) throws in @scure/base
    return prefix.endsWith('valoper') ? toBech32(prefix.slice(0, -'valoper'.length), data) : undefined;
  } catch {
    return undefined;
  }
}
