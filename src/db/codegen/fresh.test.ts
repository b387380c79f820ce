// The committed generated files (src/db/generated/schema.sql, src/db/generated/entities.ts,
// prisma/schema.prisma) are exactly what `npm run codegen` makes from the committed schema.graphql,
// and `npm run codegen -- --check` says so by its exit code.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, SCHEMA_FILE, compareFiles, generateFiles, main, type Io } from './run.ts';

function quietIo(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (l) => lines.push(l), error: (l) => lines.push(l) };
}

test('committed generated files equal a fresh generation from schema.graphql', () => {
  const files = generateFiles();
  assert.deepEqual(
    files.map((f) => f.path),
    ['src/db/generated/schema.sql', 'src/db/generated/entities.ts', 'prisma/schema.prisma'],
  );
  for (const f of files) {
    const onDisk = readFileSync(path.join(ROOT, f.path), 'utf8');
    assert.ok(onDisk === f.content, `${f.path} is stale: run \`npm run codegen\` and commit the result`);
  }
  assert.ok(compareFiles(files).every((s) => s.status === 'up-to-date'));
});

test('generation is deterministic', () => {
  assert.deepEqual(generateFiles(), generateFiles());
});

test('--check exits 1 on missing or stale files and 0 once codegen has written them', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'codegen-'));
  try {
    copyFileSync(path.join(ROOT, SCHEMA_FILE), path.join(dir, SCHEMA_FILE));
    const io = quietIo();
    assert.equal(main(['--check'], dir, io), 1);
    assert.ok(io.lines.includes('src/db/generated/schema.sql: missing'), io.lines.join('\n'));

    assert.equal(main(['--no-prisma'], dir, quietIo()), 0);
    assert.equal(main(['--check'], dir, quietIo()), 0);
    for (const f of generateFiles()) assert.equal(readFileSync(path.join(dir, f.path), 'utf8'), f.content);

    // a hand edit of a generated file is caught
    const sqlPath = path.join(dir, 'src/db/generated/schema.sql');
    writeFileSync(sqlPath, readFileSync(sqlPath, 'utf8') + '-- edited\n');
    const stale = quietIo();
    assert.equal(main(['--check'], dir, stale), 1);
    assert.ok(stale.lines.includes('src/db/generated/schema.sql: stale'), stale.lines.join('\n'));

    // so is a schema change that was not regenerated
    const schemaPath = path.join(dir, SCHEMA_FILE);
    writeFileSync(schemaPath, readFileSync(schemaPath, 'utf8') + '\ntype Extra @entity(table: "extras") @key(fields: ["id"]) { id: String! }\n');
    assert.equal(main(['--no-prisma'], dir, quietIo()), 0);
    assert.match(readFileSync(sqlPath, 'utf8'), /CREATE TABLE IF NOT EXISTS extras/);
    assert.equal(main(['--check'], dir, quietIo()), 0);

    // an invalid schema is exit code 2 with the problem named
    writeFileSync(schemaPath, 'type Broken @entity @key(fields: ["nope"]) { id: String! }\n');
    const bad = quietIo();
    assert.equal(main(['--check'], dir, bad), 2);
    assert.match(bad.lines.join('\n'), /schema\.graphql:1:\d+: @key of Broken names field nope, which Broken does not have/);

    assert.equal(main(['--bogus'], dir, quietIo()), 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
