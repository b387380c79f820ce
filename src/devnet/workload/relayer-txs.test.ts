// Regression: the workload's relayer sent a bare MsgUpdateClient (no header: its update_client event
// read consensus_height 1-0) and packet messages without proof heights, unlike Hermes and unlike the
// scenario relayer. Each of its txs now updates the client to the counterparty's latest header and
// proves its packets at that height, which is after the block that wrote the packet or ack (a
// reviewer found packets relayed with a proof at the very height that committed them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { MSG } from '../chain/msgs.ts';
import { revisionOf } from '../ibc/commitment.ts';
import { Workload } from './run.ts';

const PACKET_MSGS: string[] = [MSG.recvPacket, MSG.acknowledgement, MSG.timeout, MSG.timeoutOnClose];

test("regression: the workload relayer's MsgUpdateClient carries the counterparty's latest header, and its packet messages prove at that height", () => {
  const w = new Workload({ seed: 4, blocks: 120, invariants: false, topologyOptions: { users: 30 } });
  // deployment opens the channels with the scenario relayer (World.relay), which relays at once
  const deployed = new Map(w.chains.map((c) => [c.id, c.height]));
  w.runFast();
  const byId = new Map(w.chains.map((c) => [c.id, c]));
  // where each packet was sent and its ack written: chain id / port / channel / sequence → height
  const written = new Map<string, bigint>();
  for (const chain of w.chains) {
    for (const block of chain.blocks) {
      for (const e of [...block.beginEvents, ...block.txResults.flatMap((r) => r.events), ...block.endEvents]) {
        const a = (k: string) => e.attributes.find((x) => x.key === k)?.value;
        if (e.type === 'send_packet') written.set(`send ${chain.id}/${a('packet_src_port')}/${a('packet_src_channel')}/${a('packet_sequence')}`, block.height);
        if (e.type === 'write_acknowledgement') written.set(`ack ${chain.id}/${a('packet_dst_port')}/${a('packet_dst_channel')}/${a('packet_sequence')}`, block.height);
      }
    }
  }
  const seen = new Map<string, number>();
  for (const chain of w.chains) {
    for (const block of chain.blocks) {
      if (block.height <= deployed.get(chain.id)!) continue;
      block.txs.forEach((tx, i) => {
        if (tx.msgs[0]?.typeUrl !== MSG.updateClient) return;
        const at = `${chain.id} height ${block.height} tx ${i}`;
        const any = tx.msgs[0].value.clientMessage as { typeUrl: string; value: Uint8Array } | undefined;
        assert.equal(any?.typeUrl, '/ibc.lightclients.tendermint.v1.Header', `${at}: a header`);
        const header = Header.decode(any!.value).signedHeader!.header!;
        const counterparty = byId.get(header.chainId);
        assert.ok(counterparty && counterparty !== chain, `${at}: the header is the counterparty's (${header.chainId})`);
        // the counterparty's latest block when the tx was made: it exists and has the header's time
        const cpBlock = counterparty.blocks[Number(header.height) - 1];
        assert.equal(cpBlock?.height, header.height, `${at}: a counterparty block at the header's height`);
        assert.equal(header.time!.seconds * 1_000_000_000n + BigInt(header.time!.nanos), cpBlock.time, `${at}: the header's time`);
        assert.ok(cpBlock.time <= block.time, `${at}: a header from before the block`);

        const height = `${revisionOf(counterparty.id)}-${header.height}`;
        const update = block.txResults[i]!.events.find((e) => e.type === 'update_client');
        assert.equal(update?.attributes.find((a) => a.key === 'consensus_height')?.value, height, `${at}: update_client consensus_height`);
        for (const m of tx.msgs.slice(1)) {
          assert.ok(PACKET_MSGS.includes(m.typeUrl), `${at}: ${m.typeUrl}`);
          assert.deepEqual(m.value.proofHeight, { revisionNumber: revisionOf(counterparty.id), revisionHeight: header.height }, `${at}: ${m.typeUrl} proof height`);
          assert.equal(m.value.signer, tx.signer, `${at}: ${m.typeUrl} signer`);
          const p = m.value.packet as { sourcePort: string; sourceChannel: string; destinationPort: string; destinationChannel: string; sequence: bigint };
          const wrote =
            m.typeUrl === MSG.recvPacket
              ? written.get(`send ${counterparty.id}/${p.sourcePort}/${p.sourceChannel}/${p.sequence}`)
              : m.typeUrl === MSG.acknowledgement
                ? written.get(`ack ${counterparty.id}/${p.destinationPort}/${p.destinationChannel}/${p.sequence}`)
                : undefined;
          if (m.typeUrl === MSG.recvPacket || m.typeUrl === MSG.acknowledgement) {
            assert.ok(wrote !== undefined && wrote < header.height, `${at}: ${m.typeUrl} proven at ${header.height}, after the block that wrote it (${wrote})`);
          }
          seen.set(m.typeUrl, (seen.get(m.typeUrl) ?? 0) + 1);
        }
      });
    }
  }
  assert.ok((seen.get(MSG.recvPacket) ?? 0) > 20 && (seen.get(MSG.acknowledgement) ?? 0) > 20, `packets were relayed both ways: ${JSON.stringify([...seen])}`);
});
