// Malformed input reaching the external-staking mapping: dead-lettered with its reason, the replica
// left as it was, and indexing goes on with the next event (hand-built blocks on top of a real chain).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenarioFile, runScenario } from '../devnet/scenario/runner.ts';
import { Router, mapBlock } from '../indexer/route.ts';
import type { ChainEvent, DecodedBlock } from '../indexer/types.ts';
import * as crdt from '../protocol/crdt.ts';
import { ES_MAPPINGS, compareExternalStaking, indexAndCheck } from './external-staking-compare.testkit.ts';
import { ExternalStakingState } from './external-staking-state.ts';

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const ev = (type: string, msgIndex: number, attrs: Record<string, string>): Omit<ChainEvent, 'index'> => ({ type, msgIndex, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })) });

test('bad packets and events are dead-lettered, the replica is untouched, and the next message is still indexed', async () => {
  const report = runScenario(loadScenarioFile(new URL('../../scenarios/vectors/v14-external-staking-distribution.yaml', import.meta.url).pathname));
  const p = [...report.devnet.pairings.values()][0]!;
  const chain = p.provider;
  const r = await indexAndCheck(chain);
  assert.deepEqual(r.mismatches, []);
  const es = p.externalStaking;
  const port = `wasm.${es}`;
  const st = new ExternalStakingState(r.replica, es);
  const [user, validator, before] = st.allStakes()[0]!;
  let seq = 1000;
  const recv = (m: number, data: string, ack = '{"result":"e30="}'): Array<Omit<ChainEvent, 'index'>> => {
    const s = String(seq++);
    return [
      ev('recv_packet', m, { packet_data_hex: hex(data), packet_sequence: s, packet_dst_port: port, packet_dst_channel: 'channel-0' }),
      ev('wasm-valset_update', m, { _contract_address: es }),
      ev('write_acknowledgement', m, { packet_sequence: s, packet_dst_port: port, packet_dst_channel: 'channel-0', packet_ack_hex: hex(ack) }),
    ];
  };
  const addition = (valoper: string) => JSON.stringify({ valset_update: { height: 999, time: 1, additions: [{ valoper, pub_key: 'TODO' }], removals: [], updated: [], jailed: [], unjailed: [], tombstoned: [], slashed: [] } });
  const events = [
    ...recv(0, '{"valset_update":'), // bad JSON
    ...recv(1, '{"teleport":{}}'), // unknown variant
    ev('wasm', 2, { _contract_address: es, action: 'receive_virtual_stake', amount: '5', tx_id: '77' }), // no owner
    ev('wasm', 3, { _contract_address: es, action: 'unstake', amount: '999999999', owner: user }), // more than staked
    ev('send_packet', 3, { packet_src_port: port, packet_src_channel: 'channel-0', packet_sequence: '500', packet_data_hex: hex(`{"unstake":{"delegator":"${user}","validator":"${validator}","unstake":{"denom":"osmo","amount":"999999999"},"tx_id":9223372036854775900}}`) }),
    ev('wasm', 4, { _contract_address: es, packet_type: 'stake', success: 'true', tx_id: 'abc' }), // ack with a bad tx id
    ...recv(5, addition('meshvaloper1errorack'), '{"error":"ABCI code: 5: error handling packet: see events for details"}'), // rolled back
    ...recv(6, addition('meshvaloper1late')), // a good packet after all that
  ].map((e, index) => ({ ...e, index }));
  const height = chain.height + 1n;
  const block: DecodedBlock = {
    chainId: chain.id,
    height: Number(height),
    timeNs: chain.time + 5_000_000_000n,
    time: new Date(Number((chain.time + 5_000_000_000n) / 1_000_000n)),
    hash: 'FF',
    txs: [{ hash: 'AB', index: 0, code: 0, codespace: '', log: '', msgs: [0, 1, 2, 3, 4, 5, 6].map(() => ({ typeUrl: '/ibc.core.channel.v1.MsgRecvPacket' })), events }],
    beginEvents: [],
    endEvents: [],
    problems: [],
  };
  const validatorsBefore = st.allValsets().length;
  await mapBlock(block, new Router(ES_MAPPINGS), { replica: r.replica, contracts: r.contracts, out: r.out, mappings: ES_MAPPINGS, query: async () => undefined });
  const dead = r.out.batches().filter((b) => b.entity === 'DeadLetter').flatMap((b) => [...b.rows.values()]) as Array<{ kind: string; reason: string; msgIndex: number | null; height: number }>;
  const at = (m: number) => dead.filter((d) => d.msgIndex === m && d.height === Number(height));
  assert.equal(at(0).length, 1);
  assert.equal(at(0)[0]!.kind, 'packet');
  assert.match(at(0)[0]!.reason, /consumer packet/);
  assert.equal(at(1).length, 1);
  assert.equal(at(1)[0]!.kind, 'packet');
  assert.equal(at(2)[0]!.kind, 'event');
  assert.match(at(2)[0]!.reason, /"owner"/);
  assert.equal(at(3)[0]!.kind, 'event');
  assert.match(at(3)[0]!.reason, /unstake/);
  assert.equal(at(4)[0]!.kind, 'event');
  assert.match(at(4)[0]!.reason, /tx_id/);
  assert.deepEqual(at(5), [], 'an error ack is no dead letter: the contract rolled back');
  assert.deepEqual(at(6), []);
  // nothing of the bad input reached the replica…
  assert.deepEqual(st.stake(user, validator), before);
  assert.equal(st.tx(77n), undefined);
  assert.equal(st.valset('meshvaloper1errorack'), undefined);
  // …and the last good packet did
  assert.equal(crdt.latestStatus(st.valset('meshvaloper1late')), 'active');
  assert.equal(st.allValsets().length, validatorsBefore + 1);
  // the real contract state is still matched for everything the hand-built block did not invent
  const mism = compareExternalStaking(chain, es, r.replica).filter((m) => !m.startsWith('list_validators'));
  assert.deepEqual(mism, []);
});
