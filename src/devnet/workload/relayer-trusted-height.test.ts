// Regression: the relayers' MsgUpdateClient trusted the header's height − 1, a height the client
// often never held (a reviewer counted 47 of 464 updates), and the devnet's light client checked
// nothing. Clients now keep their consensus heights (ibc/light-clients.ts) and every update trusts
// the client's latest height as of the block, as Hermes does. A second review found packets of one
// relayer tx on two connections (two clients) under one update: their proofs named a height their own
// client never held. Txs now go by client, and a proof height must be held by the packet's client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { MSG } from '../chain/msgs.ts';
import type { Ibc } from '../ibc/ibc.ts';
import { Workload } from './run.ts';

test("regression: every relayer MsgUpdateClient trusts its client's latest consensus height, none fails, and each packet's proof height is held by its own client", () => {
  const w = new Workload({ seed: 4, blocks: 120, invariants: false, topologyOptions: { users: 30 } });
  // clients as deployment left them (its relaying is the scenario relayer's, World.relay)
  const latest = new Map<string, bigint>();
  const deployed = new Map(w.chains.map((c) => [c.id, c.height]));
  for (const chain of w.chains) {
    const ibc = chain.module<Ibc>('ibc');
    for (const conn of ibc.connections.values()) latest.set(`${chain.id} ${conn.clientId}`, ibc.clients.latestHeight(conn.clientId)!);
  }
  w.runFast();
  let updates = 0;
  let packets = 0;
  let duplicates = 0;
  let expectedDuplicates = 0;
  for (const chain of w.chains) {
    for (const block of chain.blocks) {
      if (block.height <= deployed.get(chain.id)!) continue;
      // txs of one block were built before it: they all trust the latest height as the block began
      const atStart = new Map(latest);
      const updatedHere = new Set<string>();
      block.txs.forEach((tx, i) => {
        const m = tx.msgs[0];
        if (m?.typeUrl !== MSG.updateClient) return;
        const at = `${chain.id} height ${block.height} tx ${i}`;
        const clientId = m.value.clientId as string;
        const h = Header.decode((m.value.clientMessage as { value: Uint8Array }).value);
        const k = `${chain.id} ${clientId}`;
        assert.equal(h.trustedHeight!.revisionHeight, atStart.get(k), `${at}: trusts the client's latest height`);
        const r = block.txResults[i]!;
        assert.doesNotMatch(r.log, /message index: 0|consensus state not found|client state height/, `${at}: the update succeeded, and no proof height was refused`);
        updates++;
        // every packet of the tx is on a channel whose connection has this client, proven at the header
        const ibc = chain.module<Ibc>('ibc');
        for (const pm of tx.msgs.slice(1)) {
          const p = pm.value.packet as { sourcePort: string; sourceChannel: string; destinationPort: string; destinationChannel: string };
          const end = pm.typeUrl === MSG.recvPacket ? ibc.tryChannel(p.destinationPort, p.destinationChannel) : ibc.tryChannel(p.sourcePort, p.sourceChannel);
          assert.equal(ibc.connections.get(end!.connectionId)!.clientId, clientId, `${at}: ${pm.typeUrl} on a channel of ${clientId}`);
          assert.equal((pm.value.proofHeight as { revisionHeight: bigint }).revisionHeight, h.signedHeader!.header!.height, `${at}: proven at the header`);
          packets++;
        }
        if (r.code !== 0) return; // a later message failed: the update was reverted with it
        if (updatedHere.has(k)) expectedDuplicates++; // the same header as an earlier tx of the block
        updatedHere.add(k);
        const height = h.signedHeader!.header!.height;
        if (height <= latest.get(k)!) duplicates++;
        else latest.set(k, height);
      });
    }
  }
  for (const chain of w.chains) {
    const ibc = chain.module<Ibc>('ibc');
    for (const conn of ibc.connections.values()) assert.equal(ibc.clients.latestHeight(conn.clientId), latest.get(`${chain.id} ${conn.clientId}`), `${chain.id} ${conn.clientId} latest height`);
  }
  assert.ok(updates > 50 && packets > updates, `${updates} updates, ${packets} packets`);
  // a header the client already had comes only from a second tx of the same block
  assert.equal(duplicates, expectedDuplicates, `${duplicates} of ${updates} updates were to a height the client had`);
});
