import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ACTIONS } from './actions.ts';
import { withActionReference } from './docs.ts';

test('docs/scenarios.md documents every action as implemented (run `npm run docs:scenarios`)', () => {
  const doc = readFileSync(new URL('../../../docs/scenarios.md', import.meta.url), 'utf8');
  assert.equal(doc, withActionReference(doc));
  for (const name of Object.keys(ACTIONS)) assert.ok(doc.includes(`| \`${name}\` |`), name);
});
