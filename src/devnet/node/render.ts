// Renders one BlockResult into CometBFT JSON (cosmos-wire §1.5, §1.6, §1.10): header with derived
// hashes, block_id, last_commit, block_results per version, and the per-tx `tx` results. Called once
// per block by block-store.ts, which keeps the serialized output.
import type { BlockResult } from '../chain/chain.ts';
import type { Event } from '../chain/types.ts';
import { type BlockIdBytes, type CommitSigFields, type DeterministicTxResult, blockBytes, commitHash, consensusParamsHash, headerHash, partSetHeader, txResultsHash } from './comet-hash.ts';
import { type CometVersion, b64, blockEventsText, consensusParamsJson, hexUpper, merkleRoot, rfc3339Nano, sha256, txResultText } from './comet-json.ts';
import { DEFAULT_GAS_LIMIT, type DevnetTx, type DevnetTxResult, encodeTx, encodeTxMsgData, sdk47Log } from './tx-encoding.ts';
import { signAs } from '../chain/consensus-key.ts';
import { type CometValidator, proposerOf, validatorUpdates, validatorsHash } from './validators.ts';
import { PRECOMMIT, voteSignBytes } from './vote.ts';

export interface RenderedTx {
  hash: string;
  height: bigint;
  index: number;
  bytes: Uint8Array;
  code: number;
  /** The tx's events, read back from its `tx_result` (for event queries and websocket pushes). */
  readonly events: Event[];
  /** Whether the serialized `tx_result` contains these bytes. */
  contains(needle: Buffer): boolean;
  /** Serialized `tx_result` object. */
  readonly resultJson: string;
  /** Serialized result of the `tx` route. */
  readonly txJson: string;
}

/**
 * A tx as the store keeps it: its `tx_result`, events included, is read back from the block's
 * `block_results` bytes when asked for (the `tx` routes, event queries, websocket pushes), not kept
 * as second copies: the results are a third of a dense block's memory, and the event objects were
 * half of the live devnet's heap.
 */
class StoredTx implements RenderedTx {
  constructor(
    readonly hash: string,
    readonly height: bigint,
    readonly index: number,
    readonly bytes: Uint8Array,
    readonly code: number,
    private readonly results: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get resultJson(): string {
    return this.results.toString('utf8', this.start, this.end);
  }

  get txJson(): string {
    return `{"hash":"${this.hash}","height":"${this.height}","index":${this.index},"tx_result":${this.resultJson},"tx":"${b64(this.bytes)}"}`;
  }

  /** Whether the stored result's bytes contain `needle` (a cheap test before parsing its events). */
  contains(needle: Buffer): boolean {
    const i = this.results.indexOf(needle, this.start);
    return i >= 0 && i + needle.length <= this.end;
  }

  get events(): Event[] {
    const r = JSON.parse(this.resultJson) as { events: Array<{ type: string; attributes: Array<{ key: string; value: string }> }> };
    return r.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) }));
  }
}

/** What renderTx hands to renderBlock, which stores it as a StoredTx. */
interface TxRender {
  hash: string;
  bytes: Uint8Array;
  code: number;
  /** The serialized `tx_result`, UTF-8: hashed and copied into resultsBuf as bytes (one encoding pass). */
  result: Buffer;
  /** What the next header's last_results_hash commits to. */
  deterministic: DeterministicTxResult;
}

export interface RenderedBlock {
  height: bigint;
  time: bigint;
  hash: string;
  /** The block id as bytes, for the next header's last_block_id. */
  blockId: BlockIdBytes;
  blockIdJson: string;
  headerJson: string;
  /** The `block` object alone (for NewBlock events and block_search), read back from blockBuf. */
  readonly blockInnerJson: string;
  /** `txs_results` alone (`[…]`, or `null` without txs), read back from resultsBuf. */
  readonly txsResultsJson: string;
  /** Serialized results of `block`, `block_results`. */
  blockBuf: Buffer;
  resultsBuf: Buffer;
  metaJson: string;
  blockSize: number;
  txs: RenderedTx[];
  /** Block-level events in chain order (begin then end), and split for 0.37. */
  beginEvents: Event[];
  endEvents: Event[];
  /** Header app hash (state before this block) and the app hash after it. */
  headerAppHash: Uint8Array;
  appHash: Uint8Array;
  /** CometBFT's hash of this block's tx results (the next header's last_results_hash). */
  lastResultsHash: Uint8Array;
  /** Signers of this block (valset for H) and the set after its EndBlock. */
  valset: CometValidator[];
  valsetAfter: CometValidator[];
  validatorUpdatesJson: string;
  consensusUpdatesJson: string;
}

