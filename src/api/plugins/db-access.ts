// How the API connects to PostgreSQL (issue 5: "a read-only database role for the API", "statement
// timeout"). Every API connection (the pg pool, Prisma's pool, the LISTEN connection) carries
// session settings in the startup packet: a statement timeout, and read-only transactions as a floor
// even when the role could write.
//
// The role: given an `apiDatabaseUrl`, it is used as it is. Given only an admin `databaseUrl`, the
// API ensures a LOGIN role `mesh_api` that is a member of the NOLOGIN role `mesh_reader` (created by
// the migration, src/db) and connects as it. Its password is derived from the admin URL, so several
// API processes over one database agree on it without storing anything. When `mesh_reader` is not
// there (or cannot read every table and rollup) or the admin may not create roles, the API connects with the
// admin URL and relies on default_transaction_read_only.
import { createHmac } from 'node:crypto';
import pg from 'pg';

export const API_ROLE = 'mesh_api';
export const READER_ROLE = 'mesh_reader';

export interface SessionSettings {
  statementTimeoutMs: number;
}

/** libpq `options` for every API connection. */
export function sessionOptions(s: SessionSettings): string {
  if (!Number.isSafeInteger(s.statementTimeoutMs) || s.statementTimeoutMs <= 0) {
    throw new Error(`statementTimeoutMs must be a positive integer (got ${s.statementTimeoutMs})`);
  }
  return [
    `-c statement_timeout=${s.statementTimeoutMs}`,
    '-c default_transaction_read_only=on',
    // a client that dies inside a transaction does not pin a connection for long
    `-c idle_in_transaction_session_timeout=${Math.max(10_000, 2 * s.statementTimeoutMs)}`,
  ].join(' ');
}

export interface ApiDatabase {
  /** Connection string the API uses. */
  url: string;
  /** How it was chosen. */
  access: 'given' | 'mesh_api' | 'admin-read-only';
  /** Why the admin URL is used, when it is. */
  note?: string;
}

/**
 * The mesh_api password for a given admin URL: derived from the admin's credentials only (not the
 * host spelling or database), so every API process on the cluster agrees on it, and unknown to
 * anyone without them.
 */
export function derivedPassword(adminUrl: string): string {
  const u = new URL(adminUrl);
  return createHmac('sha256', `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).update(`${API_ROLE} password`).digest('base64url');
}

/** The admin URL with mesh_api's credentials. */
export function apiRoleUrl(adminUrl: string): string {
  const u = new URL(adminUrl);
  u.username = API_ROLE;
  u.password = derivedPassword(adminUrl);
  return u.toString();
}

/** Chooses (and with an admin URL, prepares) the connection the API reads through. */
export async function resolveApiDatabase(opts: { databaseUrl: string; apiDatabaseUrl?: string | undefined }): Promise<ApiDatabase> {
  if (opts.apiDatabaseUrl) return { url: opts.apiDatabaseUrl, access: 'given' };
  const fallback = (note: string): ApiDatabase => ({ url: opts.databaseUrl, access: 'admin-read-only', note });
  let reason: string | null;
  try {
    reason = await withClient(opts.databaseUrl, ensureApiRole.bind(null, opts.databaseUrl));
  } catch (err) {
    return fallback(`could not prepare role ${API_ROLE}: ${(err as Error).message}`);
  }
  if (reason) return fallback(reason);
  const url = apiRoleUrl(opts.databaseUrl);
  try {
    await withClient(url, (c) => c.query('SELECT 1'));
  } catch (err) {
    return fallback(`role ${API_ROLE} cannot log in: ${(err as Error).message}`);
  }
  return { url, access: API_ROLE };
}

/** Creates or updates mesh_api; returns why it cannot be used, or null when it is ready. */
async function ensureApiRole(adminUrl: string, c: pg.Client): Promise<string | null> {
  const reader = await c.query<{ ok: boolean }>('SELECT true AS ok FROM pg_roles WHERE rolname = $1', [READER_ROLE]);
  if (reader.rowCount === 0) return `role ${READER_ROLE} does not exist (the migration creates it)`;
  // everything the API reads: the indexer's tables (public) and the dashboards' rollups
  const unreadable = await c.query<{ name: string }>(
    `SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'rollup') AND c.relkind IN ('r', 'p', 'v', 'm')
        AND NOT has_table_privilege($1, c.oid, 'SELECT')
      ORDER BY n.nspname DESC, c.relname`,
    [READER_ROLE],
  );
  if (unreadable.rowCount) {
    const names = unreadable.rows.map((r) => r.name);
    return `role ${READER_ROLE} cannot read ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
  }
  const me = await c.query<{ rolsuper: boolean; rolcreaterole: boolean }>('SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user');
  if (!me.rows[0]?.rolsuper && !me.rows[0]?.rolcreaterole) return `the database user may not create roles`;
  const password = c.escapeLiteral(derivedPassword(adminUrl));
  const role = c.escapeIdentifier(API_ROLE);
  // Roles are cluster-wide and advisory locks are per database: API processes over other databases
  // of the cluster may run these statements at the same moment, so concurrent-update errors retry.
  for (let attempt = 1; ; attempt++) {
    try {
      const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [API_ROLE]);
      if (exists.rowCount === 0) await c.query(`CREATE ROLE ${role} LOGIN PASSWORD ${password}`);
      await c.query(`ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${password}`);
      const member = await c.query<{ m: boolean }>(`SELECT pg_has_role($1, $2, 'MEMBER') AS m`, [API_ROLE, READER_ROLE]);
      if (!member.rows[0]?.m) await c.query(`GRANT ${c.escapeIdentifier(READER_ROLE)} TO ${role}`);
      return null;
    } catch (err) {
      const code = (err as { code?: string }).code;
      // 42710 duplicate role, 23505 catalog unique index, XX000 "tuple concurrently updated"
      if (attempt >= 5 || !['42710', '23505', 'XX000', '40001'].includes(code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}
