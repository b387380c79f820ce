// What a CometBFT validator signs for a vote (types/vote.go VoteSignBytes): the CanonicalVote,
// length-delimited. The devnet's validators sign their precommits with it, so a light client that
// checks a commit against the validator set finds the signatures valid.
import { BinaryWriter } from 'cosmjs-types/binary';
import { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { type BlockIdBytes, timestamp } from './comet-hash.ts';

/** SignedMsgType (tendermint/types/types.proto). */
export const PREVOTE = 1;
export const PRECOMMIT = 2;

export interface VoteFields {
  type: number;
  height: bigint;
  round: number;
  /** Absent (or all empty) for a vote for no block. */
  blockId?: BlockIdBytes;
  /** Nanoseconds since the Unix epoch. */
  time: bigint;
  chainId: string;
}

const isZero = (id: BlockIdBytes): boolean => id.hash.length === 0 && id.parts.total === 0 && id.parts.hash.length === 0;

export function voteSignBytes(v: VoteFields): Uint8Array {
  const w = new BinaryWriter();
  if (v.type !== 0) w.uint32(8).int32(v.type);
  if (v.height !== 0n) w.uint32(17).sfixed64(v.height);
  if (v.round !== 0) w.uint32(25).sfixed64(BigInt(v.round));
  if (v.blockId && !isZero(v.blockId)) {
    // CanonicalBlockID: its part set header is always written
    w.uint32(34).fork();
    if (v.blockId.hash.length > 0) w.uint32(10).bytes(v.blockId.hash);
    w.uint32(18).fork();
    if (v.blockId.parts.total !== 0) w.uint32(8).uint32(v.blockId.parts.total);
    if (v.blockId.parts.hash.length > 0) w.uint32(18).bytes(v.blockId.parts.hash);
    w.ldelim().ldelim();
  }
  // the timestamp is not nullable: written even when zero
  Timestamp.encode(timestamp(v.time), w.uint32(42).fork()).ldelim();
  if (v.chainId !== '') w.uint32(50).string(v.chainId);
  return new BinaryWriter().bytes(w.finish()).finish();
}
