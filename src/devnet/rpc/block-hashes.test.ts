// A client that checks blocks, as a light client or a careful explorer does, finds every hash the
// devnet's block ids and headers carry as CometBFT computes it: each header hashes to its block id
// and names the previous id; the id's parts and the meta's block_size are those of the block's
// protobuf encoding; validators_hash, last_commit_hash, last_results_hash, data_hash and consensus_hash
// match the `validators`, `last_commit`, previous `block_results`, txs and genesis the same node
// serves; and, as a light client checks a commit, every precommit carries a valid ed25519 signature
// by a validator of the committed block's set. Read through cosmjs, in CometBFT 0.38 and 0.37 form.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import { Comet38Client, Tendermint37Client } from '@cosmjs/tendermint-rpc';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { BLOCK_PART_SIZE, commitHash, consensusParamsHash, headerHash, timestamp, txResultsHash, validatorSetHash } from '../node/comet-hash.ts';
import { hexUpper, merkleRoot, sha256 } from '../node/comet-json.ts';
import { BlockStore } from '../node/block-store.ts';
import { PRECOMMIT, voteSignBytes } from '../node/vote.ts';
import { Workload } from '../workload/run.ts';
import { startRpcServer } from './server.ts';

type Client = Comet38Client | Tendermint37Client;
type Commit = NonNullable<Awaited<ReturnType<Client['block']>>['block']['lastCommit']>;

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** What a light client checks of a commit: each signature verifies with its validator's key, for the set's full power. */
async function checkCommit(client: Client, chainId: string, commit: Commit, at: string): Promise<void> {
  const set = (await client.validatorsAll(commit.height)).validators;
  const keys = new Map(set.map((v) => [hexUpper(v.address), v]));
  let signed = 0n;
  const signers = new Set<string>();
  for (const s of commit.signatures) {
    assert.equal(s.blockIdFlag, 2, `${at}: a commit vote (BLOCK_ID_FLAG_COMMIT)`);
    const v = keys.get(hexUpper(s.validatorAddress!));
    assert.ok(v, `${at}: the signer ${hexUpper(s.validatorAddress!)} is in the set of height ${commit.height}`);
    const signBytes = voteSignBytes({ type: PRECOMMIT, height: BigInt(commit.height), round: commit.round, blockId: commit.blockId, time: ns(s.timestamp as Time), chainId });
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, v.pubkey!.data]), format: 'der', type: 'spki' });
    assert.ok(verify(null, signBytes, key, s.signature!), `${at}: ${hexUpper(v.address)}'s signature verifies`);
    assert.ok(!signers.has(hexUpper(v.address)), `${at}: ${hexUpper(v.address)} signs once`);
    signers.add(hexUpper(v.address));
    signed += v.votingPower;
  }
  const total = set.reduce((sum, v) => sum + v.votingPower, 0n);
  assert.ok(3n * signed > 2n * total, `${at}: more than 2/3 of the power signed (${signed} of ${total})`);
}
type Time = Date & { nanoseconds?: number };

/** Nanoseconds since the epoch of a cosmjs time (milliseconds plus the nanoseconds it keeps beside). */
const ns = (t: Time): bigint => BigInt(t.getTime()) * 1_000_000n + BigInt(t.nanoseconds ?? 0);
type Id = { hash: Uint8Array; parts: { total: number; hash: Uint8Array } };
const idProto = (id: Id | null | undefined) => ({ hash: id?.hash ?? new Uint8Array(), partSetHeader: { total: id?.parts.total ?? 0, hash: id?.parts.hash ?? new Uint8Array() } });

