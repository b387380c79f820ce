#!/usr/bin/env node
// Test runner behind `npm test`.
//
//   npm test                         all *.test.ts under src/, bench/ and test/
//   npm test -- src/db               only test files whose path contains "src/db"
//   npm test -- --test-name-pattern=foo   options (starting with "-") go to `node --test`
//
// Unless DATABASE_URL is already set, one embedded PostgreSQL (fast, non-persistent) is started for
// the whole run and DATABASE_URL is exported to the test processes (see src/db/database.ts
// createTestDatabase()). Exits with the test run's exit code; node's summary (ℹ tests/pass/fail) is
// the last thing printed.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(p, out);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const nodeArgs = args.filter((a) => a.startsWith('-'));
const filters = args.filter((a) => !a.startsWith('-'));

let files = [...findTests('src'), ...findTests('bench'), ...findTests('test')].sort();
if (filters.length > 0) {
  const norm = (p) => p.split(path.sep).join('/');
  const selected = new Set(
    files.filter((f) => filters.some((flt) => norm(f).includes(norm(path.relative(root, path.resolve(flt))) || flt))),
  );
  // an explicitly named file outside the naming convention still runs
  for (const flt of filters) {
    if (existsSync(flt) && statSync(flt).isFile()) selected.add(path.relative(root, path.resolve(flt)));
  }
  files = [...selected].sort();
}
if (files.length === 0) {
  console.error(filters.length ? `no test files match ${filters.join(' ')}` : 'no test files found');
  process.exit(filters.length ? 1 : 0);
}

let db = null;
const env = { ...process.env };
if (!env.DATABASE_URL) {
  const started = Date.now();
  const logLines = [];
  try {
    const { tsImport } = await import('tsx/esm/api');
    const { startEmbeddedPostgres } = await tsImport('../src/db/embedded-postgres.ts', import.meta.url);
    db = await startEmbeddedPostgres({ fast: true, persistent: false, log: (l) => logLines.push(l) });
  } catch (err) {
    console.error(logLines.join('\n'));
    console.error(`failed to start embedded PostgreSQL: ${err?.stack ?? err}`);
    process.exit(1);
  }
  env.DATABASE_URL = db.url;
  console.log(`embedded PostgreSQL on 127.0.0.1:${db.port} ready in ${Date.now() - started} ms`);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...nodeArgs, ...files],
  { stdio: 'inherit', env },
);

// ^C reaches the child directly (same process group); for SIGTERM/SIGHUP forward it. Either way we
// wait for the child, then stop the database.
let signalled = null;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    signalled ??= sig;
    if (sig !== 'SIGINT') child.kill(sig);
  });
}

const [code, signal] = await new Promise((resolve) => child.once('exit', (c, s) => resolve([c, s])));

if (db) {
  try {
    await db.stop();
  } catch (err) {
    console.error(`warning: stopping embedded PostgreSQL failed: ${err?.message ?? err}`);
  }
}

process.exitCode = code ?? (signal || signalled ? 130 : 1);
