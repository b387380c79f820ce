// Malformed input: blocks carrying an undecodable tx, an event with a broken attribute, a mesh event
// whose amount does not parse, and packets with bad JSON or an unknown variant each produce dead
// letters where they occur; every other row equals the clean run's.
//
// The corruption is applied to the served JSON (the rendered `block` / `block_results` of one height
// per chain), so every other block is served byte for byte as in the clean run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chain } from '../devnet/chain/chain.ts';
import type { Event } from '../devnet/chain/types.ts';
import { BlockStore } from '../devnet/node/block-store.ts';
import { startRpcServer } from '../devnet/rpc/server.ts';
import { txHash } from './decode/block.ts';
import { parseProject } from './config/project.ts';
import { hashes, projectYaml, serve, testDb, workloadDevnet } from './indexer.testkit.ts';
import { runIndexers } from './run.ts';

type Json = Record<string, unknown>;
const attrOf = (e: Event, key: string) => e.attributes.find((a) => a.key === key)?.value;
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const ev = (type: string, attrs: Record<string, string>) => ({ type, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value, index: true })) });

function txEvents(chain: Chain): Event[] {
  return chain.blocks.flatMap((b) => b.txResults.flatMap((r) => (r.code === 0 ? r.events : [])));
}

/** Appends block events (0.38: finalize_block_events, 0.37: end_block_events) and txs to one served block. */
function corrupt(store: BlockStore, height: bigint, extra: { events?: unknown[]; txs?: Uint8Array[] }): void {
  const b = store.at(height)!;
  const results = JSON.parse(b.resultsBuf.toString()) as Json;
  const key = 'finalize_block_events' in results ? 'finalize_block_events' : 'end_block_events';
  results[key] = [...((results[key] as unknown[] | null) ?? []), ...(extra.events ?? [])];
  const block = JSON.parse(b.blockBuf.toString()) as { block: { data: { txs: string[] | null } } };
  for (const tx of extra.txs ?? []) {
    block.block.data.txs = [...(block.block.data.txs ?? []), Buffer.from(tx).toString('base64')];
    results.txs_results = [...((results.txs_results as unknown[] | null) ?? []), { code: 0, data: null, log: '', info: '', gas_wanted: '0', gas_used: '0', events: [], codespace: '' }];
  }
  b.resultsBuf = Buffer.from(JSON.stringify(results));
  b.blockBuf = Buffer.from(JSON.stringify(block));
}

