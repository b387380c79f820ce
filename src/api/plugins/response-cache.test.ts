// The response cache: a repeated query is answered from the cache until the indexer's next commit;
// after the commit the fresh rows are read. Errors and unlistened periods are never cached.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gqlRequest } from '../api.testkit.ts';
import { startApiServer } from '../server.ts';
import { testDb } from '../../indexer/indexer.testkit.ts';
import { migrate } from '../../db/migrate.ts';
import { cacheKey } from './response-cache.ts';

const CHAINS = '{ chains { chainId indexedHeight } }';

async function hits(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^mesh_api_response_cache_hits_total (\d+)/m.exec(text)?.[1] ?? 'NaN');
}

test('a repeated query is served from the cache until a commit, then reads the new rows', async (t) => {
  const { db, pool, close } = await testDb();
  t.after(close);
  await migrate(pool);
  await pool.query(`INSERT INTO chains (chain_id, bech32_prefix, indexed_height, updated_at) VALUES ('a-1', 'a', 5, now())`);
  const api = await startApiServer({ databaseUrl: db.url, port: 0, log: () => {} });
  t.after(() => api.close());
  // the first LISTEN may still be in flight: wait until a repeat is a hit
  let first = await gqlRequest<{ chains: unknown[] }>(api.graphqlUrl, CHAINS);
  for (let i = 0; i < 50 && (await hits(api.url)) === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    first = await gqlRequest(api.graphqlUrl, CHAINS);
  }
  assert.deepEqual(first.data, { chains: [{ chainId: 'a-1', indexedHeight: 5 }] });
  const before = await hits(api.url);
  assert.ok(before > 0, 'a repeat was a hit');

  // a row changed without a commit notification is not seen (the cache is what answers) …
  await pool.query(`UPDATE chains SET indexed_height = 6`);
  assert.deepEqual((await gqlRequest(api.graphqlUrl, CHAINS)).data, { chains: [{ chainId: 'a-1', indexedHeight: 5 }] });
  assert.equal(await hits(api.url), before + 1);

  // … and is after the commit the indexer announces
  await pool.query(`SELECT pg_notify('mesh_commit', $1)`, [JSON.stringify({ chainId: 'a-1', fromHeight: 6, toHeight: 6, time: new Date().toISOString() })]);
  let seen: unknown;
  for (let i = 0; i < 50; i++) {
    seen = (await gqlRequest(api.graphqlUrl, CHAINS)).data;
    if (JSON.stringify(seen).includes('"indexedHeight":6')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.deepEqual(seen, { chains: [{ chainId: 'a-1', indexedHeight: 6 }] });

  // an answer with errors is never cached
  const bad = '{ account(address: "nope") { address } }';
  const h0 = await hits(api.url);
  for (let i = 0; i < 3; i++) assert.equal((await gqlRequest(api.graphqlUrl, bad)).errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(await hits(api.url), h0);
});

test('cache keys: variables, operation and accept header count; mutations and subscriptions are not cached', () => {
  const q = 'query A($x: String!) { account(address: $x) { address } }';
  assert.notEqual(cacheKey({ query: q, variables: { x: 'a' } }, 'application/json'), cacheKey({ query: q, variables: { x: 'b' } }, 'application/json'));
  assert.notEqual(cacheKey({ query: q }, 'application/json'), cacheKey({ query: q }, 'application/graphql-response+json'));
  assert.equal(cacheKey({ query: 'subscription { slashAdded { id } }' }, undefined), null);
  assert.equal(cacheKey({ query: 'mutation { x }' }, undefined), null);
  assert.equal(cacheKey([{ query: '{ a }' }], undefined), null);
  assert.equal(cacheKey({ query: 42 }, undefined), null);
});
