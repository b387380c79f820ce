import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

const isRoot = process.getuid?.() === 0;

async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(true));
  });
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // Still in the process table: only acceptable as an unreaped zombie.
  try {
    return /\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]!, 10);
}

/** A scratch dir the unprivileged postgres user can traverse (mkdtemp makes 0700 dirs). */
async function scratchDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mesh-pg-test-'));
  await fs.chmod(dir, 0o755);
  return dir;
}

test('non-persistent cluster: start, query, stop', async () => {
  const started = Date.now();
  const db = await startEmbeddedPostgres({ fast: true });
  const startMs = Date.now() - started;
  let stopped = false;
  try {
    assert.ok(db.port > 0);
    assert.match(db.url, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    assert.deepEqual(await query(db.url, 'select 1 as one'), [{ one: 1 }]);
    await query(db.url, 'create table t (id int primary key, name text)');
    await query(db.url, "insert into t values (1, 'a'), (2, 'b')");
    assert.deepEqual(await query(db.url, 'select count(*)::int as n from t'), [{ n: 2 }]);
    assert.deepEqual(await query(db.url, 'select current_user as u'), [{ u: 'postgres' }]);
    // only TCP on loopback
    assert.deepEqual(await query(db.url, 'show listen_addresses'), [{ listen_addresses: '127.0.0.1' }]);
    assert.deepEqual(await query(db.url, 'show fsync'), [{ fsync: 'off' }]);

    const pid = postmasterPid(db.dataDir);
    assert.ok(!processIsGone(pid));
    await db.stop();
    stopped = true;
    assert.ok(await portIsClosed(db.port), 'port still open after stop()');
    assert.ok(processIsGone(pid), `postmaster ${pid} still running after stop()`);
    assert.ok(!existsSync(db.dataDir), 'temporary data dir not removed');
    await db.stop(); // idempotent
    console.log(`embedded postgres start-up (initdb + start): ${startMs} ms`);
  } finally {
    if (!stopped) await db.stop();
  }
});

test('persistent cluster keeps data across restarts and survives a stale postmaster.pid', async () => {
  const dir = await scratchDir();
  const dataDir = path.join(dir, 'pg');
  try {
    const db1 = await startEmbeddedPostgres({ dataDir, persistent: true, fast: true });
    try {
      await query(db1.url, 'create table kept (v text)');
      await query(db1.url, "insert into kept values ('hello')");
    } finally {
      await db1.stop();
    }
    assert.ok(existsSync(path.join(dataDir, 'PG_VERSION')));
    assert.ok(!existsSync(path.join(dataDir, 'postmaster.pid')));

    // Simulate a server killed without cleanup: a postmaster.pid naming a dead process.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    const stale = `${dead.pid}\n${dataDir}\n${Math.floor(Date.now() / 1000)}\n5432\n\n127.0.0.1\n  1234  5678\nready\n`;
    await fs.writeFile(path.join(dataDir, 'postmaster.pid'), stale);

    const started = Date.now();
    const db2 = await startEmbeddedPostgres({ dataDir, persistent: true, fast: true });
    console.log(`embedded postgres restart on existing data dir: ${Date.now() - started} ms`);
    try {
      assert.deepEqual(await query(db2.url, 'select v from kept'), [{ v: 'hello' }]);
    } finally {
      await db2.stop();
    }
    assert.ok(existsSync(path.join(dataDir, 'PG_VERSION')), 'persistent data dir must survive stop()');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('server stops by itself when the owning process is SIGKILLed', async () => {
  const moduleUrl = new URL('./embedded-postgres.ts', import.meta.url).href;
  const script = `
    const { startEmbeddedPostgres } = await import(${JSON.stringify(moduleUrl)});
    const db = await startEmbeddedPostgres({ fast: true });
    const fs = await import('node:fs');
    const pid = fs.readFileSync(db.dataDir + '/postmaster.pid', 'utf8').split('\\n')[0];
    console.log(JSON.stringify({ port: db.port, dataDir: db.dataDir, pid: Number(pid) }));
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const info = await new Promise<{ port: number; dataDir: string; pid: number }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line) as { port: number; dataDir: string; pid: number });
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
    });
    assert.ok(!(await portIsClosed(info.port)));
    child.kill('SIGKILL');
    assert.ok(await waitFor(() => portIsClosed(info.port), 20_000), 'orphaned server still listening');
    assert.ok(await waitFor(() => processIsGone(info.pid), 20_000), 'orphaned postmaster still running');
    assert.ok(await waitFor(() => !existsSync(info.dataDir), 10_000), 'orphaned temp data dir not cleaned up');
  } finally {
    child.kill('SIGKILL');
  }
});

test('as root, a data dir the postgres user cannot reach is refused with a clear message', { skip: !isRoot && 'needs root' }, async () => {
  const privateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mesh-pg-private-')); // 0700, root-owned
  try {
    const dataDir = path.join(privateDir, 'nested', 'pg');
    await assert.rejects(startEmbeddedPostgres({ dataDir, persistent: true }), (err: Error) => {
      assert.match(err.message, /cannot use the data directory/);
      assert.match(err.message, new RegExp(`${privateDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(mode 0700\\) is not traversable`));
      return true;
    });
    assert.ok(!existsSync(path.join(privateDir, 'nested')), 'nothing should be created for a refused path');
  } finally {
    await fs.rm(privateDir, { recursive: true, force: true });
  }
});
