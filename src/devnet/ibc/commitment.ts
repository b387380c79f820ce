// What the devnet's light clients compare in place of proofs: packet commitments (ibc-go CommitPacket)
// and heights with their revision numbers.
import type { Chain } from '../chain/chain.ts';
import { sha256 } from '../node/comet-json.ts';
import type { Packet } from './ibc.ts';

export interface Height {
  revisionNumber: bigint;
  revisionHeight: bigint;
}

/** A chain's IBC revision number: the `-N` ending of its chain id, else 0 (ibc-go 02-client ParseChainID). */
export function revisionOf(chainId: string): bigint {
  const m = /[^\n-]-([1-9][0-9]*)$/.exec(chainId);
  return m ? BigInt(m[1]!) : 0n;
}

/** A chain's latest height as IBC writes it: its revision, then its block height. */
export const heightOf = (c: Chain): Height => ({ revisionNumber: revisionOf(c.id), revisionHeight: c.height });

/** ibc-go CommitPacket (v1): sha256(timeout timestamp ‖ timeout revision ‖ timeout height ‖ sha256(data)), big-endian u64s. */
export function commitPacket(p: Packet): Uint8Array {
  const head = Buffer.alloc(24);
  head.writeBigUInt64BE(p.timeoutTimestamp, 0);
  head.writeBigUInt64BE(p.timeoutHeight.revisionNumber, 8);
  head.writeBigUInt64BE(p.timeoutHeight.revisionHeight, 16);
  return sha256(head, sha256(p.data));
}

/** Go's %v of a []byte, as ibc-go prints commitments in its errors. */
export const goBytes = (b: Uint8Array): string => `[${Array.from(b).join(' ')}]`;

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

/** Whether two packets commit to the same thing (what CommitPacket covers). */
export const sameCommitment = (a: Packet, b: Packet): boolean =>
  a.timeoutTimestamp === b.timeoutTimestamp &&
  a.timeoutHeight.revisionNumber === b.timeoutHeight.revisionNumber &&
  a.timeoutHeight.revisionHeight === b.timeoutHeight.revisionHeight &&
  sameBytes(a.data, b.data);

/** ibc-go Height.IsZero: no timeout height (both parts zero). */
export const isZeroHeight = (h: Height): boolean => h.revisionNumber === 0n && h.revisionHeight === 0n;

/** ibc-go Height.GTE: revision first, then height. */
export function heightGte(a: Height, b: Height): boolean {
  return a.revisionNumber !== b.revisionNumber ? a.revisionNumber > b.revisionNumber : a.revisionHeight >= b.revisionHeight;
}
