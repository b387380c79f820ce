// Regression: malformed.test.ts failed once in CI under load with "terminating connection due to
// administrator command": its database was dropped WITH (FORCE) while the test kit's pool still held an
// idle connection, and a pool without an 'error' listener turns that into an uncaught exception.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDb } from './indexer.testkit.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

test('regression: a FORCE drop that terminates an idle pooled connection is no uncaught exception', { skip: noServer }, async () => {
  const t = await testDb();
  assert.equal((await t.pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one, 1); // leaves an idle client
  await t.db.drop(); // terminates it
  await new Promise((r) => setTimeout(r, 300)); // the termination reaches the idle client
  await t.pool.end();
});
