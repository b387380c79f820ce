// CometBFT JSON value encoding (cosmos-wire §1.2): RFC 3339 times with trimmed nanoseconds,
// upper-hex HexBytes, base64 []byte, RFC 6962 merkle roots, and the two event renderings
// (jsonpb inside ABCI results vs Amino-style for block-level events).
import * as crypto from 'node:crypto';
import type { Event } from '../chain/types.ts';
import { utf8Bytes } from '../chain/utf8.ts';

export type CometVersion = '0.37' | '0.38';

/** One-shot SHA-256 of one input (crypto.hash, Node ≥ 20.12): a quarter cheaper than a Hash object. */
const digestOnce: (data: Uint8Array | string) => Buffer =
  typeof crypto.hash === 'function' ? (d) => crypto.hash('sha256', d, 'buffer') : (d) => crypto.createHash('sha256').update(d).digest();
/** A plain Uint8Array, as every hash here is (a Buffer would JSON-encode differently). */
const hashOnce = (data: Uint8Array | string): Uint8Array => new Uint8Array(digestOnce(data));

export const sha256 = (...parts: Array<Uint8Array | string>): Uint8Array => {
  if (parts.length === 1) return hashOnce(parts[0]!);
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
export const hexUpper = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Go `time.RFC3339Nano` in UTC: fraction with trailing zeros trimmed, none when zero (§1.2). */
export function rfc3339Nano(ns: bigint): string {
  const sec = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  if (frac === 0n) return `${base}Z`;
  return `${base}.${frac.toString().padStart(9, '0').replace(/0+$/, '')}Z`;
}

const LEAF = Uint8Array.of(0);

function leafHash(leaf: Uint8Array | string): Uint8Array {
  // a long leaf (a tx result) streams into a Hash rather than being copied behind the prefix byte
  if (typeof leaf === 'string' || leaf.length > 4096) return new Uint8Array(crypto.createHash('sha256').update(LEAF).update(leaf).digest());
  const buf = Buffer.allocUnsafe(1 + leaf.length);
  buf[0] = 0;
  buf.set(leaf, 1);
  return hashOnce(buf);
}

function innerHash(l: Uint8Array, r: Uint8Array): Uint8Array {
  const buf = Buffer.allocUnsafe(1 + l.length + r.length);
  buf[0] = 1;
  buf.set(l, 1);
  buf.set(r, 1 + l.length);
  return hashOnce(buf);
}

/** Root of items[lo, hi): the split is the largest power of two below the count. */
function rootOf(items: Array<Uint8Array | string>, lo: number, hi: number): Uint8Array {
  const n = hi - lo;
  if (n === 1) return leafHash(items[lo]!);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return innerHash(rootOf(items, lo, lo + k), rootOf(items, lo + k, hi));
}

const EMPTY_ROOT = sha256();

/** CometBFT `merkle.HashFromByteSlices` (RFC 6962); the empty tree hashes to SHA-256 of nothing. */
export function merkleRoot(items: Array<Uint8Array | string>): Uint8Array {
  return items.length === 0 ? EMPTY_ROOT.slice() : rootOf(items, 0, items.length);
}

/**
 * CometBFT `merkle.ProofsFromByteSlices` for one item: its leaf hash and its aunts, the sibling
 * subtrees' roots from the leaf's level up to the root's child (FlattenAunts' order), and the root
 * they lead to (folded up from the leaf, not hashed again from every item).
 */
export function merkleProof(items: Array<Uint8Array | string>, index: number): { root: Uint8Array; leafHash: Uint8Array; aunts: Uint8Array[] } {
  if (!Number.isInteger(index) || index < 0 || index >= items.length) throw new RangeError(`merkle proof of item ${index} of ${items.length}`);
  const aunts: Uint8Array[] = [];
  /** Whether the aunt at the same position is the right sibling. */
  const rightOf: boolean[] = [];
  let lo = 0;
  let hi = items.length;
  while (hi - lo > 1) {
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    const right = index < lo + k;
    aunts.push(right ? rootOf(items, lo + k, hi) : rootOf(items, lo, lo + k));
    rightOf.push(right);
    if (right) hi = lo + k;
    else lo += k;
  }
  const leaf = leafHash(items[index]!);
  let root = leaf;
  for (let i = aunts.length - 1; i >= 0; i--) root = rightOf[i] ? innerHash(root, aunts[i]!) : innerHash(aunts[i]!, root);
  return { root, leafHash: leaf, aunts: aunts.reverse() };
}

// The event renderers write JSON text directly: the bulk of a block's results is attributes, and an
// object per attribute only to stringify it cost about a tenth of a block's rendering.

/** What JSON.stringify escapes in a string (lone surrogates among the surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string; most attribute keys and values need no escaping and skip it (a third faster). */
const jsonString = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/** `[{"key":…,"value":…,"index":true},…]` (attribute values are plain strings in 0.37/0.38, §1.11). */
function attributesText(e: Event): string {
  let out = '[';
  const attrs = e.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i]!;
    out += `${i === 0 ? '' : ','}{"key":${jsonString(a.key)},"value":${jsonString(a.value)},"index":true}`;
  }
  return `${out}]`;
}

/** `[{"type":…,"attributes":[…]},…]`; `omitEmpty` leaves out the attributes key of an event without any. */
function eventsText(events: Event[], omitEmpty: boolean): string {
  let out = '[';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const attrs = omitEmpty && e.attributes.length === 0 ? '' : `,"attributes":${attributesText(e)}`;
    out += `${i === 0 ? '' : ','}{"type":${jsonString(e.type)}${attrs}}`;
  }
  return `${out}]`;
}

/** Events inside ABCI tx results (jsonpb): `attributes` always present (§1.2). */
export const txEventsText = (events: Event[]): string => eventsText(events, false);

/**
 * Block-level events (Amino-style encoder): no `attributes` key on an event without attributes (§1.2).
 * No events render as `empty`: `null` in block_results (read back from the store), `[]` in 0.37's
 * websocket pushes (the SDK's own lists).
 */
export function blockEventsText(events: Event[], empty: 'null' | '[]' = 'null'): string {
  return events.length === 0 ? empty : eventsText(events, true);
}

export interface TxResultJsonInput {
  code: number;
  codespace: string;
  log: string;
  data?: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: Event[];
}

/** `ExecTxResult` / `ResponseDeliverTx` (jsonpb, EmitDefaults): every key present, empty bytes → null (§1.6). */
export function txResultText(r: TxResultJsonInput): string {
  const data = r.data && r.data.length > 0 ? `"${b64(r.data)}"` : 'null';
  return `{"code":${r.code},"data":${data},"log":${JSON.stringify(r.log)},"info":"","gas_wanted":"${r.gasWanted}","gas_used":"${r.gasUsed}","events":${txEventsText(r.events)},"codespace":${JSON.stringify(r.codespace)}}`;
}

/** SDK defaults returned every block as `consensus_param_updates` and in genesis (§1.6, §1.9). */
export function consensusParamsJson(version: CometVersion, forGenesis: boolean) {
  const p: Record<string, unknown> = {
    block: { max_bytes: '22020096', max_gas: '-1' },
    evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
    validator: { pub_key_types: ['ed25519'] },
    version: forGenesis ? { app: '0' } : {},
  };
  if (version === '0.38') p.abci = forGenesis ? { vote_extensions_enable_height: '0' } : {};
  return p;
}