test('malformed input (undecodable tx, broken attributes, bad packet JSON, unknown packet variant) → dead letters; the rest equals the clean run', async (t) => {
  const w = workloadDevnet({ blocks: 60, seed: 5 });
  const [A, B] = w.chains as [Chain, Chain];

  // Clean run → DB a.
  const clean = await serve(w.chains);
  t.after(() => clean.close());
  const a = await testDb();
  t.after(a.close);
  await runIndexers({ project: clean.project, databaseUrl: a.db.url, until: 'tip' });

  // Templates from the real chains: a vault address, a mesh port pair A → B, B's connection to A.
  const realSend = txEvents(A).find((e) => e.type === 'send_packet' && attrOf(e, 'packet_src_port')?.startsWith('wasm.'));
  assert.ok(realSend, 'chain A sent a mesh packet');
  const srcPort = attrOf(realSend, 'packet_src_port')!;
  const dstPort = attrOf(realSend, 'packet_dst_port')!;
  const realRecv = txEvents(B).find((e) => e.type === 'recv_packet' && attrOf(e, 'packet_src_port') === srcPort);
  assert.ok(realRecv, 'chain B received a packet of that port');
  const vaultEvent = txEvents(A).find((e) => e.type === 'wasm' && attrOf(e, 'action') === 'stake_local');
  assert.ok(vaultEvent, 'chain A has a vault stake_local');
  const vault = attrOf(vaultEvent, '_contract_address')!;

  const hA = A.height - 3n;
  const hB = B.height - 2n;
  const SRC_CH = 'channel-900';
  const DST_CH = 'channel-901';
  const packetAttrs = (base: Event, seq: number, data: string) => {
    const o: Record<string, string> = Object.fromEntries(base.attributes.map((x) => [x.key, x.value]));
    delete o.packet_data; // only the hex form: what the mapping reads
    delete o.msg_index;
    return { ...o, packet_src_channel: SRC_CH, packet_dst_channel: DST_CH, packet_sequence: String(seq), packet_data_hex: hex(data) };
  };
  const BAD_JSON = '{"stake":';
  const UNKNOWN = '{"frobnicate":{}}';
  const badTx = new Uint8Array(Buffer.from('not a cosmos tx \xff\xfe\x00', 'latin1'));
  const badTxHash = txHash(badTx);

  const stores = [new BlockStore(A), new BlockStore(B)] as const;
  const nA = stores[0].at(hA)!;
  const endOffsetA = JSON.parse(nA.resultsBuf.toString()) as Json;
  const blockEventsBeforeA = ((endOffsetA.finalize_block_events ?? endOffsetA.end_block_events) as unknown[] | null)?.length ?? 0;
  const txCountA = nA.txs.length;
  corrupt(stores[0], hA, {
    txs: [badTx],
    events: [
      ev('wasm', { _contract_address: vault, action: 'stake_local', sender: attrOf(vaultEvent, 'sender')!, amount: '12abc' }), // mesh event, bad amount
      ev('send_packet', packetAttrs(realSend, 1, BAD_JSON)),
      ev('send_packet', packetAttrs(realSend, 2, UNKNOWN)),
      // structurally broken: an attribute without a key
      { type: 'wasm-valset_update', attributes: [{ key: '_contract_address', value: vault, index: true }, { value: 'v', index: true }] },
    ],
  });
  corrupt(stores[1], hB, {
    events: [ev('recv_packet', { ...packetAttrs(realRecv, 1, BAD_JSON), packet_src_port: srcPort, packet_dst_port: dstPort }), ev('recv_packet', { ...packetAttrs(realRecv, 2, UNKNOWN), packet_src_port: srcPort, packet_dst_port: dstPort })],
  });

  const servers = await Promise.all(stores.map((s) => startRpcServer(s)));
  t.after(async () => void (await Promise.all(servers.map((s) => s.close()))));
  const yaml = projectYaml(w.chains.map((chain, i) => ({ chain, urls: [servers[i]!.url] })));
  const b = await testDb();
  t.after(b.close);
  await runIndexers({ project: parseProject(yaml), databaseUrl: b.db.url, until: 'tip' });

  // Dead letters: one (or more) per injected problem, at its chain, height and location.
  const { rows: dead } = await b.pool.query<{ chain_id: string; height: number; kind: string; reason: string; tx_hash: string | null; msg_index: number | null; event_index: number | null; raw: string | null }>(
    'SELECT chain_id, height, kind, reason, tx_hash, msg_index, event_index, raw FROM dead_letters ORDER BY chain_id, height, event_index NULLS FIRST, reason',
  );
  for (const d of dead) t.diagnostic(`dead letter: ${JSON.stringify(d)}`);
  const find = (chain: string, height: bigint, kind: string, pred: (d: (typeof dead)[number]) => boolean) => dead.filter((d) => d.chain_id === chain && d.height === Number(height) && d.kind === kind && pred(d));
  const base = blockEventsBeforeA; // index of the first appended block event

  const undecodable = find(A.id, hA, 'tx', (d) => d.tx_hash === badTxHash && /undecodable tx/.test(d.reason));
  assert.equal(undecodable.length, 1, `undecodable tx ${badTxHash} (index ${txCountA})`);
  assert.equal(undecodable[0]!.raw, Buffer.from(badTx).toString('base64'));

  const badAmount = find(A.id, hA, 'event', (d) => d.tx_hash === null && /12abc/.test(d.reason) && /^wasm:/.test(d.reason));
  assert.equal(badAmount.length, 1, 'stake_local with amount 12abc');

  const sendBad = find(A.id, hA, 'packet', (d) => /^send_packet: packet data does not decode/.test(d.reason) && d.raw === BAD_JSON);
  const sendUnknown = find(A.id, hA, 'packet', (d) => /^send_packet: packet data does not decode/.test(d.reason) && d.raw === UNKNOWN);
  const recvBad = find(B.id, hB, 'packet', (d) => /^recv_packet: packet data does not decode/.test(d.reason) && d.raw === BAD_JSON);
  const recvUnknown = find(B.id, hB, 'packet', (d) => /^recv_packet: packet data does not decode/.test(d.reason) && d.raw === UNKNOWN);
  assert.deepEqual([sendBad.length, sendUnknown.length, recvBad.length, recvUnknown.length], [1, 1, 1, 1], 'a packet dead letter per injected half');
  // Event indices: the appended block events follow the block's own, in order (the indexer numbers
  // begin and end events separately, so the first index depends on the split).
  const eventIdx = [badAmount, sendBad, sendUnknown].map((l) => l[0]!.event_index!);
  assert.deepEqual(eventIdx, [eventIdx[0]!, eventIdx[0]! + 1, eventIdx[0]! + 2], `consecutive event indices (after ${base} served block events)`);
  const [r1, r2] = [recvBad[0]!.event_index!, recvUnknown[0]!.event_index!];
  assert.equal(r2, r1 + 1);
  for (const d of [...badAmount, ...sendBad, ...sendUnknown, ...recvBad, ...recvUnknown]) assert.equal(d.msg_index, null);
  const keyless = find(A.id, hA, 'event', (d) => /wasm-valset_update event attribute 1 has no key/.test(d.reason));
  assert.equal(keyless.length, 1, 'an attribute without a key');
  assert.equal(dead.length, 7, 'no other dead letters');

  // The injected packets get a row each (kind unknown, both halves merged); nothing else differs.
  const injected = [1, 2].map((s) => `${A.id}/${srcPort}/${SRC_CH}/${s}`);
  const { rows: pk } = await b.pool.query<{ id: string; kind: string; send_height: number | null; recv_height: number | null; dest_chain_id: string | null; outcome: string }>(
    'SELECT id, kind, send_height, recv_height, dest_chain_id, outcome FROM ibc_packets WHERE id = ANY($1) ORDER BY id',
    [injected],
  );
  assert.deepEqual(
    pk.map((r) => ({ ...r })),
    injected.map((id) => ({ id, kind: 'unknown', send_height: Number(hA), recv_height: Number(hB), dest_chain_id: B.id, outcome: 'received' })),
  );

  const want = await hashes(a.pool);
  const got = await hashes(b.pool);
  const { dead_letters: _dl1, ibc_packets: _p1, ...wantRest } = want;
  const { dead_letters: _dl2, ibc_packets: _p2, ...gotRest } = got;
  assert.deepEqual(gotRest, wantRest, 'every other table equals the clean run');
  // ibc_packets without the injected rows equals the clean run's ibc_packets.
  await b.pool.query('DELETE FROM ibc_packets WHERE id = ANY($1)', [injected]);
  assert.equal((await hashes(b.pool)).ibc_packets, want.ibc_packets, 'ibc_packets apart from the injected ids');
});
