// docker-compose.yml, checked offline (no Docker engine needed): dclint with its recommended rules,
// every command and healthcheck against the repository and the CLIs, every environment variable
// against what the CLIs read and document, and the defaults against each other.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DCLinter } from 'dclint';
import { parse as parseYaml } from 'yaml';
import { rpcEnvName } from '../indexer/config/env-override.ts';
import { loadProject } from '../indexer/config/project.ts';
import { TOPOLOGIES, type TopologyName } from '../devnet/workload/topologies.ts';
import { interpolate, variables } from './interpolate.ts';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const COMPOSE = path.join(ROOT, 'docker-compose.yml');
const run = promisify(execFile);

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  healthcheck?: { test: string[] };
  profiles?: string[];
}
const compose = parseYaml(readFileSync(COMPOSE, 'utf8')) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
/** Services running this repository's image (the rest, postgres, are official images). */
const ours = services.filter(([, s]) => s.build !== undefined);
/** The service's environment with every ${VAR:-default} at its default (an empty shell environment). */
const envOf = (s: Service) => Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), {})]));

// dclint's bundled typings use extensionless relative imports, which NodeNext cannot follow: the
// result's shape is declared here.
interface LintResult {
  messages: Array<{ rule: string; type: 'error' | 'warning'; message: string; line: number }>;
  errorCount: number;
  warningCount: number;
}
/** dclint on one file, every rule at its default level (`rules: {}`, as the CLI without a config file). */
function lint(file: string): LintResult {
  const [result] = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] }).lintFiles([file], false) as LintResult[];
  assert.ok(result, `dclint found ${file}`);
  return result;
}

test('dclint, every recommended rule: no errors and no warnings', () => {
  const result = lint(COMPOSE);
  assert.deepEqual(
    result.messages.map((m) => `${m.line}: ${m.rule}: ${m.message}`),
    [],
  );
  assert.equal(result.errorCount + result.warningCount, 0);
});

test('dclint does catch a broken compose file (the check above can fail)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-'));
  try {
    const file = path.join(dir, 'docker-compose.yml');
    writeFileSync(file, "name: x\nservices:\n  a:\n    image: postgres:latest\n    ports:\n      - '5432:5432'\n");
    assert.deepEqual(lint(file).messages.filter((m) => m.type === 'error').map((m) => m.rule).sort(), ['no-unbound-port-interfaces', 'service-image-require-explicit-tag']);
    writeFileSync(file, 'services:\n  a:\n    image: x:1\n    restart: sometimes-maybe\n    depends_on: { b: { condition: whenever } }\n');
    assert.deepEqual(lint(file).messages.map((m) => m.rule), ['invalid-schema']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the services: postgres, migrate, indexer, api, and the devnet under a profile', () => {
  assert.deepEqual(services.map(([n]) => n).sort(), ['api', 'devnet', 'indexer', 'migrate', 'postgres']);
  assert.deepEqual(compose.services.devnet!.profiles, ['devnet']);
  for (const name of ['api', 'indexer', 'migrate', 'postgres']) assert.equal(compose.services[name]!.profiles, undefined, name);
  assert.match(compose.services.postgres!.image!, /^postgres:\d+$/);
  // one image for every app service, built from the Dockerfile
  assert.deepEqual([...new Set(ours.map(([, s]) => s.image))], ['mesh-security-indexer:local']);
  assert.deepEqual(ours.map(([n]) => n).sort(), ['api', 'devnet', 'indexer', 'migrate']);
});

