// Runs a scenario file: builds the deployment, then executes each step and checks its
// expectations. Bad scenarios stop with a ScenarioError naming the step; failed expectations
// are recorded and the run goes on.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Chain } from '../chain/chain.ts';
import { type Devnet, deploy } from '../deploy.ts';
import { moduleQuery } from '../queries.ts';
import { ACTIONS, type ActionCtx, pendingPackets } from './actions.ts';
import { parseDeployment } from './config.ts';
import { ScenarioError, parseFields } from './fields.ts';
import { Names } from './resolve.ts';

export interface Step {
  index: number;
  label: string;
  action: string;
  args: Record<string, unknown>;
  expect?: unknown;
  expectError?: string;
  path?: string;
  exact: boolean;
}

export interface StepResult {
  step: Step;
  ok: boolean;
  message: string;
}

export interface Scenario {
  name: string;
  description?: string;
  doc: Record<string, unknown>;
  steps: Step[];
}

const META_KEYS = new Set(['expect', 'expect_error', 'path', 'exact', 'name']);

const querySpecs = {
  chain: { type: 'string', doc: 'chain id' },
  contract: { type: 'string', doc: 'contract reference ("@vault") or address: a smart query' },
  msg: { type: 'json', doc: 'the smart query message' },
  module: { type: 'string', doc: 'chain module: bank, staking, distribution, slashing, meshsecurity, ibc' },
  request: { type: 'json', doc: 'module query, e.g. {"validator": {"validator": "@val1"}}' },
} as const;

function closest(word: string, options: string[]): string | undefined {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  const best = options.map((o) => [o, dist(word, o)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 3 ? best[0] : undefined;
}

/** Parses a scenario document (already loaded from YAML/JSON); every step is checked up front. */
export function parseScenario(doc: unknown, source = 'scenario'): Scenario {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ScenarioError(`${source}: expected a mapping with chains, pairings and steps`);
  const d = doc as Record<string, unknown>;
  const known = new Set(['name', 'description', 'genesis_time', 'chains', 'pairings', 'steps']);
  for (const k of Object.keys(d)) if (!known.has(k)) throw new ScenarioError(`${source}: unknown top-level key ${JSON.stringify(k)} (expected: ${[...known].join(', ')})`);
  if (!Array.isArray(d.steps)) throw new ScenarioError(`${source}: \`steps\` must be a list`);
  const steps = d.steps.map((raw, i) => parseStep(raw, i + 1));
  return { name: String(d.name ?? source), description: d.description as string | undefined, doc: d, steps };
}

function parseStep(raw: unknown, index: number): Step {
  const where = `step ${index}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ScenarioError(`${where}: expected a mapping like {bond: {user: alice, amount: 100}}`);
  const r = raw as Record<string, unknown>;
  const actionKeys = Object.keys(r).filter((k) => !META_KEYS.has(k));
  if (actionKeys.length !== 1) throw new ScenarioError(`${where}: expected exactly one action, found ${actionKeys.length ? actionKeys.join(', ') : 'none'}`);
  const action = actionKeys[0]!;
  const label = typeof r.name === 'string' ? `${where} (${action}: ${r.name})` : `${where} (${action})`;
  if (action !== 'query' && !(action in ACTIONS)) {
    const hint = closest(action, [...Object.keys(ACTIONS), 'query']);
    throw new ScenarioError(`${where}: unknown action ${JSON.stringify(action)}${hint ? ` (did you mean ${hint}?)` : ''}`);
  }
  let args: Record<string, unknown>;
  try {
    args = action === 'query' ? parseFields(r.query, querySpecs as never, 'query') : parseFields(r[action], ACTIONS[action]!.fields, 'arguments');
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(`${label}: ${e.message}`);
    throw e;
  }
  if (action === 'query') {
    if ((args.contract === undefined) === (args.module === undefined)) throw new ScenarioError(`${label}: a query names either \`contract\` (with \`msg\`) or \`module\` (with \`request\`)`);
    if (r.expect === undefined && r.expect_error === undefined) throw new ScenarioError(`${label}: a query needs \`expect\` or \`expect_error\``);
  } else if (r.expect !== undefined) {
    throw new ScenarioError(`${label}: \`expect\` belongs to query steps; actions take \`expect_error\``);
  }
  if (r.expect_error !== undefined && typeof r.expect_error !== 'string') throw new ScenarioError(`${label}: expect_error must be a string`);
  if (r.path !== undefined && typeof r.path !== 'string') throw new ScenarioError(`${label}: path must be a string like "free.l"`);
  return { index, label, action, args, expect: r.expect, expectError: r.expect_error as string | undefined, path: r.path as string | undefined, exact: r.exact === true };
}

