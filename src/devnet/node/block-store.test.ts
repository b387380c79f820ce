import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { decodeBlock, encodeBlock } from '../workload/block-file.ts';
import { recordedSource } from './block-source.ts';
import { BlockStore } from './block-store.ts';
import { merkleRoot, rfc3339Nano } from './comet-json.ts';
import { sendBlocks, tinyDevnet } from './devnet.testkit.ts';
import { matches, parseQuery } from './event-query.ts';
import { decodeMsg } from './msg-registry.ts';

const EMPTY_HASH = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';
const json = (b: Buffer | string) => JSON.parse(b.toString()) as any;

test('rfc3339Nano trims trailing zeros like Go RFC3339Nano (§1.2)', () => {
  assert.equal(rfc3339Nano(1_709_294_400_123_456_789n), '2024-03-01T12:00:00.123456789Z');
  assert.equal(rfc3339Nano(1_709_294_400_500_000_000n), '2024-03-01T12:00:00.5Z');
  assert.equal(rfc3339Nano(1_709_294_400_000_000_000n), '2024-03-01T12:00:00Z');
  assert.equal(Buffer.from(merkleRoot([])).toString('hex').toUpperCase(), EMPTY_HASH);
});

test('block JSON (§1.5): header, empty last_block_id at height 1, linked block ids, txs as base64 TxRaw', () => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const store = new BlockStore(chain);
  assert.equal(store.height, 5n);
  const b1 = json(store.at(1n)!.blockBuf);
  assert.deepEqual(b1.block.header.last_block_id, { hash: '', parts: { total: 0, hash: '' } });
  assert.deepEqual(b1.block.last_commit, { height: '0', round: 0, block_id: { hash: '', parts: { total: 0, hash: '' } }, signatures: [] });
  assert.deepEqual(b1.block.data.txs, []);
  assert.equal(b1.block.header.data_hash, EMPTY_HASH);
  assert.deepEqual(b1.block.header.version, { block: '11' });
  assert.equal(b1.block.header.chain_id, 'rpc-test-1');
  assert.match(b1.block.header.proposer_address, /^[0-9A-F]{40}$/);

  const b2 = json(store.at(2n)!.blockBuf);
  assert.equal(b2.block.header.height, '2');
  assert.equal(b2.block.header.time, rfc3339Nano(chain.blocks[1]!.time));
  assert.deepEqual(b2.block.header.last_block_id, b1.block_id);
  assert.equal(b2.block.last_commit.height, '1');
  assert.equal(b2.block.last_commit.signatures.length, 2);
  assert.equal(b2.block.last_commit.signatures[0].block_id_flag, 2);
  assert.equal(b2.block.data.txs.length, 2);
  assert.notEqual(b2.block.header.app_hash, b1.block.header.app_hash);
  for (const t of b2.block.data.txs as string[]) {
    const body = TxBody.decode(TxRaw.decode(Buffer.from(t, 'base64')).bodyBytes);
    for (const m of body.messages) assert.ok(decodeMsg(m.typeUrl, m.value));
  }
  // header app_hash = app hash after the previous block (block_results app_hash, base64 in 0.38)
  const r1 = json(store.at(1n)!.resultsBuf);
  assert.equal(Buffer.from(r1.app_hash, 'base64').toString('hex').toUpperCase(), b2.block.header.app_hash);
});

test('block_results 0.38 (§1.6): txs_results null when empty, finalize_block_events, app_hash; failed tx has code and no data', () => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const store = new BlockStore(chain);
  const r1 = json(store.at(1n)!.resultsBuf);
  assert.deepEqual(Object.keys(r1), ['height', 'txs_results', 'finalize_block_events', 'validator_updates', 'consensus_param_updates', 'app_hash']);
  assert.equal(r1.txs_results, null);
  const r2 = json(store.at(2n)!.resultsBuf);
  const ok = r2.txs_results[0];
  assert.deepEqual(Object.keys(ok), ['code', 'data', 'log', 'info', 'gas_wanted', 'gas_used', 'events', 'codespace']);
  assert.equal(ok.code, 0);
  assert.equal(ok.data, 'EiYKJC9jb3Ntb3MuYmFuay52MWJldGExLk1zZ1NlbmRSZXNwb25zZQ==');
  assert.match(ok.gas_wanted, /^\d+$/);
  assert.ok(ok.events.every((e: any) => Array.isArray(e.attributes) && e.attributes.every((a: any) => a.index === true)));
  assert.ok(ok.events.some((e: any) => e.type === 'transfer'));
  const failed = json(store.at(3n)!.resultsBuf).txs_results[0];
  assert.notEqual(failed.code, 0);
  assert.equal(failed.data, null);
  assert.ok(failed.log.length > 0);
  assert.ok(!failed.events.some((e: any) => e.type === 'transfer'));
});

