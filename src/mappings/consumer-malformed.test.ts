// Bad input on the consumer side and IBC: malformed packet JSON and unknown packet variants are kept as
// 'packet' dead letters (row with kind 'unknown', payload null), malformed attributes dead-letter their
// event, and indexing goes on: the replica and the other rows are exactly as without them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioFile, runScenario } from '../devnet/scenario/runner.ts';
import { Router, mapBlock } from '../indexer/route.ts';
import type { ChainEvent, DecodedBlock } from '../indexer/types.ts';
import { CONSUMER_MAPPINGS, indexDevnet, rowsOf } from './consumer.testkit.ts';
import { ibcPacketMerge } from './ibc.ts';
import { vsState } from './virtual-staking.ts';
import type { IbcPacket } from '../db/generated/entities.ts';

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const ev = (type: string, index: number, attrs: Record<string, string>): ChainEvent => ({ type, index, msgIndex: 0, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })) });

test('malformed packet JSON, unknown variants and bad attributes → dead letters; everything else identical', async () => {
  const { devnet } = runScenario(loadScenarioFile(new URL('../../scenarios/vectors/v19-converter-stake-unstake.yaml', import.meta.url).pathname));
  const p = [...devnet.pairings.values()][0]!;
  const indexed = await indexDevnet(devnet);
  const prov = indexed.get(p.provider.id)!;
  const cons = indexed.get(p.consumer.id)!;
  const before = JSON.stringify(vsState(cons.replica, p.virtualStaking), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  const extPort = `wasm.${p.externalStaking}`;
  const convPort = `wasm.${p.converter}`;
  const sendAttrs = (seq: number, data: string) => ({
    packet_data_hex: hex(data),
    packet_timeout_timestamp: '99999999999999999999',
    packet_sequence: String(seq),
    packet_src_port: extPort,
    packet_src_channel: p.providerChannel!,
    packet_dst_port: convPort,
    packet_dst_channel: p.consumerChannel!,
    connection_id: p.providerConnection,
  });
  const height = Number(p.provider.height) + 1;
  const block: DecodedBlock = {
    chainId: p.provider.id,
    height,
    timeNs: 0n,
    time: new Date(0),
    hash: 'ff',
    beginEvents: [],
    endEvents: [],
    problems: [],
    txs: [
      {
        hash: 'AA',
        index: 0,
        code: 0,
        codespace: '',
        log: '',
        msgs: [{ typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract' }],
        events: [
          ev('send_packet', 0, sendAttrs(9001, '{"stake":{"delegator":')), // malformed JSON
          ev('send_packet', 1, sendAttrs(9002, '{"frobnicate":{}}')), // unknown variant
          ev('send_packet', 2, { ...sendAttrs(9003, '{}'), packet_sequence: 'x' }), // bad attribute
          ev('send_packet', 3, sendAttrs(9004, JSON.stringify({ burn: { validators: ['v'], burn: { denom: 'stake', amount: '1' } } }))), // fine
        ],
      },
    ],
  };
  const router = new Router(CONSUMER_MAPPINGS);
  const noQuery = async () => {
    throw new Error('no query expected');
  };
  await mapBlock(block, router, { replica: prov.replica, contracts: prov.contracts, out: prov.out, mappings: CONSUMER_MAPPINGS, query: noQuery });
  const dead = rowsOf(prov, 'DeadLetter');
  assert.equal(dead.length, 3);
  assert.deepEqual(dead.map((d) => d.kind).sort(), ['event', 'packet', 'packet']);
  assert.ok(dead.some((d) => d.kind === 'packet' && d.raw === '{"stake":{"delegator":'));
  assert.ok(dead.some((d) => d.kind === 'packet' && d.raw === '{"frobnicate":{}}'));
  const rows = new Map(rowsOf(prov, 'IbcPacket').map((r) => [r.id, r]));
  const id = (seq: number) => `${p.provider.id}/${extPort}/${p.providerChannel}/${seq}`;
  for (const seq of [9001, 9002]) {
    const r = rows.get(id(seq))!;
    assert.equal(r.kind, 'unknown');
    assert.equal(r.payload, null);
    assert.equal(r.outcome, 'pending');
  }
  assert.equal(rows.has(id(9003)), false);
  assert.equal(rows.get(id(9004))!.kind, 'burn');

  // A consumer event with a bad amount dead-letters and leaves virtual staking untouched.
  const cblock: DecodedBlock = { ...block, chainId: p.consumer.id, height: Number(p.consumer.height) + 1, txs: [{ ...block.txs[0]!, events: [ev('wasm-mesh-bond', 0, { _contract_address: p.converter, validator: 'v', amount: '12abc' })] }] };
  await mapBlock(cblock, router, { replica: cons.replica, contracts: cons.contracts, out: cons.out, mappings: CONSUMER_MAPPINGS, query: noQuery });
  assert.equal(rowsOf(cons, 'DeadLetter').length, 1);
  assert.equal(JSON.stringify(vsState(cons.replica, p.virtualStaking), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), before);
});

test('ibcPacketMerge: any order, idempotent; outcome by rank, latency from the merged times', () => {
  const base = { id: 'a/p/c/1', sourceChainId: 'a', sourcePort: 'p', sourceChannel: 'c', sequence: 1n, pairingId: null, destChainId: null, destPort: null, destChannel: null, payload: null, era: null, timeoutTimestamp: null, sendHeight: null, sendTime: null, sendTxHash: null, recvHeight: null, recvTime: null, recvTxHash: null, recvSuccess: null, ack: null, ackError: null, ackHeight: null, ackTime: null, ackTxHash: null, timeoutHeight: null, timeoutTime: null, timeoutTxHash: null, latencyMs: null };
  const send: IbcPacket = { ...base, kind: 'stake', payload: { stake: {} }, sendHeight: 5, sendTime: new Date(1000), outcome: 'pending' };
  const recv: IbcPacket = { ...base, kind: 'stake', destChainId: 'b', recvHeight: 3, recvTime: new Date(3000), recvSuccess: false, ack: '{"error":"x"}', ackError: 'x', outcome: 'error' };
  const ack: IbcPacket = { ...base, kind: 'unknown', ackHeight: 7, ackTime: new Date(6000), ack: '{"error":"x"}', ackError: 'x', outcome: 'error' };
  const orders: IbcPacket[][] = [[send, recv, ack], [ack, recv, send], [recv, send, ack], [ack, send, recv]];
  const results = orders.map((o) => JSON.stringify(o.reduce((s, x) => ibcPacketMerge(s, x)), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  assert.equal(new Set(results).size, 1);
  const m = [send, recv, ack].reduce((s, x) => ibcPacketMerge(s, x));
  assert.equal(m.outcome, 'error');
  assert.equal(m.kind, 'stake');
  assert.equal(m.latencyMs, 5000);
  assert.deepEqual(ibcPacketMerge(m, ack), m);
  assert.equal(ibcPacketMerge({ ...send }, { ...ack, ackError: null, ack: '{"result":"e30="}', outcome: 'acknowledged' }).outcome, 'acknowledged');
});
