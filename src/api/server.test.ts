// The server starts on 127.0.0.1 over an indexed database, answers a query, and stops cleanly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiOverWorkload } from './api.testkit.ts';

test('the API answers over an indexed devnet and reports its health', async (t) => {
  const h = await apiOverWorkload({ blocks: 40 });
  t.after(() => h.close());
  assert.match(h.api.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const r = await h.gql('{ apiVersion }');
  assert.equal(r.status, 200);
  assert.deepEqual(r.data, { apiVersion: '1' });
  const health = await fetch(`${h.api.url}/health`);
  assert.equal(health.status, 200);
});
