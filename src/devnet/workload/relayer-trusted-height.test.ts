// Regression: the relayers' MsgUpdateClient trusted the header's height − 1, a height the client
// often never held (a reviewer counted 47 of 464 updates), and the devnet's light client checked
// nothing. Clients now keep their consensus heights (ibc/light-clients.ts) and every update trusts
// the client's latest height as of the block, as Hermes does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { MSG } from '../chain/msgs.ts';
import type { Ibc } from '../ibc/ibc.ts';
import { Workload } from './run.ts';

test("regression: every relayer MsgUpdateClient trusts its client's latest consensus height, and none fails", () => {
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
  let duplicates = 0;
  for (const chain of w.chains) {
    for (const block of chain.blocks) {
      if (block.height <= deployed.get(chain.id)!) continue;
      // txs of one block were built before it: they all trust the latest height as the block began
      const atStart = new Map(latest);
      block.txs.forEach((tx, i) => {
        const m = tx.msgs[0];
        if (m?.typeUrl !== MSG.updateClient) return;
        const at = `${chain.id} height ${block.height} tx ${i}`;
        const clientId = m.value.clientId as string;
        const h = Header.decode((m.value.clientMessage as { value: Uint8Array }).value);
        const k = `${chain.id} ${clientId}`;
        assert.equal(h.trustedHeight!.revisionHeight, atStart.get(k), `${at}: trusts the client's latest height`);
        const r = block.txResults[i]!;
        assert.doesNotMatch(r.log, /message index: 0/, `${at}: the update itself succeeded`);
        updates++;
        if (r.code !== 0) return; // a later message failed: the update was reverted with it
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
  assert.ok(updates > 50, `${updates} updates`);
  assert.ok(duplicates < updates / 2, `${duplicates} of ${updates} updates were to a height the client had`);
});
