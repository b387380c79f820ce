// CometBFT's block hashes against CometBFT's own header vector and the consensus_hash real chains
// carry with the default params, and against the byte layouts CometBFT hashes for validators, commit
// signatures and tx results.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { merkleRoot } from './comet-json.ts';
import { BLOCK_PART_SIZE, type HeaderFields, blockBytes, commitHash, consensusParamsHash, headerHash, partSetHeader, txResultsHash, validatorSetHash } from './comet-hash.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return hex(h.digest());
};
const ns = (iso: string, subMs: bigint) => BigInt(Date.parse(iso)) * 1_000_000n + subMs;

const tmhash = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());

// cometbft types/block_test.go TestHeaderHash ("Generates expected hash"). cosmjs's comet38 hasher
// tests hold headers of a Tendermint 0.33 chain, whose fields were Amino-encoded (no field tags):
// those ids are not what CometBFT 0.34+ computes, and this hash does not reproduce them.
const COMET_HEADER: HeaderFields = {
  version: { block: 1n, app: 2n },
  chainId: 'chainId',
  height: 3n,
  time: ns('2019-10-13T16:14:44Z', 0n),
  lastBlockId: { hash: new Uint8Array(32), parts: { total: 6, hash: new Uint8Array(32) } },
  lastCommitHash: tmhash('last_commit_hash'),
  dataHash: tmhash('data_hash'),
  validatorsHash: tmhash('validators_hash'),
  nextValidatorsHash: tmhash('next_validators_hash'),
  consensusHash: tmhash('consensus_hash'),
  appHash: tmhash('app_hash'),
  lastResultsHash: tmhash('last_results_hash'),
  evidenceHash: tmhash('evidence_hash'),
  proposerAddress: tmhash('proposer_address').slice(0, 20),
};

test('headerHash gives the hash CometBFT computes for its test header', () => {
  const id = hex(headerHash(COMET_HEADER));
  assert.equal(id, 'F740121F553B5418C3EFBD343C2DBFE9E007BB67B0D020A0741374BAB65242A4');
  // every field takes part: one nanosecond, a part count, or one byte of the proposer changes it
  assert.notEqual(hex(headerHash({ ...COMET_HEADER, time: COMET_HEADER.time + 1n })), id);
  assert.notEqual(hex(headerHash({ ...COMET_HEADER, lastBlockId: { ...COMET_HEADER.lastBlockId, parts: { total: 5, hash: new Uint8Array(32) } } })), id);
  assert.notEqual(hex(headerHash({ ...COMET_HEADER, proposerAddress: tmhash('proposer_address').slice(1, 21) })), id);
});

test('headerHash at the first height: the empty last block id still writes its part set header (12 00)', () => {
  const none = { hash: new Uint8Array(), parts: { total: 0, hash: new Uint8Array() } };
  const h: HeaderFields = { ...COMET_HEADER, height: 1n, lastBlockId: none };
  const field = (b: Uint8Array) => `0a${b.length.toString(16)}${Buffer.from(b).toString('hex')}`; // BytesValue{1: b}
  const leaves = [
    '08011002', // Consensus{block 1, app 2}
    `0a07${Buffer.from('chainId').toString('hex')}`, // StringValue
    '0801', // Int64Value{1}
    '08f49a8ded05', // Timestamp{seconds 1570983284}
    '1200', // BlockID{part_set_header: {}}
    ...[h.lastCommitHash, h.dataHash, h.validatorsHash, h.nextValidatorsHash, h.consensusHash, h.appHash, h.lastResultsHash, h.evidenceHash, h.proposerAddress].map(field),
  ].map(bytes);
  assert.equal(hex(headerHash(h)), hex(merkleRoot(leaves)));
});

test('consensusParamsHash of the default block limits is the consensus_hash real chains carry', () => {
  assert.equal(hex(consensusParamsHash(22_020_096n, -1n)), '048091BC7DDC283F77BFBF91D73C44DA58C3DF8A9CBC867405D8B7F3DAADA22F');
});

