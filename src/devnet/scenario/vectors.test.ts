// The spec's test vectors (§6) as scenario files: every step of every file must pass.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { loadScenarioFile, runScenario } from './runner.ts';

const dir = new URL('../../../scenarios/', import.meta.url);
const files = ['vectors', 'examples'].flatMap((d) => readdirSync(new URL(`${d}/`, dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => `${d}/${f}`)).sort();

test('the vector directory holds V1–V9 at least', () => {
  for (const v of ['v1-', 'v2-', 'v3-', 'v4-', 'v5-', 'v6-', 'v7-', 'v8-', 'v9-']) assert.ok(files.some((f) => f.startsWith(`vectors/${v}`)), `missing ${v}*`);
});

for (const file of files) {
  test(`scenario ${file}`, () => {
    const report = runScenario(loadScenarioFile(new URL(file, dir).pathname));
    const failed = report.results.filter((r) => !r.ok).map((r) => `${r.step.label}: ${r.message}`);
    assert.deepEqual(failed, []);
    assert.ok(report.passed > 0);
  });
}
