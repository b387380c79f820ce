// Regression: `npm start` on a database made by an older version (a table without a column this
// version writes) died with a SchemaMismatchError stack trace. It now says what differs and what to
// do, and exits 2 as its other refusals do.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

test('npm start on an older database: one line saying what differs and to delete it, exit 2, no stack trace', { skip: noServer, timeout: 60_000 }, async () => {
  const db = await createTestDatabase();
  const pool = db.pool(1);
  try {
    await migrate(pool);
    await pool.query('ALTER TABLE virtual_stakes DROP COLUMN returned'); // as an older version made it
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--rpc-port', '0', '--api-port', '0'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const safety = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(safety);
    assert.equal(code, 2, stderr);
    assert.equal(stderr.trim(), 'the database was made by an older version: virtual_stakes.returned is missing (numeric(78,0)); delete .data/ (or point DATABASE_URL elsewhere) for a new run');
  } finally {
    await pool.end();
    await db.drop();
  }
});