/** The entry file a command runs: `node --import tsx FILE …` or `npm run SCRIPT` (its script's file). */
function entryOf(command: readonly string[]): { file: string; args: string[] } {
  if (command[0] === 'node') {
    const i = command.findIndex((a, j) => j > 0 && !a.startsWith('-') && command[j - 1] !== '--import');
    assert.ok(i > 0 && command.slice(1, i).join(' ') === '--import tsx', `node runs TypeScript through tsx: ${command.join(' ')}`);
    return { file: command[i]!, args: command.slice(i + 1) };
  }
  if (command[0] === 'npm' && command[1] === 'run') {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const script = scripts[command[2]!];
    assert.ok(script, `package.json has no script ${command[2]}`);
    const m = /^tsx (\S+\.ts)(.*)$/.exec(script);
    assert.ok(m, `script ${command[2]} runs a file with tsx: ${script}`);
    return { file: m[1]!, args: [...m[2]!.trim().split(/\s+/).filter(Boolean), ...command.slice(command[3] === '--' ? 4 : 3)] };
  }
  assert.fail(`unknown command form: ${command.join(' ')}`);
}

test("every app service's command and the Dockerfile's CMD run a file of the repository", () => {
  for (const [name, s] of ours) {
    assert.ok(Array.isArray(s.command), `${name}: command as a list (no shell between docker and node)`);
    const { file } = entryOf(s.command);
    assert.ok(existsSync(path.join(ROOT, file)), `${name}: ${file} does not exist`);
  }
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  assert.ok(cmd, 'the Dockerfile has an exec-form CMD');
  assert.ok(existsSync(path.join(ROOT, entryOf(JSON.parse(cmd[1]!) as string[]).file)));
  assert.match(dockerfile, /^FROM node:20-bookworm-slim$/m);
  assert.match(dockerfile, /^USER node$/m);
});

/** The repository's TypeScript reachable from `entry` by relative imports. */
function sourceClosure(entry: string, seen = new Map<string, string>()): Map<string, string> {
  const abs = path.resolve(ROOT, entry);
  if (seen.has(abs)) return seen;
  const text = readFileSync(abs, 'utf8');
  seen.set(abs, text);
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.ts)'/g)) sourceClosure(path.resolve(path.dirname(abs), m[1]!), seen);
  return seen;
}

/** How a file reads variable `name`: commander's `.env('NAME')` or process.env. */
const readsEnv = (source: string, name: string) => new RegExp(`\\.env\\(\\s*'${name}'\\s*\\)|process\\.env\\.${name}\\b|process\\.env\\[\\s*'${name}'\\s*\\]`).test(source);

