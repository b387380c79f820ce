// `npm run api`: the GraphQL API alone, over a database an indexer fills (docker-compose.yml's `api`
// service; docs/deploy.md). Every option also reads an environment variable, shown in --help.
// Without DATABASE_URL it opens the embedded PostgreSQL under .data/ (src/db/database.ts), as the
// indexer CLI does; the API then owns that server and applies the schema itself. Given DATABASE_URL it
// never writes the schema: the indexer (or `npm run db:migrate`) does. With an admin DATABASE_URL the
// server reads as the read-only role mesh_api it prepares (src/api/plugins/db-access.ts);
// API_DATABASE_URL names a read-only login to use instead.
import { Command, Option } from 'commander';
import { intArg } from '../cli-args.ts';
import pg from 'pg';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { startApiServer } from './server.ts';

const port = intArg('a port number 0–65535', 0, 65535);

const opts = new Command()
  .name('mesh-api')
  .description('Serves the GraphQL API (GraphiQL at /graphql, /health, /ready, /metrics) over the indexed PostgreSQL')
  .addOption(new Option('--database-url <url>', 'PostgreSQL the indexer writes (default: the embedded one under .data/)').env('DATABASE_URL'))
  .addOption(new Option('--api-database-url <url>', 'connect as this (read-only) login instead of preparing mesh_api from DATABASE_URL').env('API_DATABASE_URL'))
  .addOption(new Option('--host <address>', 'interface to listen on (0.0.0.0 in a container)').env('API_HOST').default('127.0.0.1'))
  .addOption(new Option('--port <port>', 'port to listen on (0 = any free port)').env('API_PORT').argParser(port).default(4000))
  .option('--dev', 'development mode: stack traces in errors')
  .showHelpAfterError()
  .parse()
  .opts<{ databaseUrl?: string; apiDatabaseUrl?: string; host: string; port: number; dev?: boolean }>();

const log = (line: string) => console.error(line);

async function main() {
  const given = opts.databaseUrl?.trim();
  const database = given ? { url: given, embedded: false, close: async () => {} } : await openDatabase({ log });
  if (database.embedded) {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    pool.on('error', (e) => log(`database connection lost: ${e.message}`));
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
  }
  const apiDatabaseUrl = opts.apiDatabaseUrl?.trim() || undefined;
  const api = await startApiServer({ databaseUrl: database.url, apiDatabaseUrl, host: opts.host, port: opts.port, dev: opts.dev === true }).catch(async (e: unknown) => {
    await database.close();
    throw e;
  });
  console.log(`GraphQL API  ${api.graphqlUrl}   (GraphiQL in a browser)`);
  console.log(`health       ${api.url}/health  ${api.url}/ready  ${api.url}/metrics`);
  console.log(`PostgreSQL   ${redact(database.url)}${database.embedded ? ' (embedded, data in .data/)' : ''}; reading as ${api.database.access === 'mesh_api' ? 'the read-only role mesh_api' : api.database.access === 'given' ? 'API_DATABASE_URL\'s user' : 'the admin user in read-only transactions'}`);

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      log('stopping: API, then the database connections');
      await api.close();
      await database.close();
      log('stopped');
    })());
  // `on`, not `once`: under npm a Ctrl-C arrives twice (see src/main.ts); the second must not let the
  // default handler kill the process mid-shutdown.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void shutdown());
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

main().catch((e: unknown) => {
  console.error(`mesh-api: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