/** What the next block's header and last commit take from the block before it. */
export type BlockLink = Pick<RenderedBlock, 'height' | 'hash' | 'blockId' | 'blockIdJson' | 'valset' | 'valsetAfter' | 'appHash' | 'lastResultsHash'>;

export const blockLink = (b: BlockLink): BlockLink => ({
  height: b.height,
  hash: b.hash,
  blockId: b.blockId,
  blockIdJson: b.blockIdJson,
  valset: b.valset,
  valsetAfter: b.valsetAfter,
  appHash: b.appHash,
  lastResultsHash: b.lastResultsHash,
});

export interface RenderContext {
  chainId: string;
  version: CometVersion;
  prev?: BlockLink;
  genesisAppHash: Uint8Array;
  genesisValset: CometValidator[];
  valsetAfter: CometValidator[];
  /** Next sequence per signer (updated here). */
  sequences: Map<string, bigint>;
}

const EMPTY_BLOCK_ID = { hash: '', parts: { total: 0, hash: '' } };
const NO_BLOCK_ID: BlockIdBytes = { hash: new Uint8Array(), parts: { total: 0, hash: new Uint8Array() } };
const EMPTY_HASH = merkleRoot([]);
/** The `consensus_param_updates` text never changes within a version. */
const CONSENSUS_UPDATES = {
  '0.37': JSON.stringify(consensusParamsJson('0.37', false)),
  '0.38': JSON.stringify(consensusParamsJson('0.38', false)),
} as const;
/** consensus_hash: the params' block limits, the same in both versions (cometbft types/params.go Hash). */
const CONSENSUS_HASH = (() => {
  const block = consensusParamsJson('0.38', true).block as { max_bytes: string; max_gas: string };
  return consensusParamsHash(BigInt(block.max_bytes), BigInt(block.max_gas));
})();
const hexBytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

const attr = (events: Event[], type: string, key: string): string | undefined => {
  for (const e of events) if (e.type === type) for (const a of e.attributes) if (a.key === key) return a.value;
  return undefined;
};

/** Deterministic gas used when the chain reports none. */
const estimateGas = (bytes: number, events: number, wanted: bigint): bigint => {
  const g = BigInt(40_000 + bytes * 10 + events * 1_500);
  return g < wanted ? g : wanted;
};

/** The block a commit is for: its height, id and the set that signs it. */
type Committed = Pick<RenderedBlock, 'height' | 'blockId' | 'blockIdJson' | 'valset'>;

/** The precommits for block `b`, every validator of its set signing it (round 0) at `time`. */
function precommits(b: Committed, time: bigint, chainId: string): CommitSigFields[] {
  const signBytes = voteSignBytes({ type: PRECOMMIT, height: b.height, round: 0, blockId: b.blockId, time, chainId });
  return b.valset.map((v) => ({ blockIdFlag: 2, validatorAddress: hexBytes(v.address), time, signature: signAs(v.address, signBytes) }));
}

function commitText(height: bigint, blockIdJson: string, sigs: CommitSigFields[]): string {
  const json = sigs.map((s) => ({ block_id_flag: s.blockIdFlag, validator_address: hexUpper(s.validatorAddress), timestamp: rfc3339Nano(s.time), signature: b64(s.signature) }));
  return `{"height":"${height}","round":0,"block_id":${blockIdJson},"signatures":${JSON.stringify(json)}}`;
}

/** The commit for block `b` signed at `time` (§1.5 last_commit; also the `commit` route). */
export function commitJson(b: Committed, time: bigint, chainId: string): string {
  return commitText(b.height, b.blockIdJson, precommits(b, time, chainId));
}

