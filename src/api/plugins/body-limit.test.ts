// A request body over the limit is refused by the JSON parser with a GraphQL error (413,
// PAYLOAD_TOO_LARGE) instead of an HTML page; one under the limit is served.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { http, platformApi } from './platform.testkit.ts';

test('bodies over the limit get a 413 GraphQL error naming the limit', async (t) => {
  const h = await platformApi({ bodyLimit: '4kb' });
  t.after(() => h.close());
  const post = (body: string) => http(h.api.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  const under = JSON.stringify({ query: `{ apiVersion }${' '.repeat(3900)}` });
  assert.ok(under.length < 4096);
  const ok = await post(under);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { data: { apiVersion: '1' } });

  const over = JSON.stringify({ query: `{ apiVersion }${' '.repeat(5000)}` });
  const r = await post(over);
  assert.equal(r.status, 413);
  assert.match(r.type, /application\/json/);
  assert.equal(r.json.errors.length, 1);
  assert.equal(r.json.errors[0].extensions.code, 'PAYLOAD_TOO_LARGE');
  assert.equal(r.json.errors[0].message, `request body of ${over.length} bytes is over the 4kb limit`);

  // a 2 MB body is refused the same way, and the server goes on
  const huge = await post(JSON.stringify({ query: '{ apiVersion }', variables: { x: 'y'.repeat(2_000_000) } }));
  assert.equal(huge.status, 413);
  assert.deepEqual((await h.gql('{ apiVersion }')).data, { apiVersion: '1' });
});
