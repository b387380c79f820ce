// accountChanged(address): after a commit, each subscribed account gets one event with its rows in
// the committed heights: vault position and liens updated, lien, delegation and reward history rows
// (a reward concerns its staker and its recipient). Other accounts' rows are not sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toBech32 } from '@cosmjs/encoding';
import { platformApi } from '../plugins/platform.testkit.ts';
import { collect, listenerPid, notifyCommit, subscribers, timeAt, wsClient } from './subscriptions.testkit.ts';

const addr = (n: number) => toBech32('osmo', new Uint8Array(20).fill(n));
const ALICE = addr(1);
const BOB = addr(2);
const VAULT = toBech32('osmo', new Uint8Array(32).fill(9));
const CHAIN = 'osmo-devnet-1';

test('accountChanged sends each account its rows of the commit', async (t) => {
  const h = await platformApi();
  t.after(() => h.close());
  await listenerPid(h.pool);
  const client = wsClient(h.api);
  t.after(() => client.dispose());
  const q = 'subscription ($a: String!) { accountChanged(address: $a) { address chainId fromHeight toHeight time changes { source id kind amount counterparty height time txHash } } }';
  const alice = collect(client, q, { a: ALICE });
  const bob = collect(client, q, { a: BOB });
  await subscribers(h.api, 2);

  const p = h.pool;
  await p.query(
    `INSERT INTO vault_positions (chain_id, vault, staker, collateral, max_lien_low, max_lien_high, total_slashable_low, total_slashable_high, free_low, free_high, height, time)
     VALUES ($1, $2, $3, 5000, 0, 3000, 0, 300, 2000, 5000, 41, $4), ($1, $2, $5, 7, 0, 0, 0, 0, 7, 7, 39, $4)`,
    [CHAIN, VAULT, ALICE, timeAt(41), BOB],
  );
  await p.query(
    `INSERT INTO liens (chain_id, vault, staker, lienholder, amount_low, amount_high, slashable, height, time) VALUES ($1, $2, $3, 'osmo1lienholder', 0, 3000, 0.1, 41, $4)`,
    [CHAIN, VAULT, ALICE, timeAt(41)],
  );
  await p.query(
    `INSERT INTO lien_events (id, chain_id, vault, staker, lienholder, kind, amount, amount_low_after, amount_high_after, collateral_after, height, time, tx_hash)
     VALUES ('le-1', $1, $2, $3, 'osmo1lienholder', 'stake_remote', 3000, 0, 3000, 5000, 41, $4, 'TXA')`,
    [CHAIN, VAULT, ALICE, timeAt(41)],
  );
  await p.query(
    `INSERT INTO delegation_events (id, chain_id, contract, staker, validator, kind, amount, height, time, tx_hash)
     VALUES ('de-1', $1, 'osmo1native', $2, 'osmovaloper1', 'stake', 1000, 40, $3, 'TXB'), ('de-2', $1, 'osmo1native', $4, 'osmovaloper1', 'stake', 9, 42, $3, 'TXC')`,
    [CHAIN, ALICE, timeAt(40), BOB],
  );
  // Bob's staking rewards paid to Alice
  await p.query(
    `INSERT INTO reward_events (id, chain_id, contract, kind, validator, staker, recipient, amount, height, time, tx_hash)
     VALUES ('re-1', $1, 'osmo1ext', 'withdraw', 'osmovaloper1', $2, $3, 77, 42, $4, 'TXD')`,
    [CHAIN, BOB, ALICE, timeAt(42)],
  );
  // outside the commit
  await p.query(
    `INSERT INTO delegation_events (id, chain_id, contract, staker, validator, kind, amount, height, time) VALUES ('de-0', $1, 'osmo1native', $2, 'osmovaloper1', 'stake', 1, 39, $3)`,
    [CHAIN, ALICE, timeAt(39)],
  );
  await notifyCommit(p, { chainId: CHAIN, fromHeight: 40, toHeight: 42, time: timeAt(42) });

  const head = { chainId: CHAIN, fromHeight: 40, toHeight: 42, time: timeAt(42) };
  assert.deepEqual((await alice.waitFor(1)).map((e) => e.data!.accountChanged), [
    {
      address: ALICE,
      ...head,
      changes: [
        { source: 'DELEGATION_EVENT', id: 'de-1', kind: 'stake', amount: '1000', counterparty: 'osmovaloper1', height: 40, time: timeAt(40), txHash: 'TXB' },
        { source: 'VAULT_POSITION', id: VAULT, kind: null, amount: '5000', counterparty: VAULT, height: 41, time: timeAt(41), txHash: null },
        { source: 'LIEN', id: 'osmo1lienholder', kind: null, amount: '3000', counterparty: 'osmo1lienholder', height: 41, time: timeAt(41), txHash: null },
        { source: 'LIEN_EVENT', id: 'le-1', kind: 'stake_remote', amount: '3000', counterparty: 'osmo1lienholder', height: 41, time: timeAt(41), txHash: 'TXA' },
        { source: 'REWARD_EVENT', id: 're-1', kind: 'withdraw', amount: '77', counterparty: 'osmovaloper1', height: 42, time: timeAt(42), txHash: 'TXD' },
      ],
    },
  ]);
  assert.deepEqual((await bob.waitFor(1)).map((e) => e.data!.accountChanged.changes.map((c: { id: string }) => c.id)), [['de-2', 're-1']]);

  // a commit with nothing about either account sends nothing
  await notifyCommit(p, { chainId: CHAIN, fromHeight: 43, toHeight: 43, time: timeAt(43) });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(alice.events.length, 1);
  assert.equal(bob.events.length, 1);
});
