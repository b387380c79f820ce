// /metrics: per-chain height, tip and lag as the `chains` table has them at scrape time; request
// latency by operation type, errors by code, requests in flight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { http, insertChain, platformApi } from './platform.testkit.ts';

/** `name{labels} value` lines of a Prometheus text exposition as a map. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

test('/metrics reports chain progress from the database and API request metrics', async (t) => {
  const h = await platformApi();
  t.after(() => h.close());
  await insertChain(h.pool, 'osmo-devnet-1', 1200, 1207);
  await insertChain(h.pool, 'juno-devnet-1', 640, null);

  for (let i = 0; i < 3; i++) assert.equal((await h.gql('{ apiVersion }')).status, 200);
  await h.gql('{ nope }');
  await http(h.api.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad json' });

  const r = await http(`${h.api.url}/metrics`);
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/plain/);
  const m = samples(r.text);
  const { rows } = await h.pool.query('SELECT chain_id, indexed_height, tip_height FROM chains');
  for (const row of rows) {
    assert.equal(m.get(`mesh_chain_indexed_height{chain="${row.chain_id}"}`), row.indexed_height);
    assert.equal(m.get(`mesh_chain_tip_height{chain="${row.chain_id}"}`), row.tip_height ?? undefined);
  }
  assert.equal(m.get('mesh_chain_lag_blocks{chain="osmo-devnet-1"}'), 7);
  assert.equal(m.has('mesh_chain_lag_blocks{chain="juno-devnet-1"}'), false, 'no lag while the tip is unknown');
  assert.equal(m.get('mesh_api_database_up'), 1);
  assert.equal(m.get('mesh_api_request_duration_seconds_count{operation="query"}'), 3);
  // a document that does not validate has no operation type
  assert.equal(m.get('mesh_api_request_duration_seconds_count{operation="unknown"}'), 1);
  assert.equal(m.get('mesh_api_errors_total{code="GRAPHQL_VALIDATION_FAILED"}'), 1);
  assert.equal(m.get('mesh_api_errors_total{code="BAD_REQUEST"}'), 1);
  assert.equal(m.get('mesh_api_requests_in_flight'), 0);
  assert.equal(m.get('mesh_api_subscriptions_active'), 0);

  // the next scrape reads the database again
  await insertChain(h.pool, 'osmo-devnet-1', 1207, 1210);
  const again = samples((await http(`${h.api.url}/metrics`)).text);
  assert.equal(again.get('mesh_chain_indexed_height{chain="osmo-devnet-1"}'), 1207);
  assert.equal(again.get('mesh_chain_lag_blocks{chain="osmo-devnet-1"}'), 3);
});
