// The hashes a CometBFT block id and header commit to, computed as CometBFT computes them (cosmos-wire
// §1.5), so a client that checks a block (header hash = block_id.hash, block_id.parts against the
// block's protobuf encoding, validators_hash against `validators`, last_commit_hash against
// `last_commit`, last_results_hash against the previous `block_results`) finds them right. Each is an
// RFC 6962 merkle root over protobuf encodings (cometbft types/block.go Header.Hash, Commit.Hash,
// part_set.go, validator_set.go, params.go HashedParams, results.go).
import { BinaryWriter } from 'cosmjs-types/binary';
import { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { HashedParams } from 'cosmjs-types/tendermint/types/params';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { BlockID, CommitSig } from 'cosmjs-types/tendermint/types/types';
import { SimpleValidator } from 'cosmjs-types/tendermint/types/validator';
import { Consensus } from 'cosmjs-types/tendermint/version/types';
import { merkleRoot, sha256 } from './comet-json.ts';

export interface BlockIdBytes {
  hash: Uint8Array;
  parts: { total: number; hash: Uint8Array };
}

export interface HeaderFields {
  version: { block: bigint; app: bigint };
  chainId: string;
  height: bigint;
  /** Nanoseconds since the Unix epoch. */
  time: bigint;
  lastBlockId: BlockIdBytes;
  lastCommitHash: Uint8Array;
  dataHash: Uint8Array;
  validatorsHash: Uint8Array;
  nextValidatorsHash: Uint8Array;
  consensusHash: Uint8Array;
  appHash: Uint8Array;
  lastResultsHash: Uint8Array;
  evidenceHash: Uint8Array;
  proposerAddress: Uint8Array;
}

const NS = 1_000_000_000n;
/** A protobuf Timestamp: whole seconds rounded down, nanos in [0, 10^9) (as Go's zero time needs). */
export function timestamp(ns: bigint): Timestamp {
  const nanos = ns % NS;
  return nanos < 0n ? { seconds: ns / NS - 1n, nanos: Number(nanos + NS) } : { seconds: ns / NS, nanos: Number(nanos) };
}

// cdcEncode: scalars go through gogoproto's wrapper messages, whose one field is 1 (omitted when empty)
const stringValue = (s: string): Uint8Array => (s === '' ? new Uint8Array() : new BinaryWriter().uint32(10).string(s).finish());
const int64Value = (n: bigint): Uint8Array => (n === 0n ? new Uint8Array() : new BinaryWriter().uint32(8).int64(n).finish());
const bytesValue = (b: Uint8Array): Uint8Array => (b.length === 0 ? new Uint8Array() : new BinaryWriter().uint32(10).bytes(b).finish());

/** Header.Hash: the merkle root of its fourteen fields, each encoded on its own. */
export function headerHash(h: HeaderFields): Uint8Array {
  return merkleRoot([
    Consensus.encode({ block: h.version.block, app: h.version.app }).finish(),
    stringValue(h.chainId),
    int64Value(h.height),
    Timestamp.encode(timestamp(h.time)).finish(),
    BlockID.encode({ hash: h.lastBlockId.hash, partSetHeader: { total: h.lastBlockId.parts.total, hash: h.lastBlockId.parts.hash } }).finish(),
    bytesValue(h.lastCommitHash),
    bytesValue(h.dataHash),
    bytesValue(h.validatorsHash),
    bytesValue(h.nextValidatorsHash),
    bytesValue(h.consensusHash),
    bytesValue(h.appHash),
    bytesValue(h.lastResultsHash),
    bytesValue(h.evidenceHash),
    bytesValue(h.proposerAddress),
  ]);
}

/** ValidatorSet.Hash over the set in CometBFT's order: each validator as SimpleValidator{ed25519 key, power}. */
export function validatorSetHash(set: ReadonlyArray<{ pubKey: Uint8Array; power: bigint }>): Uint8Array {
  return merkleRoot(set.map((v) => SimpleValidator.encode({ pubKey: { ed25519: v.pubKey }, votingPower: v.power }).finish()));
}

export interface CommitSigFields {
  /** 1 absent, 2 commit, 3 nil. */
  blockIdFlag: number;
  validatorAddress: Uint8Array;
  /** Nanoseconds since the Unix epoch. */
  time: bigint;
  signature: Uint8Array;
}

/** Commit.Hash: the merkle root of its signatures' protobuf encodings. */
export function commitHash(sigs: readonly CommitSigFields[]): Uint8Array {
  return merkleRoot(
    sigs.map((s) => CommitSig.encode({ blockIdFlag: s.blockIdFlag, validatorAddress: s.validatorAddress, timestamp: timestamp(s.time), signature: s.signature }).finish()),
  );
}

/** ConsensusParams.Hash: SHA-256 of HashedParams (the block size and gas limits only). */
export function consensusParamsHash(blockMaxBytes: bigint, blockMaxGas: bigint): Uint8Array {
  return sha256(HashedParams.encode({ blockMaxBytes, blockMaxGas }).finish());
}

export interface DeterministicTxResult {
  code: number;
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
}

/**
 * The hash of a block's tx results that the next header carries: only what consensus fixes (code,
 * data, gas wanted and used) enters it, not the log, info, events or codespace.
 */
export function txResultsHash(results: readonly DeterministicTxResult[]): Uint8Array {
  return merkleRoot(
    results.map((r) => ExecTxResult.encode({ code: r.code, data: r.data, log: '', info: '', gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: [], codespace: '' }).finish()),
  );
}

/** CometBFT's block part size (types/params.go BlockPartSizeBytes). */
export const BLOCK_PART_SIZE = 65_536;

export interface CommitFields {
  height: bigint;
  round: number;
  blockId: BlockIdBytes;
  signatures: readonly CommitSigFields[];
}

const blockIdProto = (id: BlockIdBytes) => ({ hash: id.hash, partSetHeader: { total: id.parts.total, hash: id.parts.hash } });

/**
 * The block's protobuf encoding (Block.ToProto().Marshal()), what CometBFT splits into parts and
 * measures as block_size. At the first height the last commit is empty, not absent.
 */
export function blockBytes(h: HeaderFields, txs: readonly Uint8Array[], lastCommit: CommitFields): Uint8Array {
  return Block.encode({
    header: {
      version: { block: h.version.block, app: h.version.app },
      chainId: h.chainId,
      height: h.height,
      time: timestamp(h.time),
      lastBlockId: blockIdProto(h.lastBlockId),
      lastCommitHash: h.lastCommitHash,
      dataHash: h.dataHash,
      validatorsHash: h.validatorsHash,
      nextValidatorsHash: h.nextValidatorsHash,
      consensusHash: h.consensusHash,
      appHash: h.appHash,
      lastResultsHash: h.lastResultsHash,
      evidenceHash: h.evidenceHash,
      proposerAddress: h.proposerAddress,
    },
    data: { txs: [...txs] },
    evidence: { evidence: [] },
    lastCommit: {
      height: lastCommit.height,
      round: lastCommit.round,
      blockId: blockIdProto(lastCommit.blockId),
      signatures: lastCommit.signatures.map((s) => ({ blockIdFlag: s.blockIdFlag, validatorAddress: s.validatorAddress, timestamp: timestamp(s.time), signature: s.signature })),
    },
  }).finish();
}

/** The block id's part set header: the encoded block in 64 KiB parts, and the merkle root of the parts. */
export function partSetHeader(block: Uint8Array): { total: number; hash: Uint8Array } {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < block.length; at += BLOCK_PART_SIZE) parts.push(block.subarray(at, at + BLOCK_PART_SIZE));
  return { total: parts.length, hash: merkleRoot(parts) };
}
