// Regression: a Ctrl-C while `npm start` replayed the devnet got no clean stop. The replay ran 50
// rounds between yields, so the tsx CLI (which relays the signal and SIGKILLs a child that has not
// taken it within 60 ms) killed the process, and the handlers were only installed after the replay.
// `npm start` now runs `node --import tsx` (no relay); the test keeps to the tsx CLI, the stricter
// of the two, which `npx tsx src/main.ts` still uses.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { loadDevnetState, saveDevnetState } from './devnet/live-state.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

test('the API answers during the replay of npm start; Ctrl-C then stops it cleanly and keeps the saved progress', { skip: noServer, timeout: 120_000 }, async () => {
  const db = await createTestDatabase();
  const pool = db.pool(1);
  try {
    await migrate(pool);
    // far more rounds than the few seconds this test lets the replay run (the tips are only compared
    // once a replay completes)
    const saved = { topology: 'default', seed: 1, rounds: 5_000, tips: { 'osmo-devnet-1': { height: '5012', hash: 'AB'.repeat(32) } } };
    await saveDevnetState(pool, saved);

    // through the tsx CLI, in its own process group as a terminal's job is
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['src/main.ts', '--rpc-port', '0', '--api-port', '0'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stdout.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const safety = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 90_000);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          if (stderr.includes('devnet: resuming the last run of seed 1 (5000 rounds)')) resolve();
        });
        child.on('exit', () => reject(new Error(`npm start exited before its replay:\n${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, 1500)); // well into the replay
      // the API started first: what was indexed can be queried while the devnet catches up
      const graphql = /GraphQL API (\S+) serves what was indexed while the devnet catches up/.exec(stderr)?.[1];
      assert.ok(graphql, stderr);
      const res = await fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ chains { chainId } }' }) });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { data: { chains: [] } });
      const ready = await fetch(new URL('/ready', graphql));
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { reason: string }).reason, 'the devnet is replaying 5000 rounds to resume the last run');
      assert.doesNotMatch(stderr, /stopped during the replay/, 'the replay was still running when the API answered');
      process.kill(-child.pid!, 'SIGINT'); // the whole group, as a terminal's Ctrl-C
      const { code, signal } = await exited;
      assert.match(stderr, /stopped during the replay \(\d+ of 5000 rounds\); the saved progress is unchanged/, stderr);
      assert.equal(signal, null);
      assert.equal(code, 130);
    } finally {
      clearTimeout(safety);
    }
    assert.deepEqual(await loadDevnetState(pool), saved);
  } finally {
    await pool.end();
    await db.drop();
  }
});
