// Installs what analysts and the API read besides the entity tables, inside migrate()'s transaction
// (under its advisory lock), after the generated schema:
//   1. the `rollup` schema (src/db/rollups.sql): rollup tables and the triggers that maintain them;
//   2. the `mesh` schema (src/db/views.sql): the analysts' stable views;
//   3. the read-only role `mesh_reader` and its grants (src/db/roles.sql).
// Idempotent and cheap when up to date: each schema's comment records the sha256 of the script that
// made it. When rollups.sql changes (or its triggers are missing), the rollup schema is dropped,
// recreated and recomputed from the source tables (rollup.rebuild()), so a database indexed before the
// rollups existed gets them complete. When views.sql changes, or the rollup schema was recreated (its
// views depend on it), the mesh schema is recreated. Grants are applied every time.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { rollupTriggerNames } from './rollups.ts';

export const ROLLUPS_SQL_URL = new URL('./rollups.sql', import.meta.url);
export const VIEWS_SQL_URL = new URL('./views.sql', import.meta.url);
export const ROLES_SQL_URL = new URL('./roles.sql', import.meta.url);

/** The read-only role for analysts and the API. */
export const READER_ROLE = 'mesh_reader';

export interface AnalyticsResult {
  /** The rollup schema was (re)created and recomputed. */
  rollupsRebuilt: boolean;
  /** The mesh schema was (re)created. */
  viewsRecreated: boolean;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const stamp = (what: string, sql: string): string => `mesh-security-indexer ${what}, script sha256 ${sha256(sql)}`;

async function schemaComment(client: pg.ClientBase, schema: string): Promise<string | null> {
  const { rows } = await client.query<{ c: string | null }>(`SELECT obj_description(to_regnamespace($1), 'pg_namespace') AS c`, [schema]);
  return rows[0]?.c ?? null;
}

async function triggersPresent(client: pg.ClientBase): Promise<boolean> {
  const names = rollupTriggerNames();
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY ($1::text[])`, [names]);
  return rows[0]!.n === names.length;
}

/** Creates (or re-creates) the rollup schema when outdated; true when it did. */
export async function installRollups(client: pg.ClientBase): Promise<boolean> {
  const sql = readFileSync(ROLLUPS_SQL_URL, 'utf8');
  const want = stamp('rollups', sql);
  if ((await schemaComment(client, 'rollup')) === want && (await triggersPresent(client))) return false;
  // CASCADE also drops the triggers on the source tables and the mesh views that read rollups
  await client.query('DROP SCHEMA IF EXISTS rollup CASCADE');
  await client.query(sql);
  await client.query('SELECT rollup.rebuild()');
  await client.query(`COMMENT ON SCHEMA rollup IS ${client.escapeLiteral(want)}`);
  return true;
}

/** Creates (or re-creates) the mesh schema when outdated or `force`; true when it did. */
export async function installViews(client: pg.ClientBase, force = false): Promise<boolean> {
  const sql = readFileSync(VIEWS_SQL_URL, 'utf8');
  const want = stamp('analyst views', sql);
  if (!force && (await schemaComment(client, 'mesh')) === want) return false;
  await client.query('DROP SCHEMA IF EXISTS mesh CASCADE');
  await client.query(sql);
  await client.query(`COMMENT ON SCHEMA mesh IS ${client.escapeLiteral(want)}`);
  return true;
}

/** Creates mesh_reader when missing (and allowed) and grants it read access. */
export async function installRoles(client: pg.ClientBase): Promise<void> {
  await client.query(readFileSync(ROLES_SQL_URL, 'utf8'));
}

/** `grants: false` (the tables were up to date) re-grants only when rollups or views were recreated. */
export async function installAnalytics(client: pg.ClientBase, opts: { grants?: boolean } = {}): Promise<AnalyticsResult> {
  const rollupsRebuilt = await installRollups(client);
  const viewsRecreated = await installViews(client, rollupsRebuilt);
  if (opts.grants !== false || rollupsRebuilt || viewsRecreated) await installRoles(client);
  return { rollupsRebuilt, viewsRecreated };
}