test('validatorSetHash hashes each validator as SimpleValidator{PublicKey{ed25519}, voting_power}, in set order', () => {
  const k1 = new Uint8Array(32).fill(0xab);
  const k2 = new Uint8Array(32).fill(0x01);
  // 0a 22 (pub_key, 34 bytes) 0a 20 (ed25519, 32 bytes) key, then 10 (voting_power) varint
  const enc = (k: Uint8Array, powerVarint: string) => new Uint8Array([0x0a, 0x22, 0x0a, 0x20, ...k, ...bytes(`10${powerVarint}`)]);
  const l1 = bytes(sha(Uint8Array.of(0), enc(k1, 'e807'))); // 1000
  const l2 = bytes(sha(Uint8Array.of(0), enc(k2, '05')));
  assert.equal(hex(validatorSetHash([{ pubKey: k1, power: 1000n }])), hex(l1));
  assert.equal(hex(validatorSetHash([{ pubKey: k1, power: 1000n }, { pubKey: k2, power: 5n }])), sha(Uint8Array.of(1), l1, l2));
  assert.notEqual(hex(validatorSetHash([{ pubKey: k2, power: 5n }, { pubKey: k1, power: 1000n }])), sha(Uint8Array.of(1), l1, l2));
});

test('commitHash hashes each CommitSig{flag, address, timestamp, signature}; no signatures is SHA-256 of nothing', () => {
  const addr = new Uint8Array(20).fill(7);
  const sig = new Uint8Array(64).fill(9);
  // 2024-03-01T12:00:00.5Z: seconds 1709294400 (varint c0 86 87 af 06), nanos 500000000 (varint 80 ca b5 ee 01)
  const ts = bytes('08c08687af061080cab5ee01');
  const encoded = new Uint8Array([0x08, 0x02, 0x12, 0x14, ...addr, 0x1a, ts.length, ...ts, 0x22, 0x40, ...sig]);
  const time = ns('2024-03-01T12:00:00.500Z', 0n);
  assert.equal(hex(commitHash([{ blockIdFlag: 2, validatorAddress: addr, time, signature: sig }])), sha(Uint8Array.of(0), encoded));
  assert.equal(hex(commitHash([])), sha());
});

test('txResultsHash takes code, data and gas only: a success with nothing else is the leaf hash of empty bytes', () => {
  assert.equal(hex(txResultsHash([{ code: 0, data: new Uint8Array(), gasWanted: 0n, gasUsed: 0n }])), '6E340B9CFFB37A989CA544E6BB780A2C78901D3FB33738768511A30617AFA01D');
  // 08 05 (code) 12 02 ab cd (data) 28 c0 9a 0c (gas_wanted 200000) 30 e8 07 (gas_used 1000)
  const leaf = sha(Uint8Array.of(0), bytes('0805' + '1202abcd' + '28c09a0c' + '30e807'));
  assert.equal(hex(txResultsHash([{ code: 5, data: bytes('abcd'), gasWanted: 200_000n, gasUsed: 1000n }])), leaf);
  assert.equal(hex(txResultsHash([])), sha());
});

test('partSetHeader splits the encoded block in 64 KiB parts and hashes the parts', () => {
  const small = new Uint8Array(1000).fill(3);
  assert.deepEqual(partSetHeader(small), { total: 1, hash: bytes(sha(Uint8Array.of(0), small)) });
  const exact = new Uint8Array(BLOCK_PART_SIZE).fill(4);
  assert.equal(partSetHeader(exact).total, 1);
  const big = new Uint8Array(BLOCK_PART_SIZE + 10).fill(5);
  const leaves = [big.subarray(0, BLOCK_PART_SIZE), big.subarray(BLOCK_PART_SIZE)].map((p) => bytes(sha(Uint8Array.of(0), p)));
  assert.deepEqual(partSetHeader(big), { total: 2, hash: bytes(sha(Uint8Array.of(1), leaves[0]!, leaves[1]!)) });
});

test('blockBytes: the header, the txs, an empty evidence list and, at the first height, an empty (not absent) last commit', () => {
  const noId = { hash: new Uint8Array(), parts: { total: 0, hash: new Uint8Array() } };
  const first = blockBytes({ ...COMET_HEADER, height: 1n, lastBlockId: noId }, [bytes('aabb')], { height: 0n, round: 0, blockId: noId, signatures: [] });
  // … 12 04 0a 02 aa bb (data: one tx) 1a 00 (evidence) 22 04 1a 02 12 00 (last commit: block id with empty part set header)
  assert.equal(hex(first.subarray(first.length - 14)), '12040A02AABB1A0022041A021200');
  assert.equal(first[0], 0x0a, 'the header first');
});
