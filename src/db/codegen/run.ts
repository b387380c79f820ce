// `npm run codegen`: generates, from schema.graphql,
//   src/db/generated/schema.sql    DDL applied by src/db/migrate.ts
//   src/db/generated/entities.ts   entity row types and TABLES metadata
//   prisma/schema.prisma           Prisma models for the API's reads
// and then runs `prisma generate` (the Prisma client in node_modules) when prisma is installed.
//
//   npm run codegen                  write what changed, then prisma generate
//   npm run codegen -- --check       write nothing; exit 1 if a generated file is missing or stale
//   npm run codegen -- --no-prisma   write the files, skip prisma generate
//
// Exit codes: 0 ok, 1 stale files (--check) or prisma generate failed, 2 invalid schema or usage.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EntitySchemaError, parseEntitySchema, type SchemaModel } from './model.ts';
import { generatePrisma } from './prisma.ts';
import { generateSql } from './sql.ts';
import { generateTypescript } from './typescript.ts';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The entity schema, relative to ROOT. */
export const SCHEMA_FILE = 'schema.graphql';
/** Prisma CLI config (relative to ROOT) used for `prisma generate`. */
export const PRISMA_CONFIG_FILE = 'prisma.config.ts';

export const GENERATED_FILES = {
  sql: 'src/db/generated/schema.sql',
  typescript: 'src/db/generated/entities.ts',
  prisma: 'prisma/schema.prisma',
} as const;

export interface GeneratedFile {
  /** Path relative to the repository root, with `/` separators. */
  path: string;
  content: string;
}

/** Renders every generated file from an entity model. */
export function renderFiles(model: SchemaModel): GeneratedFile[] {
  return [
    { path: GENERATED_FILES.sql, content: generateSql(model) },
    { path: GENERATED_FILES.typescript, content: generateTypescript(model) },
    { path: GENERATED_FILES.prisma, content: generatePrisma(model) },
  ];
}

/** Parses the entity schema under `root` and renders every generated file (writes nothing). */
export function generateFiles(root = ROOT): GeneratedFile[] {
  const text = readFileSync(path.join(root, SCHEMA_FILE), 'utf8');
  return renderFiles(parseEntitySchema(text, SCHEMA_FILE));
}

export interface FileStatus {
  path: string;
  status: 'up-to-date' | 'stale' | 'missing';
}

/** Compares freshly rendered files with those on disk under `root`. */
export function compareFiles(files: readonly GeneratedFile[], root = ROOT): FileStatus[] {
  return files.map((f) => {
    const abs = path.join(root, f.path);
    if (!existsSync(abs)) return { path: f.path, status: 'missing' };
    return { path: f.path, status: readFileSync(abs, 'utf8') === f.content ? 'up-to-date' : 'stale' };
  });
}

/** Writes the files that differ from disk; returns the paths written. */
export function writeFiles(files: readonly GeneratedFile[], root = ROOT): string[] {
  const written: string[] = [];
  for (const s of compareFiles(files, root)) {
    if (s.status === 'up-to-date') continue;
    const f = files.find((x) => x.path === s.path)!;
    const abs = path.join(root, f.path);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, f.content);
    written.push(f.path);
  }
  return written;
}

/** Path of the installed Prisma CLI, or undefined when prisma is not installed. */
export function prismaCli(root = ROOT): string | undefined {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('prisma/build/index.js');
  } catch {
    return undefined;
  }
}

/**
 * Runs `prisma generate` with the project's config (offline: no engine downloads). Returns false when
 * prisma is not installed; throws when it fails.
 */
export function runPrismaGenerate(root = ROOT, log: (line: string) => void = console.log): boolean {
  const cli = prismaCli(root);
  if (!cli) {
    log('prisma is not installed: skipped prisma generate');
    return false;
  }
  const r = spawnSync(process.execPath, [cli, 'generate', '--config', PRISMA_CONFIG_FILE, '--no-hints'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`prisma generate failed (exit ${r.status ?? r.signal})`);
  return true;
}

export interface Io {
  log: (line: string) => void;
  error: (line: string) => void;
}

/** The command line; `root` and `io` are for tests. Returns the exit code. */
export function main(argv: readonly string[], root = ROOT, io: Io = console): number {
  const known = new Set(['--check', '--no-prisma', '--help', '-h']);
  const unknown = argv.filter((a) => !known.has(a));
  const usage = 'usage: npm run codegen [-- --check | --no-prisma]';
  if (unknown.length > 0) {
    io.error(`unknown argument ${unknown.join(' ')}\n${usage}`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.log(usage);
    return 0;
  }

  let files: GeneratedFile[];
  try {
    files = generateFiles(root);
  } catch (err) {
    if (err instanceof EntitySchemaError) {
      io.error(err.message);
      return 2;
    }
    throw err;
  }

  if (argv.includes('--check')) {
    const bad = compareFiles(files, root).filter((s) => s.status !== 'up-to-date');
    if (bad.length === 0) {
      io.log(`generated files are up to date with ${SCHEMA_FILE}`);
      return 0;
    }
    for (const s of bad) io.error(`${s.path}: ${s.status}`);
    io.error(`generated files differ from ${SCHEMA_FILE}: run \`npm run codegen\``);
    return 1;
  }

  const written = writeFiles(files, root);
  for (const f of files) io.log(`${written.includes(f.path) ? 'wrote    ' : 'unchanged'} ${f.path}`);
  if (!argv.includes('--no-prisma')) {
    try {
      runPrismaGenerate(root, io.log);
    } catch (err) {
      io.error(err instanceof Error ? err.message : String(err));
      return 1;
    }
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
