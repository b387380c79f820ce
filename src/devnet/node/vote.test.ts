// Vote sign bytes against CometBFT's vectors (types/vote_test.go TestVoteSignBytesTestVectors), and a
// precommit for a block.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRECOMMIT, voteSignBytes } from './vote.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** Go's zero time.Time, 0001-01-01T00:00:00Z, in nanoseconds since the Unix epoch. */
const GO_ZERO_TIME = -62_135_596_800n * 1_000_000_000n;
// 2a 0b: the timestamp field, seconds -62135596800 as a ten-byte varint
const ZERO_TIMESTAMP = '2a0b088092b8c398feffffff01';

test('a precommit at height 1, round 1, no block, zero time, no chain id (vector 1)', () => {
  const got = voteSignBytes({ type: PRECOMMIT, height: 1n, round: 1, time: GO_ZERO_TIME, chainId: '' });
  assert.equal(hex(got), '21' + '0802' + '110100000000000000' + '190100000000000000' + ZERO_TIMESTAMP);
});

test('a vote with a chain id (vector 4)', () => {
  const got = voteSignBytes({ type: 0, height: 1n, round: 1, time: GO_ZERO_TIME, chainId: 'test_chain_id' });
  assert.equal(hex(got), '2e' + '110100000000000000' + '190100000000000000' + ZERO_TIMESTAMP + '320d' + Buffer.from('test_chain_id').toString('hex'));
});

test('a precommit for a block writes the canonical block id; round 0 is left out', () => {
  const id = { hash: new Uint8Array(32).fill(1), parts: { total: 1, hash: new Uint8Array(32).fill(2) } };
  const got = voteSignBytes({ type: PRECOMMIT, height: 5n, round: 0, blockId: id, time: 1_500_000_000n, chainId: 'c' });
  // 22 48: CanonicalBlockID (0a 20 hash, 12 24: CanonicalPartSetHeader 08 01, 12 20 hash); 2a 08: 1 s 500000000 ns
  const blockId = '2248' + '0a20' + '01'.repeat(32) + '1224' + '0801' + '1220' + '02'.repeat(32);
  const body = '0802' + '110500000000000000' + blockId + '2a08' + '0801' + '1080cab5ee01' + '3201' + '63';
  assert.equal(hex(got), (body.length / 2).toString(16) + body);
});
