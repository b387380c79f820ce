import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InterpolationError, interpolate, variables } from './interpolate.ts';

const env = { A: 'a', EMPTY: '', URL: 'http://x:1' };

test('plain, braced and escaped references', () => {
  assert.equal(interpolate('$A-${A}-$$A-$${A}-x', env), 'a-a-$A-${A}-x');
  assert.equal(interpolate('${MISSING}|$MISSING|', env), '||');
  assert.equal(interpolate('pg_isready -U "$${POSTGRES_USER}"', env), 'pg_isready -U "${POSTGRES_USER}"');
});

test('defaults: ":-" for unset or empty, "-" for unset only; nested', () => {
  assert.equal(interpolate('${A:-d}|${EMPTY:-d}|${MISSING:-d}', env), 'a|d|d');
  assert.equal(interpolate('${A-d}|${EMPTY-d}|${MISSING-d}', env), 'a||d');
  assert.equal(interpolate('${MISSING:-${URL}/x}|${MISSING:-${NONE:-deep}}', env), 'http://x:1/x|deep');
  assert.equal(interpolate('${MISSING:-127.0.0.1}:${PORT:-4000}:4000', env), '127.0.0.1:4000:4000');
  assert.equal(interpolate('${MISSING:-}', env), '');
});

test('alternatives and required variables', () => {
  assert.equal(interpolate('${A:+yes}|${EMPTY:+yes}|${EMPTY+yes}|${MISSING+yes}', env), 'yes||yes|');
  assert.equal(interpolate('${A:?need A}', env), 'a');
  assert.throws(() => interpolate('${EMPTY:?set EMPTY}', env), /EMPTY is required: set EMPTY/);
  assert.equal(interpolate('${EMPTY?set}', env), '');
  assert.throws(() => interpolate('${MISSING?}', env), /MISSING is required: not set/);
});

test('malformed references are errors', () => {
  for (const bad of ['${A', '${}', '${1A}', '${A:x}', 'cost $5', '${A:-${B}']) assert.throws(() => interpolate(bad, env), InterpolationError, bad);
});

test('variables() lists every name referred to, defaults included, escapes excluded', () => {
  assert.deepEqual(variables('postgres://${U:-mesh}:${P:-${Q}}@h/$DB $${NOT} $$NOT2'), ['U', 'P', 'Q', 'DB']);
});
