// Crash safety: the CLI indexer is SIGKILLed at random points during a sync and restarted each time;
// at the end every table's content hash equals an uninterrupted run's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { migrate } from '../db/migrate.ts';
import { Rng } from '../devnet/workload/rng.ts';
import { hashes, serve, testDb, workloadDevnet } from './indexer.testkit.ts';
import { runIndexers } from './run.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

function startCli(projectFile: string, databaseUrl: string) {
  // node itself, not the tsx wrapper: killing the wrapper would leave its child indexing
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'run', '--project', projectFile, '--until', 'tip', '--no-progress', '--batch-blocks', '25'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((r) => child.on('exit', (code, signal) => r({ code, signal, stderr })));
  return { child, exited };
}

test('SIGKILL at ≥ 5 random points during a sync, restart each time: the DB equals an uninterrupted run', async (t) => {
  const w = workloadDevnet({ blocks: 400, seed: 5 });
  const served = await serve(w.chains);
  t.after(() => served.close());
  const clean = await testDb();
  t.after(clean.close);
  await runIndexers({ project: served.project, databaseUrl: clean.db.url, until: 'tip', batchBlocks: 25 });
  const want = await hashes(clean.pool);

  const crashed = await testDb();
  t.after(crashed.close);
  await migrate(crashed.pool);
  const rng = new Rng(99);
  const heights = async () => (await crashed.pool.query<{ h: number }>('SELECT coalesce(sum(indexed_height), 0)::int AS h FROM chains')).rows[0]!.h;
  let kills = 0;
  for (let round = 0; ; round++) {
    const { child, exited } = startCli(served.projectFile, crashed.db.url);
    if (kills < 5 || round < 6) {
      // kill once the run has made progress beyond its start (or after a random delay), at a random moment
      const start = await heights();
      const delay = 200 + rng.int(1000);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (await heights()) <= start && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, delay));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        const r = await exited;
        assert.equal(r.signal, 'SIGKILL');
        kills++;
        t.diagnostic(`kill ${kills} at ~${await heights()} summed height`);
        continue;
      }
    }
    const r = await exited;
    assert.equal(r.code, 0, r.stderr);
    break;
  }
  assert.ok(kills >= 5, `${kills} kills`);
  assert.deepEqual(await hashes(crashed.pool), want);
});
