// The version-independent block the fetcher hands on, read straight from the `block` and
// `block_results` JSON (cosmos-wire §1.5, §1.6) for CometBFT 0.34 / 0.37 / 0.38 (§8 items 1, 2, 8).
// Not through cosmjs's decoders: those hex-decode every header hash and commit signature, which we
// would throw away — in the fetch benchmark that was the largest CPU cost after JSON.parse.
import type { EventAttribute } from '../types.ts';

export type CometLine = '0.34' | '0.37' | '0.38';

/**
 * An event as the RPC delivered it, attribute keys and values already plain text (0.34 base64
 * undone). Attributes are passed on as parsed (with CometBFT's `index` flag) and may be missing
 * on a block event (cosmos-wire §1.2); malformed ones stay as they came, for the decoder to
 * dead-letter.
 */
export interface RawEvent {
  type: string;
  attributes?: ReadonlyArray<EventAttribute & { index?: boolean }>;
}

export interface RawTxResult {
  code: number;
  codespace?: string;
  log?: string;
  /** TxMsgData bytes; empty when the node sent none. */
  data?: Uint8Array;
  gasWanted?: bigint;
  gasUsed?: bigint;
  events: RawEvent[];
}

/** One height's `block` and `block_results`, version-independent: what the fetcher hands the decoder. */
export interface RawBlock {
  height: number;
  /** Header time in ns since the epoch, exact to the RFC 3339 nanoseconds. */
  timeNs: bigint;
  /** Block hash, upper-case hex. */
  hash: string;
  /** Raw tx bytes (TxRaw for SDK chains), in block order. */
  txs: Uint8Array[];
  /** One per tx, same order (`block_results.txs_results`). */
  txResults: RawTxResult[];
  /** 0.34/0.37 begin_block_events; 0.38 finalize_block_events with mode=BeginBlock (or PreBlock), `mode` kept. */
  beginEvents: RawEvent[];
  /** 0.34/0.37 end_block_events; 0.38 the other finalize_block_events. */
  endEvents: RawEvent[];
}

const EMPTY = new Uint8Array(0);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 with 0–9 fraction digits (Go trims trailing zeros, §1.2) → ns since the epoch. */
export function rfc3339ToNs(s: string): bigint {
  const m = RFC3339.exec(s);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (Number.isNaN(ms)) throw new Error(`bad RFC 3339 time ${JSON.stringify(s)}`);
  return BigInt(ms) * 1_000_000n + BigInt((m![2] ?? '').padEnd(9, '0'));
}

const bytes = (b64: string): Uint8Array => {
  const b = Buffer.from(b64, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
};

/** Tendermint 0.34 sends attribute keys and values as base64, values possibly null (§1.11). */
function unb64(s: unknown): string {
  if (typeof s !== 'string') return '';
  return s.length % 4 === 0 && BASE64.test(s) ? Buffer.from(s, 'base64').toString('utf8') : s;
}

/**
 * 0.37 / 0.38: the parsed list as it is, no copy (the decoder checks every event and attribute,
 * turns a null value into '' and dead-letters the malformed; `index` flags are left on). Anything
 * that is not a list is no events.
 */
const events37 = (list: unknown): RawEvent[] => (Array.isArray(list) ? list : []);

/** Tendermint 0.34: keys and values base64; malformed events and attributes are passed on as they came. */
const wellFormed = (a: any): boolean => a !== null && typeof a === 'object' && typeof a.key === 'string' && (a.value == null || typeof a.value === 'string');
const events34 = (list: unknown): RawEvent[] => {
  if (!Array.isArray(list)) return [];
  return list.map((e: any) =>
    e !== null && typeof e === 'object' && Array.isArray(e.attributes)
      ? { type: e.type, attributes: e.attributes.map((a: any) => (wellFormed(a) ? { key: unb64(a.key), value: unb64(a.value) } : a)) }
      : e,
  );
};

/**
 * Raw input as a dead letter keeps it: JSON with bigints as strings, and a well-formed attribute as
 * `{key, value}` (value '' for a null one) without CometBFT's `index` flag, which says nothing about
 * the data.
 */
export function rawJson(v: unknown): string {
  try {
    return (
      JSON.stringify(v, function (this: unknown, k: string, x: unknown) {
        if ((k === 'index' || k === 'value') && wellFormed(this)) return k === 'index' ? undefined : (x ?? '');
        return typeof x === 'bigint' ? x.toString() : x;
      }) ?? String(v)
    );
  } catch {
    return String(v);
  }
}

/** BeginBlock (and, on later SDKs, PreBlock) events run before the txs; everything else after. */
function isBegin(e: RawEvent): boolean {
  const attrs: unknown[] = Array.isArray(e?.attributes) ? e.attributes : [];
  for (let i = attrs.length - 1; i >= 0; i--) {
    const a = attrs[i] as { key?: unknown; value?: unknown } | null;
    if (a?.key === 'mode') return a.value === 'BeginBlock' || a.value === 'PreBlock';
  }
  return false;
}

/**
 * Shape checks run inside the transport's retry loop (a proxy answering garbage is retried like a
 * truncated answer); they return an error text or undefined.
 */
export function checkBlockJson(r: any, height: number): string | undefined {
  const h = r?.block?.header;
  if (!h || typeof h.time !== 'string' || typeof r.block_id?.hash !== 'string') return 'block: missing header, time or block_id';
  if (String(h.height) !== String(height)) return `block: asked for height ${height}, got ${h.height}`;
  if (r.block.data?.txs != null && !Array.isArray(r.block.data.txs)) return 'block: data.txs is not a list';
  return undefined;
}

export function checkResultsJson(r: any, height: number): string | undefined {
  if (!r || typeof r !== 'object') return 'block_results: not an object';
  if (String(r.height) !== String(height)) return `block_results: asked for height ${height}, got ${r.height}`;
  if (r.txs_results != null && !Array.isArray(r.txs_results)) return 'block_results: txs_results is not a list';
  return undefined;
}

export class InconsistentBlockError extends Error {
  override readonly name = 'InconsistentBlockError';
}

/** Normalises checked `block` and `block_results` results of one height. */
export function toRawBlock(line: CometLine, height: number, block: any, results: any): RawBlock {
  const txs: Uint8Array[] = (block.block.data?.txs ?? []).map(bytes);
  const list: any[] = results.txs_results ?? [];
  if (list.length !== txs.length) throw new InconsistentBlockError(`height ${height}: ${txs.length} txs but ${list.length} tx results`);
  const ev = line === '0.34' ? events34 : events37;
  const txResults = list.map(
    (r): RawTxResult => ({
      code: Number(r.code ?? 0),
      codespace: r.codespace ?? '',
      log: r.log ?? '',
      data: typeof r.data === 'string' && r.data !== '' ? bytes(r.data) : EMPTY,
      gasWanted: BigInt(r.gas_wanted ?? 0),
      gasUsed: BigInt(r.gas_used ?? 0),
      events: ev(r.events),
    }),
  );
  let beginEvents: RawEvent[];
  let endEvents: RawEvent[];
  if (line === '0.38') {
    beginEvents = [];
    endEvents = [];
    for (const e of ev(results.finalize_block_events)) (isBegin(e) ? beginEvents : endEvents).push(e);
  } else {
    beginEvents = ev(results.begin_block_events);
    endEvents = ev(results.end_block_events);
  }
  return {
    height,
    timeNs: rfc3339ToNs(block.block.header.time),
    hash: String(block.block_id.hash).toUpperCase(),
    txs,
    txResults,
    beginEvents,
    endEvents,
  };
}
