// slashAdded: after the indexer's commit notification, subscribers get the slashes that chain
// recorded in the committed heights, in height order, filtered by chain; heights outside the commit
// and heights already delivered are not sent again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { platformApi } from '../plugins/platform.testkit.ts';
import { collect, insertSlash, listenerPid, notifyCommit, subscribers, timeAt, wsClient } from './subscriptions.testkit.ts';

const FIELDS = 'id chainId validator kind pairingId infractionHeight ratio tombstoned consumerAmount providerAmount height time txHash';

test('slashAdded delivers the committed slashes, per chain filter', async (t) => {
  const h = await platformApi();
  t.after(() => h.close());
  await listenerPid(h.pool);
  const client = wsClient(h.api);
  t.after(() => client.dispose());

  const all = collect(client, `subscription { slashAdded { ${FIELDS} } }`);
  const juno = collect(client, `subscription ($c: String) { slashAdded(chainId: $c) { id height } }`, { c: 'juno-devnet-1' });
  // the payload links to the explorer's Slash
  const linked = collect(client, `subscription { slashAdded(chainId: "osmo-devnet-1") { id slash { id kind chainId height consumerAmount } } }`);
  await subscribers(h.api, 3);

  await insertSlash(h.pool, { id: 'osmo/5', chainId: 'osmo-devnet-1', height: 5 });
  await insertSlash(h.pool, { id: 'osmo/10', chainId: 'osmo-devnet-1', height: 10, amount: '340282366920938463463374607431768211455' });
  await insertSlash(h.pool, { id: 'osmo/11', chainId: 'osmo-devnet-1', height: 11, pairingId: 'osmo-juno' });
  await insertSlash(h.pool, { id: 'juno/12', chainId: 'juno-devnet-1', height: 12 });
  await notifyCommit(h.pool, { chainId: 'osmo-devnet-1', fromHeight: 10, toHeight: 11, time: timeAt(11) });
  await notifyCommit(h.pool, { chainId: 'juno-devnet-1', fromHeight: 12, toHeight: 12, time: timeAt(12) });
  // a repeated notification delivers nothing new
  await notifyCommit(h.pool, { chainId: 'osmo-devnet-1', fromHeight: 10, toHeight: 11, time: timeAt(11) });

  const got = await all.waitFor(3);
  const { rows } = await h.pool.query(
    `SELECT id, chain_id, validator, kind, pairing_id, infraction_height, ratio::text, tombstoned, consumer_amount::text, provider_amount::text, height, time, tx_hash
       FROM slashes WHERE id IN ('osmo/10', 'osmo/11', 'juno/12') ORDER BY height`,
  );
  assert.deepEqual(
    got.map((e) => e.data!.slashAdded),
    rows.map((r) => ({
      id: r.id,
      chainId: r.chain_id,
      validator: r.validator,
      kind: r.kind,
      pairingId: r.pairing_id,
      infractionHeight: r.infraction_height,
      ratio: r.ratio,
      tombstoned: r.tombstoned,
      consumerAmount: r.consumer_amount,
      providerAmount: r.provider_amount,
      height: r.height,
      time: r.time.toISOString(),
      txHash: r.tx_hash,
    })),
  );
  assert.equal(got[0]!.data!.slashAdded.consumerAmount, '340282366920938463463374607431768211455', 'every digit of a Uint128');
  assert.deepEqual((await juno.waitFor(1)).map((e) => e.data!.slashAdded), [{ id: 'juno/12', height: 12 }]);

  // the next commit of osmo: only what is new
  await insertSlash(h.pool, { id: 'osmo/13', chainId: 'osmo-devnet-1', height: 13 });
  await notifyCommit(h.pool, { chainId: 'osmo-devnet-1', fromHeight: 12, toHeight: 13, time: timeAt(13) });
  assert.deepEqual((await all.waitFor(4)).map((e) => e.data!.slashAdded.id), ['osmo/10', 'osmo/11', 'juno/12', 'osmo/13']);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(all.events.length, 4);
  assert.equal(juno.events.length, 1);
  assert.equal(all.errors, null);

  assert.deepEqual((await linked.waitFor(3)).map((e) => e.data!.slashAdded), [
    { id: 'osmo/10', slash: { id: 'osmo/10', kind: 'CROSS', chainId: 'osmo-devnet-1', height: 10, consumerAmount: '340282366920938463463374607431768211455' } },
    { id: 'osmo/11', slash: { id: 'osmo/11', kind: 'CROSS', chainId: 'osmo-devnet-1', height: 11, consumerAmount: '1000' } },
    { id: 'osmo/13', slash: { id: 'osmo/13', kind: 'CROSS', chainId: 'osmo-devnet-1', height: 13, consumerAmount: '1000' } },
  ]);

  all.stop();
  await subscribers(h.api, 2);
});
