import assert from 'node:assert/strict';
import { test } from 'node:test';
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
  assert.deepEqual(first.map((x) => [x.key, x.value]), [
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
