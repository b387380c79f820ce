// A query running past the statement timeout is cancelled by PostgreSQL, on the pg pool and on
// Prisma's connections alike; the client gets QUERY_TIMEOUT, nothing keeps running in the database,
// and the server goes on answering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { platformApi } from './platform.testkit.ts';
import { probeModule } from './probe.testkit.ts';

test('statements past the timeout are cancelled and reported as QUERY_TIMEOUT', async (t) => {
  const { module } = probeModule();
  const h = await platformApi({ modules: [module], statementTimeoutMs: 300 });
  t.after(() => h.close());

  for (const field of ['probeSleep', 'probeSleepPrisma']) {
    const started = Date.now();
    const r = await h.gql(`{ ${field}(seconds: 30) }`);
    const elapsed = Date.now() - started;
    assert.equal(r.status, 200, field);
    assert.equal(r.errors?.length, 1, field);
    assert.equal(r.errors![0]!.extensions?.code, 'QUERY_TIMEOUT', `${field}: ${JSON.stringify(r.errors)}`);
    assert.match(r.errors![0]!.message, /300 ms statement timeout/);
    assert.equal(r.errors![0]!.extensions?.stacktrace, undefined);
    assert.ok(elapsed < 5000, `${field} answered after ${elapsed} ms`);
  }

  // nothing of ours is still sleeping in the database
  const { rows } = await h.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()`);
  assert.equal(rows[0].n, 0);

  // a statement under the timeout still runs, and the server is fine
  const ok = await h.gql('{ probeSleep(seconds: 0.05) probeSleepPrisma(seconds: 0.05) apiVersion }');
  assert.deepEqual(ok.data, { probeSleep: 1, probeSleepPrisma: 1, apiVersion: '1' });
  assert.equal((await fetch(`${h.api.url}/health`)).status, 200);
});