test('block_results 0.37 (SDK 0.47 chain): begin/end_block_events, no app_hash', () => {
  const { world, chain } = tinyDevnet({ sdkVersion: '0.47' });
  sendBlocks(world, chain);
  const store = new BlockStore(chain);
  assert.equal(store.version, '0.37');
  const r = json(store.at(2n)!.resultsBuf);
  assert.deepEqual(Object.keys(r), ['height', 'txs_results', 'begin_block_events', 'end_block_events', 'validator_updates', 'consensus_param_updates']);
  assert.ok(!r.txs_results[0].events.some((e: any) => e.attributes.some((a: any) => a.key === 'msg_index')));
  // 0.47 success log: message events only, flattened by type, types sorted (§3.1)
  const log = JSON.parse(r.txs_results[1].log);
  assert.deepEqual(log.map((l: any) => l.msg_index), [0, 1]);
  const types = log[0].events.map((e: any) => e.type);
  assert.deepEqual(types, [...types].sort());
  assert.ok(!types.includes('tx'));
  const message = log[0].events.find((e: any) => e.type === 'message');
  assert.equal(message.attributes[0].key, 'action');
  assert.equal(json(store.at(2n)!.resultsBuf).txs_results[0].log.startsWith('[{"msg_index":0,"events":['), true);
});

test('tx index and tx_search by height, hash and event attribute (§1.10)', () => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const store = new BlockStore(chain);
  const txs = store.at(2n)!.txs;
  assert.equal(txs.length, 2);
  assert.equal(store.tx(txs[1]!.hash.toLowerCase()), txs[1]);
  assert.deepEqual(store.searchTxs(parseQuery('tx.height=2')), txs);
  assert.deepEqual(store.searchTxs(parseQuery(`tx.hash='${txs[0]!.hash.toLowerCase()}'`)), [txs[0]]);
  assert.deepEqual(
    store.searchTxs(parseQuery(`transfer.recipient='${chain.addr('bob')}'`)).map((t) => t.height),
    [2n, 4n],
  );
  assert.deepEqual(store.searchTxs(parseQuery("message.action='/cosmos.bank.v1beta1.MsgSend' AND tx.height>=3")).map((t) => t.height), [4n]);
  const tx = json(txs[0]!.txJson);
  assert.deepEqual(Object.keys(tx), ['hash', 'height', 'index', 'tx_result', 'tx']);
  assert.equal(tx.index, 0);
});

test('sync() picks up new blocks; retainBlocks prunes like a pruned node', () => {
  const { world, chain } = tinyDevnet();
  const store = new BlockStore(chain, { retainBlocks: 10 });
  assert.equal(store.height, 0n);
  assert.equal(store.base, 0n);
  const seen: bigint[] = [];
  store.onBlock((b) => seen.push(b.height));
  world.advanceBlocks(chain, 3);
  assert.equal(store.sync(), 3);
  assert.deepEqual(seen, [1n, 2n, 3n]);
  world.advanceBlocks(chain, 100);
  store.sync();
  assert.equal(store.height, 103n);
  assert.ok(store.base > 1n && store.base <= 94n);
  assert.equal(store.at(1n), undefined);
  assert.equal(json(store.at(103n)!.blockBuf).block.header.last_block_id.hash, store.at(102n)!.hash);
});

test('recorded blocks (workload block file) render the same block JSON without a live chain', () => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const live = new BlockStore(chain);
  const rec = recordedSource({ header: { chainId: chain.id, blockTimeNs: chain.params.blockTimeNs.toString() }, blocks: chain.blocks.map((b) => decodeBlock(encodeBlock(b))) }, {
    validators: live.genesisValset.map((v) => ({ operator: v.operator, power: v.power })),
  });
  const replay = new BlockStore(rec);
  assert.equal(replay.version, '0.38');
  assert.equal(replay.height, live.height);
  assert.equal(replay.at(4n)!.resultsBuf.toString(), live.at(4n)!.resultsBuf.toString());
  assert.equal(replay.at(4n)!.blockBuf.toString(), live.at(4n)!.blockBuf.toString());
});