function renderTx(tx: DevnetTx, result: DevnetTxResult, ctx: RenderContext): TxRender {
  // Reuse what the chain's ante events say (`tx{acc_seq}`, `tx{signature}`) so bytes and events agree (§3.1).
  const accSeq = attr(result.events, 'tx', 'acc_seq');
  const seqFromEvent = accSeq?.startsWith(`${tx.signer}/`) ? BigInt(accSeq.slice(tx.signer.length + 1)) : undefined;
  const sequence = tx.sequence ?? seqFromEvent ?? ctx.sequences.get(tx.signer) ?? 0n;
  ctx.sequences.set(tx.signer, sequence + 1n);
  const sigB64 = attr(result.events, 'tx', 'signature');
  const enc = encodeTx(tx, { chainId: ctx.chainId, sequence, signature: sigB64 ? new Uint8Array(Buffer.from(sigB64, 'base64')) : undefined });
  const gasWanted = result.gasWanted ?? tx.fee?.gasLimit ?? DEFAULT_GAS_LIMIT;
  const gasUsed = result.gasUsed ?? estimateGas(enc.bytes.length, result.events.length, gasWanted);
  // SDK 0.47 logs a success as JSON message logs, 0.50 as "" (§3.1); the chain leaves it empty.
  const log = result.code === 0 && result.log === '' && ctx.version === '0.37' ? sdk47Log(tx, result.events) : result.log;
  const data = encodeTxMsgData(tx, result);
  const resultJson = txResultText({ code: result.code, codespace: result.codespace, log, data, gasWanted, gasUsed, events: result.events });
  const deterministic = { code: result.code, data: data ?? new Uint8Array(), gasWanted, gasUsed };
  return { hash: enc.hash, bytes: enc.bytes, code: result.code, result: Buffer.from(resultJson), deterministic };
}

export function renderBlock(b: BlockResult, ctx: RenderContext): RenderedBlock {
  const { prev, version, chainId } = ctx;
  const height = b.height;
  const txs = b.txs.map((tx, i) => renderTx(tx as DevnetTx, b.txResults[i] as DevnetTxResult, ctx));
  const valset = prev?.valsetAfter ?? ctx.genesisValset;
  const valsetAfter = ctx.valsetAfter;

  const headerAppHash = prev?.appHash ?? ctx.genesisAppHash;
  const blockEvents = JSON.stringify([b.beginEvents, b.endEvents]);
  // App hash after this block: chained over the previous one and everything the block did, events
  // included (which CometBFT's results hash leaves out).
  const appHash = sha256(headerAppHash, merkleRoot(txs.map((t) => t.result)), blockEvents, validatorsHash(valsetAfter));

  const lastBlockIdJson = prev ? prev.blockIdJson : JSON.stringify(EMPTY_BLOCK_ID);
  const lastSigs = prev ? precommits(prev, b.time, chainId) : [];
  const lastCommit = prev ? commitText(prev.height, prev.blockIdJson, lastSigs) : `{"height":"0","round":0,"block_id":${JSON.stringify(EMPTY_BLOCK_ID)},"signatures":[]}`;
  // The header's hashes as CometBFT computes them (comet-hash.ts), so that its hash is the block id.
  const fields = {
    version: { block: 11n, app: 0n },
    chainId,
    height,
    time: b.time,
    lastBlockId: prev?.blockId ?? NO_BLOCK_ID,
    lastCommitHash: commitHash(lastSigs),
    dataHash: merkleRoot(txs.map((t) => hexBytes(t.hash))), // the tx hashes encodeTx computed
    validatorsHash: validatorsHash(valset),
    nextValidatorsHash: validatorsHash(valsetAfter),
    consensusHash: CONSENSUS_HASH,
    appHash: headerAppHash,
    lastResultsHash: prev?.lastResultsHash ?? EMPTY_HASH,
    evidenceHash: EMPTY_HASH,
    proposerAddress: hexBytes(proposerOf(valset, height, chainId)),
  };
  const header = {
    version: { block: fields.version.block.toString() },
    chain_id: chainId,
    height: height.toString(),
    time: rfc3339Nano(b.time),
    last_block_id: JSON.parse(lastBlockIdJson) as unknown,
    last_commit_hash: hexUpper(fields.lastCommitHash),
    data_hash: hexUpper(fields.dataHash),
    validators_hash: hexUpper(fields.validatorsHash),
    next_validators_hash: hexUpper(fields.nextValidatorsHash),
    consensus_hash: hexUpper(fields.consensusHash),
    app_hash: hexUpper(headerAppHash),
    last_results_hash: hexUpper(fields.lastResultsHash),
    evidence_hash: hexUpper(fields.evidenceHash),
    proposer_address: hexUpper(fields.proposerAddress),
  };
  const headerJson = JSON.stringify(header);
  const blockHashBytes = headerHash(fields);
  const blockHash = hexUpper(blockHashBytes);
  const txsJson = `[${txs.map((t) => `"${b64(t.bytes)}"`).join(',')}]`;
  const blockInnerJson = `{"header":${headerJson},"data":{"txs":${txsJson}},"evidence":{"evidence":[]},"last_commit":${lastCommit}}`;
  // the block id's parts and block_size come from the block's protobuf encoding, as CometBFT's do
  const lastCommitFields = prev ? { height: prev.height, round: 0, blockId: prev.blockId, signatures: lastSigs } : { height: 0n, round: 0, blockId: NO_BLOCK_ID, signatures: [] };
  const encoded = blockBytes(fields, txs.map((t) => t.bytes), lastCommitFields);
  const parts = partSetHeader(encoded);
  const blockIdJson = `{"hash":"${blockHash}","parts":{"total":${parts.total},"hash":"${hexUpper(parts.hash)}"}}`;
  const blockSize = encoded.length;

  const validatorUpdatesJson = JSON.stringify(validatorUpdates(valset, valsetAfter));
  const consensusUpdatesJson = CONSENSUS_UPDATES[version];
  // txs_results come first after this prefix (ASCII), so each tx's bytes in resultsBuf are known
  const resultsPrefix = `{"height":"${height}","txs_results":`;
  const resultsTail =
    version === '0.38'
      ? `,"finalize_block_events":${blockEventsText([...b.beginEvents, ...b.endEvents])},"validator_updates":${validatorUpdatesJson},"consensus_param_updates":${consensusUpdatesJson},"app_hash":"${b64(appHash)}"}`
      : `,"begin_block_events":${blockEventsText(b.beginEvents)},"end_block_events":${blockEventsText(b.endEvents)},"validator_updates":${validatorUpdatesJson},"consensus_param_updates":${consensusUpdatesJson}}`;

  const { buf: resultsBuf, starts, listEnd } = joinResults(resultsPrefix, txs, resultsTail);
  const stored = txs.map((t, i) => new StoredTx(t.hash, height, i, t.bytes, t.code, resultsBuf, starts[i]!, starts[i]! + t.result.length));
  const blockPrefix = `{"block_id":${blockIdJson},"block":`; // ASCII
  const blockBuf = Buffer.from(`${blockPrefix}${blockInnerJson}}`);

  const block: RenderedBlock = {
    height,
    time: b.time,
    hash: blockHash,
    blockId: { hash: blockHashBytes, parts },
    blockIdJson,
    headerJson,
    blockInnerJson: '', // replaced by getters below
    txsResultsJson: '',
    blockBuf,
    resultsBuf,
    metaJson: `{"block_id":${blockIdJson},"block_size":"${blockSize}","header":${headerJson},"num_txs":"${txs.length}"}`,
    blockSize,
    txs: stored,
    beginEvents: b.beginEvents,
    endEvents: b.endEvents,
    headerAppHash,
    appHash,
    lastResultsHash: txResultsHash(txs.map((t) => t.deterministic)),
    valset,
    valsetAfter,
    validatorUpdatesJson,
    consensusUpdatesJson,
  };
  Object.defineProperty(block, 'blockInnerJson', { get: utf8Slice(blockBuf, blockPrefix.length, blockBuf.length - 1), enumerable: true });
  Object.defineProperty(block, 'txsResultsJson', { get: utf8Slice(resultsBuf, resultsPrefix.length, listEnd), enumerable: true });
  return block;
}

