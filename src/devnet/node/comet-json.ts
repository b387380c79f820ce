// CometBFT JSON value encoding (cosmos-wire §1.2): RFC 3339 times with trimmed nanoseconds,
// upper-hex HexBytes, base64 []byte, RFC 6962 merkle roots, and the two event renderings
// (jsonpb inside ABCI results vs Amino-style for block-level events).
import { createHash } from 'node:crypto';
import type { Event } from '../chain/types.ts';
import { utf8Bytes } from '../chain/utf8.ts';

export type CometVersion = '0.37' | '0.38';

export const sha256 = (...parts: Array<Uint8Array | string>): Uint8Array => {
  const h = createHash('sha256');
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

const leafHash = (leaf: Uint8Array | string) => sha256(Uint8Array.of(0), leaf);
const innerHash = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);

/** CometBFT `merkle.HashFromByteSlices` (RFC 6962); the empty tree hashes to SHA-256 of nothing. */
export function merkleRoot(items: Array<Uint8Array | string>): Uint8Array {
  if (items.length === 0) return sha256();
  if (items.length === 1) return leafHash(items[0]!);
  let k = 1;
  while (k * 2 < items.length) k *= 2;
  return innerHash(merkleRoot(items.slice(0, k)), merkleRoot(items.slice(k)));
}

interface AttrJson {
  key: string;
  value: string;
  index: boolean;
}

/** Events inside ABCI tx results (jsonpb): `attributes` always present (§1.2, §1.11: plain strings in 0.37/0.38). */
export function txEventsJson(events: Event[]): Array<{ type: string; attributes: AttrJson[] }> {
  return events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: true })) }));
}

/** Block-level events (Amino-style encoder): no `attributes` key on an event without attributes (§1.2). */
export function blockEventsJson(events: Event[]): Array<{ type: string; attributes?: AttrJson[] }> | null {
  if (events.length === 0) return null;
  return events.map((e) => (e.attributes.length === 0 ? { type: e.type } : { type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: true })) }));
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
export function txResultJson(r: TxResultJsonInput) {
  return {
    code: r.code,
    data: r.data && r.data.length > 0 ? b64(r.data) : null,
    log: r.log,
    info: '',
    gas_wanted: r.gasWanted.toString(),
    gas_used: r.gasUsed.toString(),
    events: txEventsJson(r.events),
    codespace: r.codespace,
  };
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
