// Database connection bootstrap.
//
// openDatabase(): uses DATABASE_URL when set (an external server; nothing is started), otherwise a
// persistent embedded PostgreSQL cluster (see embedded-postgres.ts for where its data lives).
// createTestDatabase(): a fresh, uniquely named database on the server named by DATABASE_URL
// (the test runner, scripts/test.mjs, starts one embedded server for the whole run and exports it).

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

export interface Database {
  /** Connection string for pg / other clients. */
  url: string;
  /** true when an embedded server was started (and is stopped by close()). */
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Data directory of the embedded cluster (ignored when DATABASE_URL is set). */
  dataDir?: string;
  log?: (line: string) => void;
}

export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) {
    return { url: external, embedded: false, close: async () => {} };
  }
  const server = await startEmbeddedPostgres({
    ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    persistent: true,
  });
  return { url: server.url, embedded: true, close: () => server.stop() };
}

export interface TestDatabase {
  /** DATABASE_URL with the database name replaced by the new database. */
  url: string;
  /** Name of the created database. */
  name: string;
  /** Drops the database (terminating leftover connections). Idempotent. */
  drop(): Promise<void>;
  /**
   * A pool on the database. pool.end() resolves before its sockets close, and drop() may then end one,
   * which an idle client reports as a pool 'error': this pool listens, so that is no uncaught exception.
   */
  pool(max: number): pg.Pool;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.DATABASE_URL?.trim();
  if (!baseUrl) {
    throw new Error('createTestDatabase() needs DATABASE_URL; run the tests with `npm test` (scripts/test.mjs starts a server)');
  }
  const name = `test_${Date.now().toString(36)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(baseUrl, async (c) => {
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
  });
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;

  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    pool: (max) => {
      const pool = new pg.Pool({ connectionString: url.toString(), max });
      pool.on('error', () => {});
      return pool;
    },
    drop: () =>
      (dropped ??= admin(baseUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
      })),
  };
}

async function admin(url: string, fn: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
