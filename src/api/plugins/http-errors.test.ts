// Requests GraphQL cannot run still get GraphQL-shaped JSON errors with the GraphQL-over-HTTP status:
// malformed JSON, a body that is not JSON, no content type, GET for a mutation, batches, other
// methods, subscriptions over HTTP, unknown paths. None is a 5xx, and the server keeps answering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { http, platformApi } from './platform.testkit.ts';

test('malformed HTTP requests get 4xx GraphQL errors, never a 5xx', async (t) => {
  const h = await platformApi();
  t.after(() => h.close());
  const u = h.api.graphqlUrl;
  const json = { 'content-type': 'application/json' };
  const preflight = { 'apollo-require-preflight': '1' };
  const cases: Array<[string, string, RequestInit, number, string, RegExp]> = [
    ['malformed JSON', u, { method: 'POST', headers: json, body: '{"query": "{ apiVersion }"' }, 400, 'BAD_REQUEST', /malformed JSON body/],
    ['JSON that is not an object', u, { method: 'POST', headers: json, body: '"{ apiVersion }"' }, 400, 'BAD_REQUEST', /malformed JSON body/],
    ['empty object', u, { method: 'POST', headers: json, body: '{}' }, 400, 'BAD_REQUEST', /JSON object has no keys/],
    ['no query', u, { method: 'POST', headers: json, body: '{"variables":{}}' }, 400, 'BAD_REQUEST', /non-empty \`query\`/],
    ['text/plain body', u, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ apiVersion }"}' }, 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/],
    ['form body', u, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7BapiVersion%7D' }, 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/],
    ['no content type', u, { method: 'POST', body: new Blob(['{"query":"{ apiVersion }"}']) }, 415, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type/],
    ['GET mutation', `${u}?query=${encodeURIComponent('mutation { apiVersion }')}`, { headers: preflight }, 405, 'BAD_REQUEST', /GET requests only support query operations/],
    ['GET without preflight header', `${u}?query=${encodeURIComponent('{ apiVersion }')}`, {}, 400, 'BAD_REQUEST', /CSRF/],
    ['batch', u, { method: 'POST', headers: json, body: JSON.stringify([{ query: '{ apiVersion }' }]) }, 400, 'BAD_REQUEST', /batching/],
    ['PUT', u, { method: 'PUT', headers: json, body: '{}' }, 405, 'BAD_REQUEST', /GET\/POST/],
    ['subscription over HTTP', u, { method: 'POST', headers: json, body: JSON.stringify({ query: 'subscription { slashAdded { id } }' }) }, 400, 'BAD_REQUEST', /WebSocket/],
    ['variable of the wrong type', u, { method: 'POST', headers: json, body: JSON.stringify({ query: 'query ($b: Boolean!) { apiVersion @include(if: $b) }', variables: { b: 'x' } }) }, 400, 'BAD_USER_INPUT', /Boolean cannot represent/],
    ['unknown path', `${h.api.url}/graphq1`, {}, 404, 'NOT_FOUND', /no route/],
  ];
  for (const [name, url, init, status, code, message] of cases) {
    const r = await http(url, init);
    assert.equal(r.status, status, `${name}: ${r.text}`);
    assert.match(r.type, /json/, name);
    assert.equal(r.json.errors?.[0]?.extensions?.code, code, `${name}: ${r.text}`);
    assert.match(r.json.errors[0].message, message, name);
    assert.equal(r.json.errors[0].extensions.stacktrace, undefined, name);
  }
  // GET for a query is allowed (with the CSRF preflight header)
  const get = await http(`${u}?query=${encodeURIComponent('{ apiVersion }')}`, { headers: preflight });
  assert.equal(get.status, 200);
  assert.deepEqual(get.json, { data: { apiVersion: '1' } });
  assert.deepEqual((await h.gql('{ apiVersion }')).data, { apiVersion: '1' });
});