test('every variable an app service sets is read by its CLI (or a module it imports) and shown in its --help', async () => {
  const project = loadProject(path.join(ROOT, 'project.yaml'));
  await Promise.all(
    ours.map(async ([name, s]) => {
      const { file, args } = entryOf(s.command!);
      const source = [...sourceClosure(file).values()].join('\n');
      const sub = args.filter((a) => !a.startsWith('-')).slice(0, 1); // a subcommand such as `run`
      const { stdout: help } = await run(process.execPath, ['--import', 'tsx', file, ...sub, '--help'], { cwd: ROOT, env: { PATH: process.env.PATH } });
      for (const variable of Object.keys(s.environment ?? {})) {
        if (variable.startsWith('MESH_RPC_')) {
          // per-chain endpoints: the variable must be one project.yaml's chains map to
          assert.ok(project.chains.some((c) => rpcEnvName(c.id) === variable), `${name}: ${variable} names no chain of project.yaml`);
          assert.match(source, /applyRpcEnv\(/, `${name}: ${file} never applies MESH_RPC_*`);
          assert.ok(help.includes('MESH_RPC_<CHAIN>'), `${name}: ${file} --help does not document MESH_RPC_<CHAIN>`);
        } else {
          assert.ok(readsEnv(source, variable), `${name}: nothing ${file} imports reads ${variable}`);
          assert.ok(new RegExp(`\\b${variable}\\b`).test(help), `${name}: ${file} --help does not document ${variable}`);
        }
      }
    }),
  );
});

test('the defaults agree: database URL and postgres, ports and healthchecks, RPC endpoints and the devnet', () => {
  const pgEnv = envOf(compose.services.postgres!);
  for (const [name, s] of ours) {
    const url = new URL(envOf(s).DATABASE_URL!);
    assert.deepEqual(
      [url.protocol, url.hostname, url.port, decodeURIComponent(url.username), decodeURIComponent(url.password), url.pathname.slice(1)],
      ['postgres:', 'postgres', '5432', pgEnv.POSTGRES_USER, pgEnv.POSTGRES_PASSWORD, pgEnv.POSTGRES_DB],
      name,
    );
  }
  const probe = (s: Service) => Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(s.healthcheck!.test.join(' '))![1]);

  const api = compose.services.api!;
  assert.equal(envOf(api).API_HOST, '0.0.0.0');
  assert.equal(probe(api), Number(envOf(api).API_PORT));
  assert.deepEqual(api.ports!.map((p) => interpolate(p, {})), [`127.0.0.1:4000:${envOf(api).API_PORT}`]);

  const indexer = compose.services.indexer!;
  const cmd = indexer.command!;
  assert.equal(probe(indexer), Number(cmd[cmd.indexOf('--metrics-port') + 1]));

  // The devnet's chains listen on RPC_PORT, RPC_PORT + 1, … in topology order; the indexer's
  // defaults must reach each chain of project.yaml at its own port on the devnet service.
  const devnet = compose.services.devnet!;
  const denv = envOf(devnet);
  assert.equal(denv.RPC_HOST, '0.0.0.0');
  assert.equal(probe(devnet), Number(denv.RPC_PORT));
  const chains = TOPOLOGIES[denv.TOPOLOGY as TopologyName]({ users: 1 }).chains.map((c) => c.id);
  const expected = Object.fromEntries(chains.map((id, i) => [rpcEnvName(id), `http://devnet:${Number(denv.RPC_PORT) + i}`]));
  assert.deepEqual(Object.fromEntries(Object.entries(envOf(indexer)).filter(([k]) => k.startsWith('MESH_RPC_'))), expected);
  const project = loadProject(path.join(ROOT, 'project.yaml'));
  assert.deepEqual(project.chains.map((c) => c.id).sort(), [...chains].sort(), 'project.yaml indexes the devnet default topology');
  const last = Number(denv.RPC_PORT) + chains.length - 1;
  assert.deepEqual(devnet.ports!.map((p) => interpolate(p, {})), [`127.0.0.1:${denv.RPC_PORT}-${last}:${denv.RPC_PORT}-${last}`]);
});

test('the image holds what the app services run: the build context (.dockerignore) has every file they import', () => {
  // .dockerignore is an allow-list: `*`, then `!top-level-name` lines
  const rules = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.equal(rules[0], '*');
  const allowed = new Set(rules.filter((r) => r.startsWith('!')).map((r) => r.slice(1)));
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const copied = [...dockerfile.matchAll(/^COPY (?:--\S+ )*(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/)).filter((f) => f !== '.');
  assert.ok(copied.includes('package-lock.json'), 'dependencies are installed from the lock file');
  for (const f of copied) assert.ok(allowed.has(f) && existsSync(path.join(ROOT, f)), `Dockerfile copies ${f}: missing or not in the build context`);
  for (const [name, s] of ours) {
    const needed = [...sourceClosure(entryOf(s.command!).file).keys(), path.join(ROOT, 'project.yaml'), path.join(ROOT, 'src/db/generated/schema.sql')];
    for (const f of needed) {
      const top = path.relative(ROOT, f).split(path.sep)[0]!;
      assert.ok(allowed.has(top), `${name}: ${path.relative(ROOT, f)} is left out of the image by .dockerignore`);
    }
  }
});

/** Every string value of the parsed file (comments are not interpolated; aliases are resolved). */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

test('every ${VAR} of the compose file is well-formed and documented in docs/deploy.md', () => {
  const values = strings(parseYaml(readFileSync(COMPOSE, 'utf8')));
  for (const v of values) interpolate(v, {}); // throws on a malformed reference
  const used = [...new Set(values.flatMap(variables))];
  assert.ok(used.length >= 10, `found ${used.length} variables`);
  const doc = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
  assert.deepEqual(used.filter((v) => !doc.includes(`\`${v}\``)), [], 'variables missing from docs/deploy.md');
});
