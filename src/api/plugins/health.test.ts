// /health answers while the process runs; /ready is 200 only when every chain in `chains` is within
// `readyMaxLag` blocks of its tip, else 503 with the per-chain state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readiness } from './health.ts';
import { http, insertChain, platformApi } from './platform.testkit.ts';

test('readiness: every chain known and within maxLag of its tip', () => {
  assert.deepEqual(readiness([], 5), { ready: false, maxLag: 5, chains: [], reason: 'no chain has been indexed yet' });
  const rows = [
    { chain_id: 'a-1', indexed_height: 95, tip_height: 100 },
    { chain_id: 'b-1', indexed_height: 100, tip_height: 99 },
  ];
  assert.deepEqual(readiness(rows, 5), {
    ready: true,
    maxLag: 5,
    chains: [
      { chainId: 'a-1', indexedHeight: 95, tipHeight: 100, lag: 5, ready: true },
      { chainId: 'b-1', indexedHeight: 100, tipHeight: 99, lag: 0, ready: true },
    ],
  });
  const behind = readiness([...rows, { chain_id: 'c-1', indexed_height: 10, tip_height: null }], 4);
  assert.equal(behind.ready, false);
  assert.deepEqual(behind.chains.map((c) => [c.chainId, c.lag, c.ready]), [['a-1', 5, false], ['b-1', 0, true], ['c-1', null, false]]);
  assert.equal(behind.reason, 'chains more than 4 blocks behind their tip (or tip unknown): a-1, c-1');
});

test('/health and /ready over the chains table', async (t) => {
  const h = await platformApi({ readyMaxLag: 3 });
  t.after(() => h.close());
  const health = await http(`${h.api.url}/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(health.json, { status: 'ok' });

  const none = await http(`${h.api.url}/ready`);
  assert.equal(none.status, 503);
  assert.equal(none.json.reason, 'no chain has been indexed yet');

  await insertChain(h.pool, 'osmo-devnet-1', 120, 123);
  await insertChain(h.pool, 'juno-devnet-1', 80, 90);
  const lagging = await http(`${h.api.url}/ready`);
  assert.equal(lagging.status, 503);
  assert.deepEqual(lagging.json.chains, [
    { chainId: 'juno-devnet-1', indexedHeight: 80, tipHeight: 90, lag: 10, ready: false },
    { chainId: 'osmo-devnet-1', indexedHeight: 120, tipHeight: 123, lag: 3, ready: true },
  ]);

  await insertChain(h.pool, 'juno-devnet-1', 88, 90);
  const ready = await http(`${h.api.url}/ready`);
  assert.equal(ready.status, 200);
  assert.equal(ready.json.ready, true);
  assert.deepEqual(ready.json.chains.map((c: { lag: number }) => c.lag), [2, 3]);
});

test('/ready is 503 with the host’s reason while something holds it back, whatever the chains say', async (t) => {
  let held: string | undefined = 'the devnet is replaying 42 rounds to resume the last run';
  const h = await platformApi({ readyMaxLag: 3, notReady: () => held });
  t.after(() => h.close());
  await insertChain(h.pool, 'osmo-devnet-1', 120, 120);
  const replaying = await http(`${h.api.url}/ready`);
  assert.equal(replaying.status, 503);
  assert.equal(replaying.json.ready, false);
  assert.equal(replaying.json.reason, held);
  assert.deepEqual(replaying.json.chains.map((c: { ready: boolean }) => c.ready), [true], 'the chains’ own state is still shown');
  held = undefined;
  const ready = await http(`${h.api.url}/ready`);
  assert.equal(ready.status, 200);
  assert.equal(ready.json.reason, undefined);
});
