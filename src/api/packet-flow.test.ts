// flow(txHash) follows a user's stake_remote from the provider tx through its packet to the consumer
// tx that received it and the acknowledgement back on the provider (spec V21 scenario: the relayer
// receives and acknowledges three stake packets in one tx each way). Heights and hashes come from the
// devnet chains' own blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiOverScenario, attrOf, chainTxs, isWasm } from './explorer.testkit.ts';

test('flow(txHash) of a stake_remote: tx → stake packet → consumer recv → ack on the provider', async (t) => {
  const h = await apiOverScenario('v21-distribute-burn-1.yaml');
  t.after(() => h.close());
  const { s } = h;
  const alice = s.ref('provider', '@alice');
  const val1 = s.ref('consumer', '@val1');
  const providerTxs = chainTxs(s.chain('provider'));
  const consumerTxs = chainTxs(s.chain('consumer'));

  // alice's first stake_remote (100 on val1) and the packet it sent
  const stakeTx = providerTxs.find((x) => x.events.some(isWasm('stake_remote')))!;
  const send = stakeTx.events.find((e) => e.type === 'send_packet')!;
  const seq = attrOf(send, 'packet_sequence')!;
  const port = attrOf(send, 'packet_src_port')!;
  const channel = attrOf(send, 'packet_src_channel')!;
  const samePacket = (type: string) => (e: { type: string; attributes: Array<{ key: string; value: string }> }) =>
    e.type === type && attrOf(e, 'packet_sequence') === seq && attrOf(e, 'packet_src_port') === port && attrOf(e, 'packet_src_channel') === channel;
  const recvTx = consumerTxs.find((x) => x.events.some(samePacket('recv_packet')))!;
  const ackTx = providerTxs.find((x) => x.events.some(samePacket('acknowledge_packet')))!;
  assert.ok(recvTx && ackTx);
  // the relayer batched: the consumer tx received all three stake packets
  assert.equal(recvTx.events.filter((e) => e.type === 'recv_packet').length, 3);

  const r = await h.gql(
    `query ($tx: String!) { flow(txHash: $tx) { txHash chainId height time settled packets { id }
       steps { index parentIndex kind chainId height time txHash packet { id kind outcome } description effects { table kind staker amount status txId } } } }`,
    { tx: stakeTx.hash.toLowerCase() },
  );
  assert.equal(r.errors, undefined);
  const f = r.data!.flow;
  const packetId = `provider/${port}/${channel}/${seq}`;
  assert.deepEqual(
    { txHash: f.txHash, chainId: f.chainId, height: f.height, time: f.time, settled: f.settled, packets: f.packets },
    { txHash: stakeTx.hash, chainId: 'provider', height: stakeTx.height, time: stakeTx.time.toISOString(), settled: true, packets: [{ id: packetId }] },
  );
  const where = f.steps.map((x: any) => ({ index: x.index, parentIndex: x.parentIndex, kind: x.kind, chainId: x.chainId, height: x.height, time: x.time, txHash: x.txHash, packet: x.packet?.id ?? null }));
  assert.deepEqual(where, [
    { index: 0, parentIndex: null, kind: 'TX', chainId: 'provider', height: stakeTx.height, time: stakeTx.time.toISOString(), txHash: stakeTx.hash, packet: null },
    { index: 1, parentIndex: 0, kind: 'SEND', chainId: 'provider', height: stakeTx.height, time: stakeTx.time.toISOString(), txHash: stakeTx.hash, packet: packetId },
    { index: 2, parentIndex: 1, kind: 'RECEIVE', chainId: 'consumer', height: recvTx.height, time: recvTx.time.toISOString(), txHash: recvTx.hash, packet: packetId },
    { index: 3, parentIndex: 2, kind: 'ACKNOWLEDGE', chainId: 'provider', height: ackTx.height, time: ackTx.time.toISOString(), txHash: ackTx.hash, packet: packetId },
  ]);
  assert.equal(f.steps[1].description, `sent stake 100stake of ${alice} on ${val1} (tx_id 1)`);
  // what the tx did (spec §1.1, §1.4): the vault's lien and the pending stake; the ack commits them —
  // and only tx 1's rows, though the same ack tx settled tx 2 and tx 3 too (spec §4.9 vault ids)
  const kinds = (x: any) => x.effects.map((e: any) => `${e.table}:${e.kind}:${e.amount}:${e.status ?? ''}:${e.txId ?? ''}`).sort();
  assert.deepEqual(kinds(f.steps[0]), ['delegation_events:stake:100:pending:1', 'lien_events:stake_remote:100::1', 'pending_txs:in_flight_remote_staking:100:pending:1', 'pending_txs:in_flight_staking:100:pending:1']);
  assert.deepEqual(kinds(f.steps[3]), ['delegation_events:stake:100:committed:1', 'lien_events:commit:100::1', 'pending_txs:in_flight_remote_staking:100:committed:1', 'pending_txs:in_flight_staking:100:committed:1']);
  assert.ok(f.steps[3].effects.every((e: any) => e.staker === alice));
});

test('flow(txHash): a malformed hash is BAD_USER_INPUT, an unknown one is null', async (t) => {
  const h = await apiOverScenario('v19-converter-stake-unstake.yaml');
  t.after(() => h.close());
  const bad = await h.gql('{ flow(txHash: "not-a-hash") { txHash } }');
  assert.equal(bad.status, 200);
  assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const unknown = await h.gql(`{ flow(txHash: "${'0A'.repeat(32)}") { txHash } }`);
  assert.deepEqual(unknown, { status: 200, data: { flow: null } });
});
