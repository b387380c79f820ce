// `npm run db:migrate`: applies the schema (src/db/migrate.ts) to DATABASE_URL and exits. The
// compose file runs it once before the indexer, the API and the devnet start, so the API never races
// the indexer's first migration (it reads, and with a read-only role it could not create tables).
import { Command, Option } from 'commander';
import pg from 'pg';
import { migrate } from '../db/migrate.ts';

const opts = new Command()
  .name('mesh-migrate')
  .description('Creates or checks the indexer schema in PostgreSQL (idempotent; safe while other processes run it too)')
  .addOption(new Option('--database-url <url>', 'PostgreSQL to migrate').env('DATABASE_URL').makeOptionMandatory())
  .showHelpAfterError()
  .parse()
  .opts<{ databaseUrl: string }>();

if (!opts.databaseUrl.trim()) {
  console.error('mesh-migrate: DATABASE_URL is empty');
  process.exit(2);
}
const pool = new pg.Pool({ connectionString: opts.databaseUrl.trim(), max: 1 });
pool.on('error', () => {}); // an idle client dropping; the query reports it
try {
  const r = await migrate(pool);
  console.log(r.changed ? `schema ${r.version.slice(0, 12)} applied${r.previousVersion ? ` (was ${r.previousVersion.slice(0, 12)})` : ''}` : `schema ${r.version.slice(0, 12)} already applied`);
} catch (e) {
  console.error(`mesh-migrate: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