test('tx_search by event values that JSON escapes, surrogates, CONTAINS, EXISTS and numbers: the same txs as matching every tx', () => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const blocks = chain.blocks.map((b) => decodeBlock(encodeBlock(b)));
  // values the stored results hold escaped (quote, backslash, control char) or as multi-byte UTF-8
  const notes = ['say "hi"', 'back\\slash', 'tab\there', 'é → 🐙', '42'];
  let k = 0;
  const note = () => ({ type: 'note', attributes: [{ key: 'text', value: notes[k % notes.length]! }, { key: 'n', value: String(20 + k++) }] });
  for (const b of blocks) for (const r of b.txResults) r.events.push(note(), note());
  // attribute keys and event types with dots: CometBFT matches `type.key` as one string
  blocks.find((b) => b.txResults.length > 0)!.txResults[0]!.events.push({ type: 'wasm', attributes: [{ key: 'a.b', value: 'x' }] }, { type: 'wasm.a', attributes: [{ key: 'b', value: 'y' }] });
  assert.ok(k >= notes.length, `${k} notes`);
  const live = new BlockStore(chain);
  const store = new BlockStore(
    recordedSource({ header: { chainId: chain.id, blockTimeNs: chain.params.blockTimeNs.toString() }, blocks }, { validators: live.genesisValset.map((v) => ({ operator: v.operator, power: v.power })) }),
  );
  const all = Array.from({ length: Number(store.height) }, (_, i) => store.at(BigInt(i + 1))!.txs).flat();
  const queries = [
    `note.text='say "hi"'`,
    `note.text='back\\\\slash'`,
    `note.text CONTAINS '🐙'`,
    `note.text CONTAINS 'é →'`,
    `note.text='42'`,
    `note.n=20`,
    `note.n>=21 AND note.text CONTAINS 'a'`,
    `note.text='absent'`,
    `note.n EXISTS`,
    `note.absent EXISTS`,
    // half of the 🐙 pair: inside the value it is not escaped, alone it would be
    `note.text CONTAINS '\ud83d'`,
    `wasm.a.b='x'`,
    `wasm.a.b='y'`,
    `wasm.a.b EXISTS`,
  ];
  for (const q of queries) {
    const conds = parseQuery(q);
    const expected = all.filter((t) => matches(conds, { 'tx.height': t.height.toString(), 'tx.hash': t.hash, 'tm.event': 'Tx' }, t.events));
    assert.deepEqual(store.searchTxs(conds), expected, q);
  }
  // the queries are not vacuous
  for (const q of [`note.text='say "hi"'`, `note.text CONTAINS '🐙'`, `note.text CONTAINS '\ud83d'`, `note.n EXISTS`]) assert.ok(store.searchTxs(parseQuery(q)).length > 0, q);
  assert.equal(store.searchTxs(parseQuery(`note.n=20`)).length, 1);
  for (const q of [`wasm.a.b='x'`, `wasm.a.b='y'`]) assert.equal(store.searchTxs(parseQuery(q)).length, 1, q);
});

test('a tx result, its events and the block object are read back from the stored block_results and block bytes exactly, non-ASCII included', () => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  // a multi-byte value in the first tx's events shifts the byte offsets of the txs after it
  const blocks = chain.blocks.map((b) => decodeBlock(encodeBlock(b)));
  const first = blocks[1]!.txResults[0]!.events.find((e) => e.attributes.length > 0)!;
  first.attributes = [...first.attributes, { key: 'note', value: 'é → 🐙' }];
  const live = new BlockStore(chain);
  const store = new BlockStore(
    recordedSource({ header: { chainId: chain.id, blockTimeNs: chain.params.blockTimeNs.toString() }, blocks }, { validators: live.genesisValset.map((v) => ({ operator: v.operator, power: v.power })) }),
  );
  for (const h of [2n, 4n]) {
    const b = store.at(h)!;
    const results = json(b.resultsBuf);
    assert.equal(b.txs.length, results.txs_results.length);
    b.txs.forEach((t, i) => {
      assert.equal(t.resultJson, JSON.stringify(results.txs_results[i]));
      // the events too (tx_search, websocket pushes): the block's own, multi-byte value included
      assert.deepEqual(t.events, blocks[Number(h) - 1]!.txResults[i]!.events);
      const tx = json(t.txJson);
      assert.deepEqual(tx.tx_result, results.txs_results[i]);
      assert.equal(tx.tx, Buffer.from(t.bytes).toString('base64'));
      assert.deepEqual([tx.hash, tx.height, tx.index], [t.hash, String(h), i]);
    });
    assert.equal(b.blockInnerJson, JSON.stringify(json(b.blockBuf).block));
  }
  // txs_results as one slice (websocket NewBlock), `null` in a block without txs
  const heights = Array.from({ length: Number(store.height) }, (_, i) => BigInt(i + 1));
  assert.ok(heights.some((h) => store.at(h)!.txs.length === 0) && heights.some((h) => store.at(h)!.txs.length > 1));
  for (const h of heights) assert.equal(store.at(h)!.txsResultsJson, JSON.stringify(json(store.at(h)!.resultsBuf).txs_results));
  assert.match(store.at(2n)!.txs[0]!.resultJson, /é → 🐙/);
});

test('a pruned block is freed: nothing a rendered block keeps points back to the one before it', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const { world, chain } = tinyDevnet();
  const store = new BlockStore(chain, { retainBlocks: 10, follow: true });
  sendBlocks(world, chain);
  const early = new WeakRef(store.at(2n)!);
  world.advanceBlocks(chain, 150);
  assert.equal(store.at(2n), undefined);
  await new Promise((r) => setImmediate(r)); // a WeakRef holds its target until the current job ends
  gc();
  assert.equal(early.deref(), undefined);
});
