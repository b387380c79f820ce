// The API reads through a role that cannot write: with an admin URL it prepares the LOGIN role
// mesh_api (member of mesh_reader) and connects as it; when mesh_reader cannot read the tables it
// falls back to the admin user, and every API session is read-only either way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { apiRoleUrl, derivedPassword, sessionOptions } from './db-access.ts';
import { gqlRequest } from '../api.testkit.ts';
import { startApiServer } from '../server.ts';
import { freshDb, type PlatformHarness, platformApi } from './platform.testkit.ts';
import { probeModule } from './probe.testkit.ts';

/** mesh_reader as the migration defines it (created here if this database predates it). */
async function ensureReader(pool: pg.Pool): Promise<void> {
  await pool.query(`DO $$ BEGIN CREATE ROLE mesh_reader NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  await pool.query('GRANT USAGE ON SCHEMA public TO mesh_reader');
  await pool.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO mesh_reader');
}

async function assertWritesRefused(h: Pick<PlatformHarness, 'gql' | 'pool' | 'logs'>, pattern: RegExp): Promise<void> {
  for (const field of ['probeWrite', 'probeWritePrisma']) {
    const r = await h.gql(`{ ${field} }`);
    assert.equal(r.errors?.[0]?.extensions?.code, 'INTERNAL_SERVER_ERROR', field);
    assert.equal(r.errors?.[0]?.message, 'Internal server error', field);
  }
  const { rows } = await h.pool.query(`SELECT key FROM meta WHERE key LIKE 'probe%'`);
  assert.deepEqual(rows, [], 'nothing was written');
  assert.equal(h.logs.filter((l) => pattern.test(l)).length, 2, h.logs.join('\n'));
}

test('with an admin URL the API connects as mesh_api, which cannot write', async (t) => {
  const { module } = probeModule();
  const h = await platformApi({ modules: [module] }, ensureReader);
  t.after(() => h.close());
  assert.deepEqual(h.api.database, { access: 'mesh_api' });
  assert.deepEqual((await h.gql('{ probeWhoami }')).data, { probeWhoami: 'mesh_api' });
  const role = await h.pool.query(`SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, pg_has_role('mesh_api', 'mesh_reader', 'MEMBER') AS reader FROM pg_roles WHERE rolname = 'mesh_api'`);
  assert.deepEqual(role.rows, [{ rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false, reader: true }]);
  await assertWritesRefused(h, /read-only transaction|permission denied/);
  // the password is derived from the admin credentials only: the same for every database of the cluster
  const other = new URL(h.db.url);
  other.pathname = '/postgres';
  other.hostname = 'localhost';
  assert.equal(derivedPassword(other.toString()), derivedPassword(h.db.url));
  assert.equal(new URL(apiRoleUrl(h.db.url)).username, 'mesh_api');
});

test('when mesh_reader cannot read the tables, the admin user reads in read-only transactions', async (t) => {
  const { module } = probeModule();
  const h = await platformApi({ modules: [module] }, async (pool) => {
    await ensureReader(pool);
    await pool.query('REVOKE SELECT ON chains, slashes FROM mesh_reader');
  });
  t.after(() => h.close());
  assert.equal(h.api.database.access, 'admin-read-only');
  assert.equal(h.api.database.note, 'role mesh_reader cannot read chains, slashes');
  const admin = new URL(h.db.url).username;
  assert.deepEqual((await h.gql('{ probeWhoami }')).data, { probeWhoami: admin });
  await assertWritesRefused(h, /cannot execute INSERT in a read-only transaction/);
});

test('a given apiDatabaseUrl is used as it is, with read-only sessions as the floor', async (t) => {
  const { module } = probeModule();
  const { db, pool, close } = await freshDb();
  t.after(close);
  const logs: string[] = [];
  // the admin URL itself, given as the API's: no role is prepared, and still nothing can be written
  const api = await startApiServer({ databaseUrl: 'postgres://unused@127.0.0.1:1/none', apiDatabaseUrl: db.url, port: 0, modules: [module], log: (l) => logs.push(l) });
  t.after(() => api.close());
  assert.deepEqual(api.database, { access: 'given' });
  assert.deepEqual((await gqlRequest(api.graphqlUrl, '{ probeWhoami }')).data, { probeWhoami: new URL(db.url).username });
  await assertWritesRefused({ gql: (q) => gqlRequest(api.graphqlUrl, q), pool, logs }, /cannot execute INSERT in a read-only transaction/);
});
