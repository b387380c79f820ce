// packetUpdated: a packet is reported when a commit of its source chain covers its send,
// acknowledgement or timeout height, or a commit of its destination chain covers its receive height,
// naming the stages in that commit; the pairingId filter selects one pairing's packets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { platformApi } from '../plugins/platform.testkit.ts';
import { collect, insertPacket, listenerPid, notifyCommit, subscribers, timeAt, wsClient } from './subscriptions.testkit.ts';

const FIELDS = 'id pairingId kind sequence sourceChainId destChainId outcome chainId stages height time sendHeight recvHeight ackHeight timeoutHeight recvSuccess latencyMs';

test('packetUpdated follows a packet through send, receive and acknowledgement', async (t) => {
  const h = await platformApi();
  t.after(() => h.close());
  await listenerPid(h.pool);
  const client = wsClient(h.api);
  t.after(() => client.dispose());
  const pairing = collect(client, `subscription { packetUpdated(pairingId: "osmo-juno") { ${FIELDS} } }`);
  const other = collect(client, `subscription { packetUpdated(pairingId: "juno-osmo") { id stages } }`);
  // the payload links to the explorer's Packet, read afresh for every event
  const linked = collect(client, `subscription { packetUpdated { id packet { outcome receive { height success } acknowledgement { height } } } }`);
  await subscribers(h.api, 3);

  const osmo = 'osmo-devnet-1';
  const juno = 'juno-devnet-1';
  const id = await insertPacket(h.pool, { sequence: 7, pairingId: 'osmo-juno', source: osmo, dest: juno, sendHeight: 20 });
  await notifyCommit(h.pool, { chainId: osmo, fromHeight: 18, toHeight: 20, time: timeAt(20) });
  // (each event shows the row as it is when sent: the next update waits for it)
  await Promise.all([pairing.waitFor(1), linked.waitFor(1)]);
  // the destination chain receives it at its own height 15
  await h.pool.query(`UPDATE ibc_packets SET recv_height = 15, recv_time = $2, recv_success = true, ack = '{"result":"e30="}', outcome = 'received' WHERE id = $1`, [id, timeAt(22)]);
  await notifyCommit(h.pool, { chainId: juno, fromHeight: 15, toHeight: 15, time: timeAt(22) });
  // a juno commit that does not cover the receive height says nothing about it
  await notifyCommit(h.pool, { chainId: juno, fromHeight: 16, toHeight: 16, time: timeAt(23) });
  await Promise.all([pairing.waitFor(2), linked.waitFor(2)]);
  await h.pool.query(`UPDATE ibc_packets SET ack_height = 25, ack_time = $2, outcome = 'acknowledged', latency_ms = 25000 WHERE id = $1`, [id, timeAt(25)]);
  await notifyCommit(h.pool, { chainId: osmo, fromHeight: 21, toHeight: 26, time: timeAt(26) });

  const got = (await pairing.waitFor(3)).map((e) => e.data!.packetUpdated);
  const base = { id, pairingId: 'osmo-juno', kind: 'stake', sequence: '7', sourceChainId: osmo, destChainId: juno, sendHeight: 20, timeoutHeight: null };
  assert.deepEqual(got, [
    { ...base, outcome: 'pending', chainId: osmo, stages: ['SEND'], height: 20, time: timeAt(20), recvHeight: null, ackHeight: null, recvSuccess: null, latencyMs: null },
    { ...base, outcome: 'received', chainId: juno, stages: ['RECEIVE'], height: 15, time: timeAt(22), recvHeight: 15, ackHeight: null, recvSuccess: true, latencyMs: null },
    { ...base, outcome: 'acknowledged', chainId: osmo, stages: ['ACKNOWLEDGEMENT'], height: 25, time: timeAt(25), recvHeight: 15, ackHeight: 25, recvSuccess: true, latencyMs: 25000 },
  ]);

  assert.deepEqual((await linked.waitFor(3)).map((e) => e.data!.packetUpdated.packet), [
    { outcome: 'PENDING', receive: null, acknowledgement: null },
    { outcome: 'RECEIVED', receive: { height: 15, success: true }, acknowledgement: null },
    { outcome: 'ACKNOWLEDGED', receive: { height: 15, success: true }, acknowledgement: { height: 25 } },
  ]);

  // a packet of the other pairing goes to the other subscriber only; send and timeout in one commit
  const back = await insertPacket(h.pool, { sequence: 1, pairingId: 'juno-osmo', source: juno, dest: osmo, sendHeight: 30 });
  await h.pool.query(`UPDATE ibc_packets SET timeout_height = 31, timeout_time = $2, outcome = 'timed_out' WHERE id = $1`, [back, timeAt(31)]);
  await notifyCommit(h.pool, { chainId: juno, fromHeight: 17, toHeight: 31, time: timeAt(31) });
  assert.deepEqual((await other.waitFor(1)).map((e) => e.data!.packetUpdated), [{ id: back, stages: ['SEND', 'TIMEOUT'] }]);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(pairing.events.length, 3);
  assert.equal(other.events.length, 1);
});