async function checkChain(client: Client, label: string): Promise<number> {
  const tip = (await client.status()).syncInfo.latestBlockHeight;
  const params = (await client.genesis()).consensusParams.block!;
  const consensusHash = hexUpper(consensusParamsHash(BigInt(params.maxBytes), BigInt(params.maxGas)));
  let prevId: { hash: Uint8Array; parts: { total: number; hash: Uint8Array } } | undefined;
  let txs = 0;
  for (let h = 1; h <= tip; h++) {
    const at = `${label} height ${h}`;
    const { block, blockId } = await client.block(h);
    const hd = block.header;
    const id = headerHash({
      version: { block: BigInt(hd.version.block), app: BigInt(hd.version.app) },
      chainId: hd.chainId,
      height: BigInt(hd.height),
      time: ns(hd.time as Time),
      lastBlockId: hd.lastBlockId ?? { hash: new Uint8Array(), parts: { total: 0, hash: new Uint8Array() } },
      lastCommitHash: hd.lastCommitHash,
      dataHash: hd.dataHash,
      validatorsHash: hd.validatorsHash,
      nextValidatorsHash: hd.nextValidatorsHash,
      consensusHash: hd.consensusHash,
      appHash: hd.appHash,
      lastResultsHash: hd.lastResultsHash,
      evidenceHash: hd.evidenceHash,
      proposerAddress: hd.proposerAddress,
    });
    assert.equal(hexUpper(id), hexUpper(blockId.hash), `${at}: header hash is the block id`);
    if (prevId) {
      assert.equal(hexUpper(hd.lastBlockId!.hash), hexUpper(prevId.hash), `${at}: last_block_id`);
      assert.equal(hexUpper(hd.lastBlockId!.parts.hash), hexUpper(prevId.parts.hash), `${at}: last_block_id parts`);
      assert.equal(hd.lastBlockId!.parts.total, prevId.parts.total, `${at}: last_block_id parts total`);
    } else assert.equal(hd.lastBlockId, null, `${at}: no last_block_id at height 1`);
    prevId = blockId;

    // the block re-encoded from what cosmjs read, as CometBFT encodes it, split in parts
    const lc = block.lastCommit;
    const encoded = Block.encode({
      header: { ...hd, version: { block: BigInt(hd.version.block), app: BigInt(hd.version.app) }, height: BigInt(hd.height), time: timestamp(ns(hd.time as Time)), lastBlockId: idProto(hd.lastBlockId) },
      data: { txs: [...block.txs] },
      evidence: { evidence: [] },
      lastCommit: {
        height: BigInt(lc?.height ?? 0),
        round: lc?.round ?? 0,
        blockId: idProto(lc?.blockId),
        signatures: (lc?.signatures ?? []).map((s) => ({ blockIdFlag: s.blockIdFlag as number, validatorAddress: s.validatorAddress!, timestamp: timestamp(ns(s.timestamp as Time)), signature: s.signature! })),
      },
    }).finish();
    const parts: Uint8Array[] = [];
    for (let at = 0; at < encoded.length; at += BLOCK_PART_SIZE) parts.push(encoded.subarray(at, at + BLOCK_PART_SIZE));
    assert.equal(blockId.parts.total, parts.length, `${at}: parts total`);
    assert.equal(hexUpper(blockId.parts.hash), hexUpper(merkleRoot(parts)), `${at}: parts hash`);
    const meta = (await client.blockchain(h, h)).blockMetas[0]!;
    assert.equal(meta.blockSize, encoded.length, `${at}: block_size`);

    const vals = await client.validatorsAll(h);
    // CometBFT's order, which the hash depends on: power descending, then address ascending
    vals.validators.forEach((v, i) => {
      const next = vals.validators[i + 1];
      if (next) assert.ok(v.votingPower > next.votingPower || (v.votingPower === next.votingPower && hexUpper(v.address) < hexUpper(next.address)), `${at}: validator order`);
    });
    const set = vals.validators.map((v) => ({ pubKey: v.pubkey!.data, power: v.votingPower }));
    assert.equal(hexUpper(hd.validatorsHash), hexUpper(validatorSetHash(set)), `${at}: validators_hash`);
    assert.equal(hexUpper(hd.consensusHash), consensusHash, `${at}: consensus_hash`);

    const sigs = (block.lastCommit?.signatures ?? []).map((s) => ({ blockIdFlag: s.blockIdFlag, validatorAddress: s.validatorAddress!, time: ns(s.timestamp as Time), signature: s.signature! }));
    if (h > 1) assert.ok(sigs.length > 0, `${at}: a last commit with signatures`);
    assert.equal(hexUpper(hd.lastCommitHash), hexUpper(commitHash(sigs)), `${at}: last_commit_hash`);
    if (h > 1) {
      const lc = block.lastCommit!;
      assert.equal(lc.height, h - 1, `${at}: last_commit is for the previous height`);
      assert.equal(hexUpper(lc.blockId.hash), hexUpper(hd.lastBlockId!.hash), `${at}: last_commit is for last_block_id`);
      assert.equal(hexUpper(lc.blockId.parts.hash), hexUpper(hd.lastBlockId!.parts.hash), `${at}: last_commit parts`);
      await checkCommit(client, hd.chainId, lc, `${at} last_commit`);
    }
    assert.equal(hexUpper(hd.dataHash), hexUpper(merkleRoot(block.txs.map((tx) => sha256(tx)))), `${at}: data_hash`);
    txs += block.txs.length;

    const prevResults = h === 1 ? [] : (await client.blockResults(h - 1)).results;
    const deterministic = prevResults.map((r) => ({ code: r.code, data: r.data ?? new Uint8Array(), gasWanted: r.gasWanted, gasUsed: r.gasUsed }));
    assert.equal(hexUpper(hd.lastResultsHash), hexUpper(txResultsHash(deterministic)), `${at}: last_results_hash`);
  }
  // the tip's commit, which no block carries yet, from the `commit` route
  const tipCommit = (await client.commit(tip)).commit;
  assert.equal(hexUpper(tipCommit.blockId.hash), hexUpper(prevId!.hash), `${label}: the tip's commit is for the tip`);
  await checkCommit(client, (await client.status()).nodeInfo.network, tipCommit, `${label} commit at the tip`);
  return txs;
}

test('every header carries CometBFT hashes of what the node serves, and hashes to its block id (0.38 and 0.37)', async (t) => {
  const w = new Workload({ blocks: 30, topologyOptions: { users: 8, validators: 3 }, invariants: false, seed: 5 });
  w.runFast();
  const chain = w.chains[0]!;
  const s38 = await startRpcServer(new BlockStore(chain));
  const s37 = await startRpcServer(new BlockStore(chain, { version: '0.37' }));
  const c38 = await Comet38Client.connect(s38.url);
  const c37 = await Tendermint37Client.connect(s37.url);
  t.after(async () => {
    c38.disconnect();
    c37.disconnect();
    await Promise.all([s38.close(), s37.close()]);
  });
  const txs = await checkChain(c38, '0.38');
  assert.ok(txs > 50, `blocks with txs were checked (${txs})`);
  await checkChain(c37, '0.37');
});