export function loadScenarioFile(file: string): Scenario {
  const text = readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ScenarioError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  return parseScenario(doc, file);
}

// ---- expectations ------------------------------------------------------------------------

function select(v: unknown, path: string | undefined): unknown {
  if (!path) return v;
  let cur = v;
  for (const part of path.split('.')) {
    if (part === 'length' && Array.isArray(cur)) cur = cur.length;
    else if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
    else return undefined;
  }
  return cur;
}

const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** Partial deep match: expected objects name a subset of keys; scalars compare as strings. Returns the first difference. */
export function mismatch(expected: unknown, actual: unknown, exact: boolean, at = ''): string | undefined {
  const here = at || '(value)';
  if (expected === null) return actual === null || actual === undefined ? undefined : `${here}: expected null, got ${show(actual)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${here}: expected a list, got ${show(actual)}`;
    if (expected.length !== actual.length) return `${here}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(expected[i], actual[i], exact, `${at}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return `${here}: expected an object, got ${show(actual)}`;
    for (const [k, e] of Object.entries(expected as Record<string, unknown>)) {
      const m = mismatch(e, (actual as Record<string, unknown>)[k], exact, at ? `${at}.${k}` : k);
      if (m) return m;
    }
    if (exact) {
      const extra = Object.keys(actual).filter((k) => !(k in (expected as object)));
      if (extra.length) return `${here}: unexpected keys ${extra.join(', ')}`;
    }
    return undefined;
  }
  if (actual === undefined) return `${here}: expected ${show(expected)}, got nothing`;
  return String(expected) === String(actual) ? undefined : `${here}: expected ${show(expected)}, got ${show(actual)}`;
}

// ---- running -----------------------------------------------------------------------------

export interface RunReport {
  scenario: Scenario;
  results: StepResult[];
  passed: number;
  failed: number;
  devnet: Devnet;
}

function runQuery(ctx: ActionCtx, a: Record<string, unknown>): unknown {
  const chain: Chain = ctx.names.anyChain(a.chain);
  if (a.module !== undefined) {
    const request = ctx.names.resolveJson(chain, a.request ?? {});
    if (a.module === 'ibc') {
      const [name, args] = Object.entries(request as Record<string, { pairing?: string }>)[0] ?? [];
      if (name !== 'pending_packets') throw new ScenarioError('ibc queries: pending_packets {pairing?}');
      return pendingPackets(ctx, args?.pairing);
    }
    return moduleQuery(chain, String(a.module), request);
  }
  const contract = String(ctx.names.resolveJson(chain, a.contract));
  return chain.query(contract, ctx.names.resolveJson(chain, a.msg ?? {}));
}

export function runScenario(scenario: Scenario, onStep?: (r: StepResult) => void): RunReport {
  let devnet: Devnet;
  try {
    devnet = deploy(parseDeployment(scenario.doc));
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(`${scenario.name}: ${e.message}`);
    throw e;
  }
  const ctx: ActionCtx = { devnet, names: new Names(devnet) };
  const results: StepResult[] = [];
  for (const step of scenario.steps) {
    const r = runStep(ctx, step);
    results.push(r);
    onStep?.(r);
  }
  const passed = results.filter((r) => r.ok).length;
  return { scenario, results, passed, failed: results.length - passed, devnet };
}

function runStep(ctx: ActionCtx, step: Step): StepResult {
  const done = (ok: boolean, message: string): StepResult => ({ step, ok, message });
  let value: unknown;
  let error: string | undefined;
  let detail: string | undefined;
  try {
    if (step.action === 'query') value = runQuery(ctx, step.args);
    else ({ error, detail } = ACTIONS[step.action]!.run(ctx, step.args));
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(`${step.label}: ${e.message}`);
    if (step.action !== 'query') throw e;
    error = (e as Error).message;
  }
  if (step.expectError !== undefined) {
    if (error === undefined) return done(false, `expected an error containing ${JSON.stringify(step.expectError)}, but it succeeded`);
    return error.includes(step.expectError) ? done(true, `failed as expected: ${error}`) : done(false, `expected an error containing ${JSON.stringify(step.expectError)}, got: ${error}`);
  }
  if (error !== undefined) return done(false, `failed: ${error}`);
  if (step.action !== 'query') return done(true, detail ?? 'ok');
  const actual = select(value, step.path);
  // Expected values may name things too ("@val1"), resolved on the query's chain.
  const expected = ctx.names.resolveJson(ctx.names.anyChain(step.args.chain), step.expect);
  const m = mismatch(expected, actual, step.exact);
  return m ? done(false, m) : done(true, `${step.path ? `${step.path} = ` : ''}${show(actual)}`);
}
