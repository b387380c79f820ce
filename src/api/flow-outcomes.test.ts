// flow(txHash) ends a packet with what the source chain saw: an error acknowledgement (the consumer
// refused an unstake) or a timeout (a withdraw_rewards packet the relayer let expire), on a workload
// run. Heights and hashes come from the devnet chains' own blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiOverWorkload } from './api.testkit.ts';
import { attrOf, chainTxs } from './explorer.testkit.ts';

test('flow(txHash) of packets that failed: tx → send → receive with an error ack → ERROR_ACK; tx → send → TIMEOUT', async (t) => {
  const h = await apiOverWorkload({ blocks: 300, users: 8 });
  t.after(() => h.close());
  const txs = new Map(h.chains.map((c) => [c.id, chainTxs(c)] as const));
  const find = (chainId: string, type: string, p: { port: string; channel: string; seq: string }) =>
    txs.get(chainId)!.find((x) => x.events.some((e) => e.type === type && attrOf(e, 'packet_sequence') === p.seq && attrOf(e, 'packet_src_port') === p.port && attrOf(e, 'packet_src_channel') === p.channel))!;
  const gql = `query ($tx: String!) { flow(txHash: $tx) { settled steps { index parentIndex kind chainId height txHash packet { id outcome } description } } }`;

  for (const outcome of ['error', 'timed_out'] as const) {
    // a packet with that outcome whose send tx sent only it (a user tx, not a relayer batch)
    const rows = (
      await h.pool.query(
        `SELECT id, source_chain_id, dest_chain_id, kind, ack_error FROM ibc_packets p WHERE outcome = $1 AND send_tx_hash IS NOT NULL
            AND (SELECT count(*) FROM ibc_packets q WHERE q.send_tx_hash = p.send_tx_hash) = 1 ORDER BY id LIMIT 1`,
        [outcome],
      )
    ).rows;
    assert.equal(rows.length, 1, `the workload run has a user tx whose packet ended ${outcome}`);
    const row = rows[0];
    const [, port, channel, seq] = row.id.split('/');
    const ref = { port, channel, seq };
    const sendTx = find(row.source_chain_id, 'send_packet', ref);
    const r = await h.gql(gql, { tx: sendTx.hash });
    assert.equal(r.errors, undefined);
    const steps = r.data!.flow.steps.map((x: any) => ({ kind: x.kind, parentIndex: x.parentIndex, chainId: x.chainId, height: x.height, txHash: x.txHash, packet: x.packet?.id ?? null }));
    const head = [
      { kind: 'TX', parentIndex: null, chainId: row.source_chain_id, height: sendTx.height, txHash: sendTx.hash, packet: null },
      { kind: 'SEND', parentIndex: 0, chainId: row.source_chain_id, height: sendTx.height, txHash: sendTx.hash, packet: row.id },
    ];
    if (outcome === 'error') {
      const recvTx = find(row.dest_chain_id, 'recv_packet', ref);
      const ackTx = find(row.source_chain_id, 'acknowledge_packet', ref);
      assert.deepEqual(steps, [
        ...head,
        { kind: 'RECEIVE', parentIndex: 1, chainId: row.dest_chain_id, height: recvTx.height, txHash: recvTx.hash, packet: row.id },
        { kind: 'ERROR_ACK', parentIndex: 2, chainId: row.source_chain_id, height: ackTx.height, txHash: ackTx.hash, packet: row.id },
      ]);
      // the consumer's error text, as the ack bytes carry it (spec §2.3)
      const ack = recvTx.events.find((e) => e.type === 'write_acknowledgement' && attrOf(e, 'packet_sequence') === seq)!;
      const error = JSON.parse(Buffer.from(attrOf(ack, 'packet_ack_hex')!, 'hex').toString('utf8')).error as string;
      assert.equal(r.data!.flow.steps[3].description.startsWith(`error ack of ${row.kind}: ${error}`), true);
    } else {
      const timeoutTx = find(row.source_chain_id, 'timeout_packet', ref);
      const resent = r.data!.flow.steps.slice(3);
      assert.deepEqual(steps.slice(0, 3), [...head, { kind: 'TIMEOUT', parentIndex: 1, chainId: row.source_chain_id, height: timeoutTx.height, txHash: timeoutTx.hash, packet: row.id }]);
      // provider packets are not sent again after a timeout (spec §2.5): the flow ends there
      assert.deepEqual(resent, []);
    }
    assert.equal(r.data!.flow.settled, true);
  }
});
