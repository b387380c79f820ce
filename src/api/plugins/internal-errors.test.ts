// Our own failures (a database that is unreachable or drops connections, a resolver bug) reach the
// client as INTERNAL_SERVER_ERROR with a generic message and no stack, are logged server-side, and
// never take the server down; development mode shows the real message and stack.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { startApiServer } from '../server.ts';
import { gqlRequest } from '../api.testkit.ts';
import { platformApi } from './platform.testkit.ts';
import { probeModule } from './probe.testkit.ts';

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a database that is down gives INTERNAL_SERVER_ERROR, a generic message, and a log line', async (t) => {
  const logs: string[] = [];
  const { module } = probeModule();
  const api = await startApiServer({ databaseUrl: `postgres://mesh:pw@127.0.0.1:${await deadPort()}/none`, port: 0, modules: [module], log: (l) => logs.push(l) });
  t.after(() => api.close());
  const r = await gqlRequest(api.graphqlUrl, '{ apiVersion probeWhoami }');
  assert.equal(r.status, 200);
  assert.deepEqual(r.data, { apiVersion: '1', probeWhoami: null });
  assert.deepEqual(r.errors, [{ message: 'Internal server error', locations: [{ line: 1, column: 14 }], path: ['probeWhoami'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  assert.ok(logs.some((l) => /internal error at probeWhoami: .*ECONNREFUSED/s.test(l)), logs.join('\n'));
  assert.equal((await fetch(`${api.url}/health`)).status, 200);
  const ready = await fetch(`${api.url}/ready`);
  assert.equal(ready.status, 503);
  assert.deepEqual(await ready.json(), { ready: false, maxLag: 5, chains: [], reason: 'database unavailable' });
  const metrics = await fetch(`${api.url}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /^mesh_api_database_up 0$/m);
});

test('resolver bugs are hidden; dropped database connections are survived', async (t) => {
  const { module } = probeModule();
  const h = await platformApi({ modules: [module] });
  t.after(() => h.close());

  const boom = await h.gql('{ probeBoom }');
  assert.equal(boom.status, 200);
  assert.deepEqual(boom.errors, [{ message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['probeBoom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  assert.ok(!JSON.stringify(boom).includes('hunter2'));
  assert.ok(h.logs.some((l) => l.includes('secret detail') && l.includes('probe.testkit.ts')), 'logged with its stack');

  // every API connection is killed (a database restart): idle pool clients error out without
  // crashing the process, and the next request gets fresh connections
  assert.equal((await h.gql('{ probeWhoami }')).errors, undefined);
  const killed = await h.pool.query(`SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'mesh-api') AS k`);
  assert.ok(killed.rows[0].n >= 1);
  await new Promise((r) => setTimeout(r, 200));
  let answer;
  for (let i = 0; i < 3; i++) {
    answer = await h.gql('{ probeWhoami }');
    if (!answer.errors) break;
  }
  assert.equal(answer!.errors, undefined, JSON.stringify(answer));
  assert.equal(typeof answer!.data!.probeWhoami, 'string');
});

test('development mode shows the message and the stack', async (t) => {
  const { module } = probeModule();
  const h = await platformApi({ modules: [module], dev: true });
  t.after(() => h.close());
  const boom = await h.gql('{ probeBoom }');
  assert.equal(boom.errors![0]!.message, 'secret detail: connection string postgres://admin:hunter2@db');
  assert.equal(boom.errors![0]!.extensions?.code, 'INTERNAL_SERVER_ERROR');
  assert.ok(Array.isArray(boom.errors![0]!.extensions?.stacktrace));
});
