// Regression: stopping the API (Ctrl-C of `npm run api` or `npm start`) while a request was half
// received never finished its close: Apollo's own SIGINT handler (on outside NODE_ENV=test) started a
// stop of its own, and the CLI's close waited on it while the process ran out of work and exited with
// its cleanup skipped (`npm start` during its replay even exited 13, an unsettled top-level await).
// Only a separate process without NODE_ENV=test shows it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { migrate } from '../db/migrate.ts';
import { testDb } from '../indexer/indexer.testkit.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

test('regression: the API stops cleanly while a request is half received', { skip: noServer, timeout: 90_000 }, async () => {
  const t = await testDb();
  await migrate(t.pool);
  await t.pool.end();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.db.url };
  delete env.NODE_ENV; // Apollo installs its signal handlers only outside tests
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/api/cli.ts', '--port', '0'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const safety = setTimeout(() => child.kill('SIGKILL'), 60_000);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const sock = new net.Socket();
  sock.on('error', () => {});
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const m = /GraphQL API\s+(http:\/\/\S+)/.exec(stdout);
        if (m) resolve(new URL(m[1]!));
      });
      child.on('exit', () => reject(new Error(`the API exited before serving:\n${stderr}`)));
    });
    sock.connect(Number(url.port), '127.0.0.1');
    await once(sock, 'connect');
    sock.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":');
    await new Promise((r) => setTimeout(r, 300)); // the server is reading the body
    child.kill('SIGINT');
    const [code, signal] = await exited;
    assert.deepEqual([code, signal], [0, null], stderr);
    assert.match(stderr, /stopping: API, then the database connections\nstopped\n/, 'the close ran to its end');
  } finally {
    clearTimeout(safety);
    sock.destroy();
    await t.db.drop();
  }
});
