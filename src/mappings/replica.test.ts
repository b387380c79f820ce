import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonText } from '../indexer/store/copy-text.ts';
import { Replica, fromJsonValue, toJsonValue } from './replica.ts';

test('values round-trip through JSON with bigints intact', () => {
  const v = { l: 2n ** 127n, h: 5n, list: [1n, { x: 0n }], s: 'a' };
  assert.deepEqual(fromJsonValue(toJsonValue(v)), v);
});

test('changes since the last call: upserts, then tombstones for deletes; load restores', () => {
  const r = new Replica('c');
  r.set('ns', 'b', { n: 1n });
  r.set('ns', 'a', { n: 2n });
  const first = r.takeChanges();
  assert.ok(first.every((x) => x.value instanceof JsonText), 'values are serialized once, for the writer');
  assert.deepEqual(first.map((x) => [x.key, JSON.parse((x.value as JsonText).text)]), [
    ['b', { n: '$big:1' }],
    ['a', { n: '$big:2' }],
  ]);
  assert.deepEqual(r.takeChanges(), []);
  r.delete('ns', 'b');
  r.delete('ns', 'missing');
  assert.deepEqual(r.takeChanges().map((x) => [x.key, x.value]), [['b', null]]);
  const restored = new Replica('c');
  restored.load([...first, { namespace: 'ns', key: 'b', value: null }]);
  assert.deepEqual(restored.entries('ns'), [['a', { n: 2n }]]);
  assert.deepEqual(restored.takeChanges(), []);
});

test('prefix reads stay in key order while keys come and go', () => {
  const r = new Replica('c');
  for (const k of ['b/2', 'a/1', 'b/1', 'c/1']) r.set('ns', k, k);
  assert.deepEqual(r.entries('ns', 'b/').map(([k]) => k), ['b/1', 'b/2']);
  r.set('ns', 'b/0', 'new');
  r.set('ns', 'b/2', 'changed');
  r.delete('ns', 'b/1');
  r.set('ns', 'b', 'no slash');
  assert.deepEqual(r.entries('ns', 'b/'), [['b/0', 'new'], ['b/2', 'changed']]);
  assert.deepEqual(r.entries('ns').map(([k]) => k), ['a/1', 'b', 'b/0', 'b/2', 'c/1']);
  assert.deepEqual(r.entries('ns', 'z'), []);
});