/**
 * `prefix` + `[r0,r1,…]` (or `null`) + `tail` as one buffer, copying each result's bytes once; with
 * where each result starts and where the list ends (the stored txs and `txs_results` read these).
 */
function joinResults(prefix: string, txs: TxRender[], tail: string): { buf: Buffer; starts: number[]; listEnd: number } {
  const head = Buffer.from(txs.length === 0 ? `${prefix}null` : `${prefix}[`);
  const end = Buffer.from(txs.length === 0 ? tail : `]${tail}`);
  let size = head.length + end.length + Math.max(0, txs.length - 1);
  for (const t of txs) size += t.result.length;
  const buf = Buffer.allocUnsafe(size);
  let at = head.copy(buf, 0);
  const starts = txs.map((t, i) => {
    if (i > 0) buf[at++] = 0x2c; // ','
    const start = at;
    at += t.result.copy(buf, at);
    return start;
  });
  const listEnd = txs.length === 0 ? at : at + 1; // past 'null', or past ']'
  end.copy(buf, at);
  return { buf, starts, listEnd };
}

/**
 * A reader of part of a buffer, made outside renderBlock on purpose: a closure made inside it would
 * share its context, which holds `prev`, and so keep every earlier block alive.
 */
function utf8Slice(buf: Buffer, start: number, end: number): () => string {
  return () => buf.toString('utf8', start, end);
}
